// The agent's event loop: deferred callbacks run once, in order, and those still pending
// when the loop goes away are freed with what they captured (nothing is left to leak).

#include "hadeck/agent/event_loop.h"

#include <QtTest>

#include <memory>
#include <vector>

using namespace hadeck::agent;

class TestEventLoop : public QObject {
    Q_OBJECT

private slots:
    void deferredRunOnceInOrder();
    void pendingDeferredFreedWithTheLoop();
    void offloadResultReachesTheLoop();
};

void TestEventLoop::deferredRunOnceInOrder()
{
    auto loop = EventLoop::create(1);
    QVERIFY(loop);
    std::vector<int> ran;
    auto token = std::make_shared<int>(0);
    (*loop)->defer([&ran, token] { ran.push_back(1); });
    (*loop)->defer([&ran, token] { ran.push_back(2); });
    (*loop)->defer([&ran, l = loop->get()] {
        ran.push_back(3);
        l->exit(0);
    });
    QCOMPARE((*loop)->run(), 0);
    QCOMPARE(ran, (std::vector<int>{1, 2, 3}));
    QCOMPARE(token.use_count(), 1); // run callbacks are freed at once
}

void TestEventLoop::pendingDeferredFreedWithTheLoop()
{
    auto token = std::make_shared<int>(0);
    bool ran = false;
    {
        auto loop = EventLoop::create(1);
        QVERIFY(loop);
        // The loop stops before these run, as the agent's does on SIGTERM with work queued.
        (*loop)->defer([l = loop->get()] { l->exit(0); });
        (*loop)->defer([&ran, token] { ran = true; });
        EventLoop* raw = loop->get();
        (*loop)->defer([raw, token] {
            // Freed without running; had it run, it would queue more.
            raw->defer([token] {});
        });
        QCOMPARE((*loop)->run(), 0);
        QVERIFY(token.use_count() > 1);
    }
    QVERIFY(!ran);
    QCOMPARE(token.use_count(), 1);
}

void TestEventLoop::offloadResultReachesTheLoop()
{
    auto loop = EventLoop::create(1);
    QVERIFY(loop);
    Json got;
    (*loop)->offload(
        [] {
            return Json{{"answer", 42}};
        },
        [&got, l = loop->get()](Json j) {
            got = std::move(j);
            l->exit(0);
        });
    QCOMPARE((*loop)->run(), 0);
    QCOMPARE(got.value("answer", 0), 42);
}

QTEST_GUILESS_MAIN(TestEventLoop)
#include "tst_event_loop.moc"
