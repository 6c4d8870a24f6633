#include "hadeck/console/actions/drain_estimator.h"

#include <QtTest>

#include <cmath>

using hadeck::console::DrainEstimator;
using hadeck::console::PersistenceClock;

class TestDrainEstimator : public QObject {
    Q_OBJECT
private slots:
    void exponentialDecay_data();
    void exponentialDecay();
    void plateauGivesNoEstimate();
    void emptiedServerIsDone();
    void windowForgetsOldRegime();
    void ignoresOutOfOrderSamples();
    void templatesExpireOneTimeoutAfterTheLastConnection();
    void templatesWhileConnectionsRemain();
    void returningClientRestartsTheClock();
    void noTemplatesLeavesTheEtaAlone();
};

void TestDrainEstimator::exponentialDecay_data()
{
    QTest::addColumn<double>("start");
    QTest::addColumn<double>("rate");
    QTest::newRow("fast pages") << 400.0 << 0.5;
    QTest::newRow("slow downloads") << 60.0 << 0.02;
}

void TestDrainEstimator::exponentialDecay()
{
    QFETCH(double, start);
    QFETCH(double, rate);
    DrainEstimator e;
    // (n+1) decaying exactly exponentially: the fit must recover the rate.
    for (int t = 0; t < 10; ++t) {
        e.addSample(t, (start + 1.0) * std::exp(-rate * t) - 1.0);
    }
    QVERIFY(e.decayRate());
    QVERIFY(std::abs(*e.decayRate() - rate) < rate * 0.01);
    const double last = *e.lastRemaining();
    const double expected = std::log((last + 1.0) / 1.5) / rate;
    QVERIFY(e.etaSeconds());
    QVERIFY(std::abs(*e.etaSeconds() - expected) < 0.05 * expected + 0.01);
}

void TestDrainEstimator::plateauGivesNoEstimate()
{
    DrainEstimator e;
    for (int t = 0; t < 10; ++t) {
        e.addSample(t, 12);
    }
    QVERIFY(!e.decayRate());
    QVERIFY(!e.etaSeconds());
}

void TestDrainEstimator::emptiedServerIsDone()
{
    DrainEstimator e;
    QVERIFY(!e.etaSeconds());
    e.addSample(0, 3);
    e.addSample(1, 0);
    QCOMPARE(*e.etaSeconds(), 0.0);
}

void TestDrainEstimator::windowForgetsOldRegime()
{
    DrainEstimator e(5);
    for (int t = 0; t < 5; ++t) {
        e.addSample(t, 100); // stuck at first
    }
    QVERIFY(!e.decayRate());
    for (int t = 5; t < 10; ++t) {
        e.addSample(t, 100.0 / (t - 3));
    }
    QVERIFY(e.decayRate());
}

void TestDrainEstimator::ignoresOutOfOrderSamples()
{
    DrainEstimator e;
    e.addSample(5, 10);
    e.addSample(4, 1000);
    QCOMPARE(*e.lastRemaining(), 10.0);
}

void TestDrainEstimator::templatesExpireOneTimeoutAfterTheLastConnection()
{
    // The lab's case: persistence_timeout 120, connections gone at t=3, 5 templates left.
    PersistenceClock c;
    const double conns[] = {4, 2, 1, 1, 0, 0, 0};
    for (int t = 0; t < 7; ++t) {
        c.addSample(t, conns[t], 5, 120);
    }
    QCOMPARE(c.templatesLeft(), 5.0);
    QVERIFY(c.expiresInSeconds());
    QCOMPARE(*c.expiresInSeconds(), 3.0 + 120.0 - 6.0);
    // No connection left: the ETA is the templates' expiry, not "unknown" (the plateau of 5).
    QCOMPARE(c.combinedEta(0.0), std::optional<double>(117.0));
    c.addSample(200, 0, 0, 120);
    QCOMPARE(*c.expiresInSeconds(), 0.0);
}

void TestDrainEstimator::templatesWhileConnectionsRemain()
{
    PersistenceClock c;
    c.addSample(0, 10, 5, 120);
    QVERIFY(!c.expiresInSeconds()); // each open connection restarts its template's timeout
    QCOMPARE(c.combinedEta(30.0), std::optional<double>(150.0));
    QVERIFY(!c.combinedEta(std::nullopt));
    PersistenceClock noTimeout;
    noTimeout.addSample(0, 0, 5, 0);
    QVERIFY(!noTimeout.expiresInSeconds());
}

void TestDrainEstimator::returningClientRestartsTheClock()
{
    PersistenceClock c;
    c.addSample(0, 0, 3, 60); // first sample: counted from now
    c.addSample(10, 0, 3, 60);
    QCOMPARE(*c.expiresInSeconds(), 50.0);
    c.addSample(20, 1, 3, 60); // a client came back through its template
    c.addSample(25, 0, 3, 60);
    QCOMPARE(*c.expiresInSeconds(), 55.0);
}

void TestDrainEstimator::noTemplatesLeavesTheEtaAlone()
{
    PersistenceClock c;
    c.addSample(0, 10, 0, 120);
    QCOMPARE(c.combinedEta(12.5), std::optional<double>(12.5));
    QVERIFY(!c.combinedEta(std::nullopt));
    QCOMPARE(*c.expiresInSeconds(), 0.0);
}

QTEST_GUILESS_MAIN(TestDrainEstimator)
#include "tst_drain_estimator.moc"
