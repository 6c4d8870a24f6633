// What the console's decode thread spends on the state.delta lines of a large
// cluster (300 nodes, ~30,000 real servers on each of two directors), per line:
//   BM_Snapshot/generic  rpc::decode (the JSON tree) + decodeStateDelta: the path every
//                        line took before the fast reader, and still the fallback
//   BM_Snapshot/fast     rpc::FastReader + decodeStateDelta(reader), as LineDecoder does
//   BM_Delta/...         the same for a delta with 1 % of the real servers' counters moved
//   BM_FloodHead/...     a small VRRP snapshot line of a flood: what it costs to learn its
//                        topic (generic: the whole parse; fast: the validating head read)
// Counters per line: decode_median_ms / decode_p99_ms (wall clock), cpu_median_ms / cpu_p99_ms
// (the thread's CPU time: on a shared machine the wall clock includes other processes),
// rss_MiB at the end, line_MiB.

#include "hadeck/console/model/fastdelta.h"
#include "hadeck/console/model/statedelta.h"
#include "synthetic/syntheticcluster.h"

#include <hadeck/protocol/fastwire.h>
#include <hadeck/protocol/jsonrpc.h>
#include <hadeck/protocol/methods.h>
#include <hadeck/protocol/payloads.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

using namespace hadeck;

namespace {

testing::SyntheticOptions bigCluster()
{
    testing::SyntheticOptions o;
    o.directors = 2;
    o.realServers = 289;
    o.services = 104; // 104 x 289 = 30,056 real-server rows per director
    o.dbReplicas = 1;
    o.chunkservers = 5;
    o.gateway = true;
    return o;
}

double rssMiB()
{
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stod(line.substr(6)) / 1024.0;
        }
    }
    return 0;
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

void quantiles(benchmark::State& state, const char* prefix, std::vector<double> ms)
{
    if (ms.empty()) {
        return;
    }
    std::sort(ms.begin(), ms.end());
    const auto at = [&](double q) {
        return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
    };
    state.counters[std::string(prefix) + "_median_ms"] = at(0.5);
    state.counters[std::string(prefix) + "_p99_ms"] = at(0.99);
    state.counters["rss_MiB"] = rssMiB();
}

std::size_t rows(const console::StateDelta& d)
{
    std::size_t n = 0;
    for (const auto& vs : d.services) {
        n += vs.realServers.size();
    }
    return n;
}

console::StateDelta generic(const std::string& line)
{
    auto msg = rpc::decode(line);
    auto& note = std::get<rpc::Notification>(msg.value());
    return console::decodeStateDelta(note.params).value();
}

console::StateDelta fast(rpc::FastReader& reader, const std::string& line)
{
    if (!reader.readStateDelta(line)) {
        std::abort();
    }
    auto d = console::decodeStateDelta(reader);
    if (!d) {
        std::abort();
    }
    return std::move(*d);
}

void run(benchmark::State& state, const std::vector<std::string>& lines, bool useFast)
{
    rpc::FastReader reader;
    std::vector<double> ms;
    std::vector<double> cpu;
    std::size_t decodedRows = 0;
    std::size_t i = 0;
    for (auto _ : state) {
        const std::string& line = lines[i++ % lines.size()];
        const double c0 = threadCpuMs();
        const auto t0 = std::chrono::steady_clock::now();
        {
            console::StateDelta d = useFast ? fast(reader, line) : generic(line);
            decodedRows = rows(d);
            benchmark::DoNotOptimize(d);
            reader.release();
        } // the delta's teardown counts too: the decode thread or the GUI thread pays it
        const double t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        cpu.push_back(threadCpuMs() - c0);
        ms.push_back(t);
        state.SetIterationTime(t / 1000.0);
    }
    quantiles(state, "decode", ms);
    quantiles(state, "cpu", cpu);
    state.counters["rows"] = static_cast<double>(decodedRows);
    state.counters["line_MiB"] = static_cast<double>(lines[0].size()) / (1024.0 * 1024.0);
}

void BM_Snapshot(benchmark::State& state)
{
    testing::SyntheticCluster source{bigCluster()};
    run(state, source.ipvsSnapshotLines(), state.range(0) != 0);
}

void BM_Delta(benchmark::State& state)
{
    testing::SyntheticCluster source{bigCluster()};
    run(state, source.ipvsDeltaLines(0.01), state.range(0) != 0);
}

/// A flood's line: a small VRRP snapshot, of which only the newest in a batch is decoded.
void BM_FloodHead(benchmark::State& state)
{
    proto::VrrpTopic topic;
    topic.snapshot = true;
    proto::VrrpInstance inst;
    inst.name = "VI_1";
    inst.vrid = 51;
    inst.interface = "eth0";
    inst.state = proto::VrrpState::Backup;
    inst.vips = {"198.18.0.100/32"};
    topic.instances = {inst};
    const std::string line = rpc::encode(rpc::Notification{
        std::string(proto::notify::StateDelta),
        proto::stateDeltaParams(proto::StateDeltaHead{std::string(proto::topic::Vrrp), true}, proto::toJson(topic))});
    const bool useFast = state.range(0) != 0;
    rpc::FastReader reader;
    std::vector<double> ms;
    const double c0 = threadCpuMs();
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        if (useFast) {
            benchmark::DoNotOptimize(reader.readStateDelta(line));
        } else {
            auto msg = rpc::decode(line);
            auto& note = std::get<rpc::Notification>(msg.value());
            benchmark::DoNotOptimize(proto::fromJson<proto::StateDeltaHead>(note.params));
        }
        const double t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        ms.push_back(t);
        state.SetIterationTime(t / 1000.0);
    }
    const double cpuMs = threadCpuMs() - c0;
    quantiles(state, "decode", ms);
    state.counters["lines_per_s"] =
        ms.empty() ? 0 : static_cast<double>(ms.size()) / (std::accumulate(ms.begin(), ms.end(), 0.0) / 1000.0);
    state.counters["lines_per_cpu_s"] = cpuMs > 0 ? static_cast<double>(ms.size()) / (cpuMs / 1000.0) : 0;
}

} // namespace

BENCHMARK(BM_Snapshot)->Arg(0)->Arg(1)->ArgName("fast")->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_Delta)->Arg(0)->Arg(1)->ArgName("fast")->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(100);
BENCHMARK(BM_FloodHead)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("fast")
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(200000);

BENCHMARK_MAIN();
