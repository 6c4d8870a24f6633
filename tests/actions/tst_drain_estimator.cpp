#include "hadeck/console/actions/drain_estimator.h"

#include <QtTest>

#include <cmath>

using hadeck::console::DrainEstimator;

class TestDrainEstimator : public QObject {
    Q_OBJECT
private slots:
    void exponentialDecay_data();
    void exponentialDecay();
    void plateauGivesNoEstimate();
    void emptiedServerIsDone();
    void windowForgetsOldRegime();
    void ignoresOutOfOrderSamples();
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

QTEST_GUILESS_MAIN(TestDrainEstimator)
#include "tst_drain_estimator.moc"
