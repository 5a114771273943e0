#pragma once
// Spinning briefly before sleeping, for the owner loop and idle workers.

namespace aui::detail {

/// One step of a spin-wait that keeps the core: sched_yield would hand it to a busy thread on the
/// same core for a whole time slice, which is exactly the wait the spin is meant to avoid.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace aui::detail
