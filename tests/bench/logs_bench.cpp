// The Logs tab's model when several nodes' lines come in at once: a query of the same source on
// five web nodes (5,000 lines each, the tab's query limit) whose times interleave, so every batch
// after the first lands among lines already shown. The model carries the tab's filter proxy.
// Reports per merge of the five batches:
//   gui_ms   time on the GUI thread for the five addLines calls (model and proxy)
//   rows     lines shown after the merge (the model's capacity is 20,000)
//
//   BM_InterleavedQuery  five nodes' batches, each in time order, interleaved with each other
//   BM_FollowTick        one new line per node a second, in order (the follow's common case)

#include "benchstats.h"

#include "logs/logmodel.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QSortFilterProxyModel>

#include <chrono>
#include <vector>

using namespace hadeck;

namespace {

constexpr int kNodes = 5;
constexpr int kLinesPerNode = 5000;
constexpr qint64 kStart = 1796400000;

std::vector<proto::LogLine> nodeLines(int node, int count, qint64 start)
{
    std::vector<proto::LogLine> lines;
    lines.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        // One line every 2 s per node, each node offset by a fraction: the five interleave.
        lines.push_back(proto::LogLine{start + 2LL * i + (node % 2),
                                       "[core:error] [pid " + std::to_string(1000 + node) + "] AH00124: request " +
                                           std::to_string(i) + " exceeded the limit of 10 internal redirects"});
    }
    return lines;
}

void BM_InterleavedQuery(benchmark::State& state)
{
    std::vector<std::vector<proto::LogLine>> batches;
    for (int n = 0; n < kNodes; ++n) {
        batches.push_back(nodeLines(n, kLinesPerNode, kStart));
    }
    double gui = 0;
    int rows = 0;
    for (auto _ : state) {
        ui::LogModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setFilterKeyColumn(ui::LogModel::Text);
        const auto t0 = std::chrono::steady_clock::now();
        for (int n = 0; n < kNodes; ++n) {
            model.addLines(QStringLiteral("web%1").arg(n + 1), QStringLiteral("apache-error"), batches[std::size_t(n)]);
        }
        gui += bench::msSince(t0);
        rows = proxy.rowCount();
    }
    state.counters["gui_ms"] = gui / double(state.iterations());
    state.counters["rows"] = rows;
    state.counters["rss_MiB"] = bench::rssMiB();
}
BENCHMARK(BM_InterleavedQuery)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_FollowTick(benchmark::State& state)
{
    ui::LogModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    for (int n = 0; n < kNodes; ++n) {
        model.addLines(QStringLiteral("web%1").arg(n + 1), QStringLiteral("apache-error"),
                       nodeLines(n, kLinesPerNode / 2, kStart));
    }
    qint64 now = kStart + kLinesPerNode;
    double gui = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int n = 0; n < kNodes; ++n) {
            model.addLines(QStringLiteral("web%1").arg(n + 1), QStringLiteral("apache-error"),
                           {proto::LogLine{now, "AH01630: client denied by server configuration"}});
        }
        gui += bench::msSince(t0);
        ++now;
    }
    state.counters["gui_ms"] = gui / double(state.iterations());
}
BENCHMARK(BM_FollowTick)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2000);

} // namespace

HADECK_BENCHMARK_GUI_MAIN()
