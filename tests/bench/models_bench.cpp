// The cost of one 1 Hz tick on the GUI thread for a large cluster: 300 nodes,
// two directors with ~30,000 real-server rows each, fed to ClusterModel and
// the Services model. Reports median and p99 per tick and the process RSS.
//
//   BM_Tick          deltas already decoded (what the model and view model cost)
//   BM_TickFromJson  the same, starting from the state.delta lines as they arrive

#include "hadeck/console/model/clustermodel.h"
#include "models/servicesmodel.h"
#include "synthetic/syntheticcluster.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QFile>

#include <algorithm>
#include <chrono>
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

double rssMiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) {
        return 0;
    }
    for (const auto& line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
        }
    }
    return 0;
}

void report(benchmark::State& state, std::vector<double> samplesMs, const console::ClusterModel& model,
            const ui::ServicesModel& services)
{
    std::sort(samplesMs.begin(), samplesMs.end());
    const auto at = [&](double q) {
        return samplesMs[std::min(samplesMs.size() - 1, static_cast<std::size_t>(q * static_cast<double>(samplesMs.size())))];
    };
    state.counters["median_ms"] = at(0.5);
    state.counters["p99_ms"] = at(0.99);
    state.counters["rss_MiB"] = rssMiB();
    state.counters["nodes"] = static_cast<double>(model.nodes().size());
    state.counters["rs_rows"] = services.realServerRowCount();
}

void BM_Tick(benchmark::State& state)
{
    console::ClusterModel model(QStringLiteral("bench"));
    model.setTickInterval(1000);
    ui::ServicesModel services(model);
    testing::SyntheticCluster source(bigCluster());
    source.open(model);
    model.flush();
    std::vector<double> samples;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        source.advance(model); // new counters for every real server on both directors
        model.flush();         // the tick: checks, events, ServicesModel diff + dataChanged
        const auto t1 = std::chrono::steady_clock::now();
        const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
        samples.push_back(ms);
        state.SetIterationTime(ms / 1000.0);
    }
    report(state, samples, model, services);
}

void BM_TickFromJson(benchmark::State& state)
{
    console::ClusterModel model(QStringLiteral("bench"));
    model.setTickInterval(1000);
    ui::ServicesModel services(model);
    testing::SyntheticCluster source(bigCluster());
    source.open(model);
    model.flush();
    std::vector<double> samples;
    for (auto _ : state) {
        // The agents' lines for this second, encoded outside the measurement.
        state.PauseTiming();
        source.advance(model);
        std::vector<std::string> lines;
        for (int d = 0; d < bigCluster().directors; ++d) {
            rpc::Json params{{"topic", "ipvs"}, {"services", source.ipvsOf(d)}};
            lines.push_back(rpc::encode(rpc::Notification{"state.delta", params}));
        }
        model.flush();
        source.advance(model);
        model.flush();
        state.ResumeTiming();
        const auto t0 = std::chrono::steady_clock::now();
        for (int d = 0; d < static_cast<int>(lines.size()); ++d) {
            auto msg = rpc::decode(lines[d]);
            const auto& n = std::get<rpc::Notification>(msg.value());
            (void)model.applyStateDelta(testing::SyntheticCluster::directorName(d), n.params);
        }
        model.flush();
        const auto t1 = std::chrono::steady_clock::now();
        const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
        samples.push_back(ms);
        state.SetIterationTime(ms / 1000.0);
    }
    report(state, samples, model, services);
}

} // namespace

BENCHMARK(BM_Tick)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(60);
BENCHMARK(BM_TickFromJson)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(30);

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
