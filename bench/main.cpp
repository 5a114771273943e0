// One benchmark binary for every workload (see docs/performance.md).
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
