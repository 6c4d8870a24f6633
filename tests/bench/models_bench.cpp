// The cost of the 1 Hz updates of a large cluster: 300 nodes, two directors
// with ~30,000 real-server rows each, fed to ClusterModel and the Services
// model with the sorting proxy the Services tab puts on top. Each benchmark
// reports, per tick:
//   gui_*_ms     time on the GUI thread: merge into the model, checks, the
//                Services model's dataChanged and the proxy's re-sort
//   decode_*_ms  time on the session's decode thread: the line read into structs
//                (rpc::FastReader and decodeStateDelta; decode_bench compares it with
//                the generic JSON tree)
//   *_cpu_*_ms   the same as the thread's CPU time (the wall clock of a shared machine
//                includes other processes)
//   rss_MiB      resident set of the process at the end
//
//   BM_DeltaTick     the agents' deltas with 1% of the real servers' counters moved
//   BM_SnapshotTick  a full 30,000-row snapshot from each director, every counter moved
//   BM_Tick          every counter moved, pushed as decoded tables (ClusterModel::setIpvs)

#include "benchstats.h"

#include "hadeck/console/model/clustermodel.h"
#include "hadeck/console/model/fastdelta.h"
#include "hadeck/console/model/statedelta.h"
#include "models/servicesmodel.h"
#include "synthetic/syntheticcluster.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QSortFilterProxyModel>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>
#include <vector>

using namespace hadeck;

namespace {

testing::SyntheticOptions bigCluster()
{
    testing::SyntheticOptions o;
    o.directors = 2;
    o.realServers = 289; // + 2 directors, 2 DB, MooseFS master + 5 chunkservers, 1 gateway = 300 nodes
    o.services = 104;    // 104 x 289 = 30,056 real-server rows
    o.dbReplicas = 1;
    o.chunkservers = 5;
    o.gateway = true;
    return o;
}

using bench::msSince;
using bench::rssMiB;
using bench::threadCpuMs;

/// The models the Services tab shows, on one synthetic cluster.
struct Fixture {
    console::ClusterModel model{QStringLiteral("bench")};
    ui::ServicesModel services{model};
    QSortFilterProxyModel proxy;
    testing::SyntheticCluster source{bigCluster()};

    Fixture()
    {
        model.setTickInterval(1000);
        proxy.setSortRole(ui::ServicesModel::SortRole);
        proxy.setSourceModel(&services);
        proxy.sort(ui::ServicesModel::Name, Qt::AscendingOrder);
        source.open(model);
        model.flush();
    }

    void report(benchmark::State& state, std::vector<double> gui, std::vector<double> decode,
                std::vector<double> guiCpu = {}, std::vector<double> decodeCpu = {})
    {
        bench::quantiles(state, "gui_", std::move(gui));
        bench::quantiles(state, "decode_", std::move(decode));
        bench::quantiles(state, "gui_cpu_", std::move(guiCpu));
        bench::quantiles(state, "decode_cpu_", std::move(decodeCpu));
        state.counters["rss_MiB"] = rssMiB();
        state.counters["nodes"] = static_cast<double>(model.nodes().size());
        state.counters["rs_rows"] = services.realServerRowCount();
    }
};

/// Decodes one second of lines as the decode thread does (the fast reader, else the
/// generic JSON tree); returns the deltas per director.
std::vector<console::StateDelta> decodeLines(const std::vector<std::string>& lines)
{
    std::vector<console::StateDelta> out;
    rpc::FastReader reader;
    for (const auto& line : lines) {
        if (reader.readStateDelta(line)) {
            if (auto fast = console::decodeStateDelta(reader)) {
                out.push_back(std::move(*fast));
                reader.release();
                continue;
            }
        }
        auto msg = rpc::decode(line);
        auto& note = std::get<rpc::Notification>(msg.value());
        auto delta = console::decodeStateDelta(note.params);
        out.push_back(std::move(delta).value());
    }
    return out;
}

void runLines(benchmark::State& state, Fixture& f, const std::function<std::vector<std::string>()>& produce)
{
    std::vector<double> gui;
    std::vector<double> decode;
    std::vector<double> guiCpu;
    std::vector<double> decodeCpu;
    for (auto _ : state) {
        state.PauseTiming();
        const auto lines = produce(); // what the agents send this second
        state.ResumeTiming();
        // On a thread of its own, as in the console: the parse's allocations then
        // live in that thread's malloc arena, not the GUI thread's.
        std::vector<console::StateDelta> deltas;
        std::thread worker([&] {
            const auto w0 = std::chrono::steady_clock::now();
            const double c0 = threadCpuMs();
            deltas = decodeLines(lines);
            decodeCpu.push_back(threadCpuMs() - c0);
            decode.push_back(msSince(w0));
        });
        worker.join();
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = threadCpuMs();
        for (int d = 0; d < static_cast<int>(deltas.size()); ++d) {
            (void)f.model.applyStateDelta(testing::SyntheticCluster::directorName(d), std::move(deltas[d]));
        }
        f.model.flush(); // the tick: checks, events, Services model dataChanged, proxy re-sort
        guiCpu.push_back(threadCpuMs() - c0);
        const double ms = msSince(t0);
        gui.push_back(ms);
        state.SetIterationTime(ms / 1000.0);
    }
    f.report(state, gui, decode, guiCpu, decodeCpu);
}

void BM_DeltaTick(benchmark::State& state)
{
    Fixture f;
    runLines(state, f, [&] { return f.source.ipvsDeltaLines(0.01); });
}

void BM_SnapshotTick(benchmark::State& state)
{
    Fixture f;
    runLines(state, f, [&] { return f.source.ipvsSnapshotLines(); });
}

void BM_Tick(benchmark::State& state)
{
    Fixture f;
    std::vector<double> gui;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        f.source.advance(f.model); // new counters for every real server on both directors
        f.model.flush();
        const double ms = msSince(t0);
        gui.push_back(ms);
        state.SetIterationTime(ms / 1000.0);
    }
    f.report(state, gui, {});
}

} // namespace

BENCHMARK(BM_DeltaTick)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(120);
BENCHMARK(BM_SnapshotTick)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_Tick)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(40);

// The Services model reads the palette and icons.
HADECK_BENCHMARK_GUI_MAIN()
