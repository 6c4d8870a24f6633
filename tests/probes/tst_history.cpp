// The agent's ring buffers: 1 h at 1 s, 24 h of minute means, a fixed bound.

#include "hadeck/probes/appdata/history.h"

#include <QtTest>

using hadeck::probes::HistoryStore;

class TestHistory : public QObject {
    Q_OBJECT
private slots:
    void secondsAndWrap();
    void minuteMeans();
    void boundedSeries();
    void clockBackwards();
};

void TestHistory::secondsAndWrap()
{
    HistoryStore h;
    const std::int64_t t0 = 1'800'000'000;
    for (std::int64_t i = 0; i < 4000; ++i) {
        QVERIFY(h.record("host.load1", t0 + i, static_cast<double>(i)));
    }
    const auto all = h.query("host.load1", 0, 1);
    QCOMPARE(all.times.size(), HistoryStore::kFineSlots); // the oldest 400 s were overwritten
    QCOMPARE(all.times.front(), t0 + 400);
    QCOMPARE(all.values.front(), 400.0);
    QCOMPARE(all.times.back(), t0 + 3999);
    const auto recent = h.query("host.load1", t0 + 3990, 1);
    QCOMPARE(recent.times.size(), std::size_t(10));
    const auto thinned = h.query("host.load1", t0 + 3980, 5);
    for (const auto t : thinned.times) {
        QCOMPARE(t % 5, 0);
    }
    QVERIFY(h.query("nothing", 0, 1).times.empty());
}

void TestHistory::minuteMeans()
{
    HistoryStore h;
    const std::int64_t t0 = 1'800'000'000 / 60 * 60; // a minute boundary
    for (std::int64_t i = 0; i < 180; ++i) {
        h.record("apache.busyWorkers", t0 + i, i < 60 ? 2.0 : i < 120 ? 4.0 : 10.0);
    }
    const auto m = h.query("apache.busyWorkers", 0, 60);
    QCOMPARE(m.step, 60u);
    QCOMPARE(m.times.size(), std::size_t(3));
    QCOMPARE(m.times[0], t0);
    QCOMPARE(m.values[0], 2.0);
    QCOMPARE(m.values[1], 4.0);
    QCOMPARE(m.values[2], 10.0); // the minute in progress
}

void TestHistory::boundedSeries()
{
    HistoryStore h;
    for (std::size_t i = 0; i < HistoryStore::kMaxSeries; ++i) {
        QVERIFY(h.record("s" + std::to_string(i), 1'800'000'000, 1));
    }
    QVERIFY(!h.record("one.too.many", 1'800'000'000, 1));
    QCOMPARE(h.refused(), std::size_t(1));
    QCOMPARE(h.series().size(), HistoryStore::kMaxSeries);
    QVERIFY(HistoryStore::kMaxSeries * HistoryStore::kBytesPerSeries < 6u * 1024 * 1024);
}

void TestHistory::clockBackwards()
{
    HistoryStore h;
    h.record("x", 1'800'000'100, 1);
    h.record("x", 1'800'000'050, 99); // ignored
    const auto p = h.query("x", 0, 1);
    QCOMPARE(p.values.size(), std::size_t(1));
    QCOMPARE(p.values[0], 1.0);
    QVERIFY(!h.record("x", -5, 1));
}

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
