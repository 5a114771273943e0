#pragma once
// What several benchmark files measure with: memory in use, a thread's CPU time, percentiles.

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace aui::bench {

/// Heap bytes in use (malloc's arenas and its mmapped blocks), for "memory held" counters.
inline std::size_t heap_in_use() {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

/// CPU time of the calling thread in ns: what a step costs on a shared machine, whatever else runs.
inline double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

/// The value at fraction `p` of the sorted values, rounded to the nearest rank (0 when empty).
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace aui::bench
