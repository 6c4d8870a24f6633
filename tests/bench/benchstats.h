#pragma once

// What the benchmarks measure the same way: the time since a moment, the process's
// resident set, and the median and 99th percentile of a run's samples as counters.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

namespace hadeck::bench {

inline double msSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

/// The calling thread's CPU time in ms: on a shared machine the wall clock includes other processes.
inline double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// VmRSS of this process in MiB; 0 when /proc/self/status cannot be read.
inline double rssMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stod(line.substr(6)) / 1024.0;
        }
    }
    return 0;
}

/// Sets the counters <prefix>median_ms and <prefix>p99_ms (nearest rank) from @p samplesMs;
/// nothing when there are none.
inline void quantiles(benchmark::State& state, const std::string& prefix, std::vector<double> samplesMs)
{
    if (samplesMs.empty()) {
        return;
    }
    std::sort(samplesMs.begin(), samplesMs.end());
    const auto at = [&](double q) {
        return samplesMs[std::min(samplesMs.size() - 1,
                                  static_cast<std::size_t>(q * static_cast<double>(samplesMs.size())))];
    };
    state.counters[prefix + "median_ms"] = at(0.5);
    state.counters[prefix + "p99_ms"] = at(0.99);
}

} // namespace hadeck::bench

/// main() of a benchmark whose code reads the palette and icons: a QApplication (offscreen
/// under ctest) around Google Benchmark's run. The file includes <QApplication>.
#define HADECK_BENCHMARK_GUI_MAIN()                                                                                    \
    int main(int argc, char** argv)                                                                                    \
    {                                                                                                                  \
        QApplication app(argc, argv);                                                                                  \
        benchmark::Initialize(&argc, argv);                                                                            \
        benchmark::RunSpecifiedBenchmarks();                                                                           \
        benchmark::Shutdown();                                                                                         \
        return 0;                                                                                                      \
    }
