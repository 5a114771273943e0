#pragma once
// Spinning briefly before sleeping, for the owner loop and idle workers.

namespace aui::detail {

/// Decides whether a wait spins before it sleeps. A spin pays only when the other side answers
/// within it (a worker's result, the next job): then it saves a futex wake-up and a context
/// switch on both sides. When nothing comes — an idle program, or a loaded machine where the other
/// side is not even running — each spin burns its whole length of a core for nothing (measured on
/// the 2-core machine at load 25: up to 4× the CPU per owner/worker round trip; docs/ci.md). So
/// after a spin that caught nothing the next waits sleep at once, more of them after each further
/// miss (1, 3, 7, … up to 63), and one spin that catches its task restores spinning every time.
/// One per waiting thread: not thread-safe.
class SpinPolicy {
 public:
  bool should_spin() {
    if (skip_ == 0) return true;
    --skip_;
    return false;
  }
  void spun(bool caught) {
    if (caught) {
      misses_ = 0;
    } else {
      misses_ = misses_ * 2 + 1 > kMaxSkip ? kMaxSkip : misses_ * 2 + 1;
      skip_ = misses_;
    }
  }

 private:
  static constexpr unsigned kMaxSkip = 63;
  unsigned misses_ = 0;
  unsigned skip_ = 0;
};

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
