// The agent's event loop: deferred callbacks run once, in order, and those still pending
// when the loop goes away are freed with what they captured (nothing is left to leak).

#include "hadeck/agent/event_loop.h"

#include <QtTest>

#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace hadeck;
using namespace hadeck::agent;

class TestEventLoop : public QObject {
    Q_OBJECT

private slots:
    void deferredRunOnceInOrder();
    void pendingDeferredFreedWithTheLoop();
    void offloadResultReachesTheLoop();
    void offloadErrorIsTyped();
    void offloadThrowReachesDoneAsFailure();
    void offloadFullLaneRefusesWithFailure();
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
    const auto loopThread = std::this_thread::get_id();
    std::thread::id workThread;
    std::thread::id doneThread;
    std::optional<Expected<int>> got;
    (*loop)->offload(
        [&workThread]() -> Expected<int> {
            workThread = std::this_thread::get_id();
            return 42;
        },
        [&got, &doneThread, l = loop->get()](Expected<int> r) {
            doneThread = std::this_thread::get_id();
            got.emplace(std::move(r));
            l->exit(0);
        });
    QCOMPARE((*loop)->run(), 0);
    QVERIFY(got.has_value());
    QVERIFY(got->hasValue());
    QCOMPARE(**got, 42);
    QVERIFY(workThread != loopThread); // the work ran on a worker...
    QVERIFY(workThread != std::thread::id());
    QVERIFY(doneThread == loopThread); // ...and its result came back to the loop thread
}

void TestEventLoop::offloadErrorIsTyped()
{
    auto loop = EventLoop::create(1);
    QVERIFY(loop);
    const auto loopThread = std::this_thread::get_id();
    std::thread::id doneThread;
    std::optional<Expected<Json>> got;
    std::optional<Status> status;
    EventLoop* l = loop->get();
    // A result that is JSON holding an "error" key is a value, not a failure: only the type decides.
    l->offload([]() -> Expected<Json> { return fail("cannot read the log", 7); },
               [&got, &doneThread](Expected<Json> r) {
                   doneThread = std::this_thread::get_id();
                   got.emplace(std::move(r));
               });
    std::optional<Expected<Json>> inBand;
    l->offload(
        []() -> Expected<Json> {
            return Json{{"error", "a value"}};
        },
        [&inBand](Expected<Json> r) { inBand.emplace(std::move(r)); });
    l->offload([]() -> Status { return {}; },
               [&status, l](Status s) {
                   status.emplace(std::move(s));
                   l->exit(0);
               });
    QCOMPARE(l->run(), 0);
    QVERIFY(got.has_value());
    QVERIFY(!got->hasValue());
    QCOMPARE(got->error().message, std::string("cannot read the log"));
    QCOMPARE(got->error().code, 7);
    QVERIFY(doneThread == loopThread);
    QVERIFY(inBand.has_value());
    QVERIFY(inBand->hasValue());
    QCOMPARE((**inBand).value("error", std::string()), std::string("a value"));
    QVERIFY(status.has_value());
    QVERIFY(status->hasValue());
}

void TestEventLoop::offloadThrowReachesDoneAsFailure()
{
    auto loop = EventLoop::create(1);
    QVERIFY(loop);
    std::optional<Expected<std::string>> got;
    (*loop)->offload([]() -> Expected<std::string> { throw std::runtime_error("worker blew up"); },
                     [&got, l = loop->get()](Expected<std::string> r) {
                         got.emplace(std::move(r));
                         l->exit(0);
                     });
    QCOMPARE((*loop)->run(), 0);
    QVERIFY(got.has_value());
    QVERIFY(!got->hasValue());
    QCOMPARE(got->error().message, std::string("worker blew up"));
}

void TestEventLoop::offloadFullLaneRefusesWithFailure()
{
    auto loop = EventLoop::create(1);
    QVERIFY(loop);
    EventLoop* l = loop->get();
    // The one worker waits on a gate, so the lane fills up and the next job is refused.
    auto gate = std::make_shared<std::promise<void>>();
    std::shared_future<void> open = gate->get_future().share();
    int succeeded = 0;
    std::optional<Failure> refused;
    for (std::size_t i = 0; i < EventLoop::kOffloadQueueLimit; ++i) {
        l->offload(
            [open]() -> Expected<std::size_t> {
                open.wait();
                return std::size_t{1};
            },
            [&succeeded, l](Expected<std::size_t> r) {
                succeeded += r ? static_cast<int>(*r) : 0;
                if (succeeded == static_cast<int>(EventLoop::kOffloadQueueLimit)) {
                    l->exit(0);
                }
            });
    }
    // Outside a call, work is the agent's own: its lane is full, and the others are not.
    QCOMPARE(l->offloadBacklog(EventLoop::OffloadLane::Own), EventLoop::kOffloadQueueLimit);
    QCOMPARE(l->offloadBacklog(EventLoop::OffloadLane::Read), std::size_t{0});
    // The gate opens once the read job is answered and the next own job is refused, so the
    // read job's answer can only have come while the own lane was full.
    bool readServed = false;
    bool gateOpened = false;
    const auto openGateWhenBoth = [&] {
        if (readServed && refused && !gateOpened) {
            gateOpened = true;
            gate->set_value(); // let the queued work finish
        }
    };
    {
        const OffloadLaneScope read(OffloadLane::Read);
        l->offload([]() -> Expected<std::size_t> { return std::size_t{1}; },
                   [&](Expected<std::size_t> r) {
                       readServed = static_cast<bool>(r);
                       openGateWhenBoth();
                   });
    }
    l->offload([]() -> Expected<std::size_t> { return std::size_t{1}; },
               [&](Expected<std::size_t> r) {
                   if (!r) {
                       refused = r.error();
                   }
                   openGateWhenBoth();
               });
    // A read job stuck behind the own lane would keep the gate shut: give up after 10 s.
    auto giveUp = l->addTimer(std::chrono::seconds(10), false, [&] {
        if (!gateOpened) {
            gateOpened = true;
            gate->set_value();
        }
        l->exit(1);
    });
    QVERIFY(giveUp);
    QCOMPARE(l->run(), 0);
    QVERIFY2(readServed, "a read job waited behind the agent's own full lane");
    QVERIFY(refused.has_value());
    QVERIFY(refused->message.find("the agent is busy") != std::string::npos);
    QCOMPARE(succeeded, static_cast<int>(EventLoop::kOffloadQueueLimit));
}

QTEST_GUILESS_MAIN(TestEventLoop)
#include "tst_event_loop.moc"
