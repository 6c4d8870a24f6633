// The topology of a 300-node cluster with every layer: 2 directors, 240 real servers,
// db1 with 5 replicas, a MooseFS master with 50 chunkservers, a gateway; 483 IPVS and
// VRRP edges, 5 replication, 50 MooseFS and 535 observed edges. Each benchmark reports
// the GUI thread's time per run (median and p99 over its iterations, ms).
//   BM_Layout      the whole layout (cards, bands, edges routed) from the models;
//   BM_PaintFit    one paint of the whole scene fitted into 1600x1000 (far zoom: simple cards);
//   BM_PaintNear   one paint of a 1600x1000 window at 1:1 (full cards, text, labels);
//   BM_Tick        a second of new numbers (IPVS counters, lags, space, connections) through
//                  both models to the scene: recolor and edge update, no layout (checked).

#include "benchstats.h"
#include "topologyfixture.h"

#include "app/nodeselection.h"
#include "topology/topologyscene.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>

using namespace hadeck;

namespace {

using bench::msSince;

void report(benchmark::State& state, std::vector<double> samplesMs)
{
    if (samplesMs.empty()) {
        return;
    }
    bench::quantiles(state, "", std::move(samplesMs));
    state.counters["rss_MiB"] = bench::rssMiB();
}

struct Fixture {
    console::ClusterModel model{QStringLiteral("bench")};
    ui::AppDataStore app;
    ui::NodeSelection selection;
    testing::SyntheticCluster source{testing::topologyOptions300()};
    std::unique_ptr<ui::TopologyScene> scene;
    int tick = 0;

    Fixture()
    {
        model.setTickInterval(1000);
        app.setTickInterval(1000);
        source.open(model);
        model.flush();
        testing::feedAppData(app, model);
        app.flush();
        scene = std::make_unique<ui::TopologyScene>(model, selection, &app);
    }

    void paint(QImage& image, const QRectF& source)
    {
        image.fill(Qt::white);
        QPainter p(&image);
        p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        scene->render(&p, QRectF(image.rect()), source, Qt::KeepAspectRatio);
    }
};

void BM_Layout(benchmark::State& state)
{
    Fixture f;
    std::vector<double> ms;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        f.scene->rebuild();
        const double t = msSince(t0);
        ms.push_back(t);
        state.SetIterationTime(t / 1000.0);
    }
    state.counters["cards"] = f.scene->nodeItemCount() + f.scene->vipItemCount();
    state.counters["edges"] = f.scene->edgeCount();
    report(state, std::move(ms));
}

void paintBench(benchmark::State& state, bool fit)
{
    Fixture f;
    QImage image(1600, 1000, QImage::Format_ARGB32_Premultiplied);
    const QRectF all = f.scene->sceneRect();
    const QRectF near(f.scene->itemFor(QStringLiteral("web1"))->sceneBoundingRect().center() - QPointF(800, 300),
                      QSizeF(1600, 1000));
    std::vector<double> ms;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        f.paint(image, fit ? all : near);
        const double t = msSince(t0);
        ms.push_back(t);
        state.SetIterationTime(t / 1000.0);
    }
    if (fit && qEnvironmentVariableIsSet("HADECK_BENCH_SHOTS")) {
        image.save(qEnvironmentVariable("HADECK_BENCH_SHOTS") + QStringLiteral("/topology-bench-fit.png"));
    }
    report(state, std::move(ms));
}

void BM_PaintFit(benchmark::State& state) { paintBench(state, true); }
void BM_PaintNear(benchmark::State& state) { paintBench(state, false); }

void BM_Tick(benchmark::State& state)
{
    Fixture f;
    const int layouts = f.scene->layoutCount();
    std::vector<double> ms;
    for (auto _ : state) {
        ++f.tick;
        // The feeds' side (not the scene's): new counters and the agents' application topics.
        f.source.advance(f.model);
        testing::feedAppData(f.app, f.model, f.tick);
        const auto t0 = std::chrono::steady_clock::now();
        f.model.flush(); // the scene recolors and updates its edges here
        f.app.flush();   // and here
        const double t = msSince(t0);
        ms.push_back(t);
        state.SetIterationTime(t / 1000.0);
    }
    if (f.scene->layoutCount() != layouts) {
        state.SkipWithError("a tick with only new numbers laid the scene out again");
    }
    report(state, std::move(ms));
}

} // namespace

BENCHMARK(BM_Layout)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_PaintFit)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_PaintNear)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_Tick)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(60);

// The scene reads the palette and icons.
HADECK_BENCHMARK_GUI_MAIN()
