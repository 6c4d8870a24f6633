#include "hadeck/agent/actions/drain_book.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace hadeck;
using namespace hadeck::agent;

namespace {

proto::RealServer rs(const std::string& addr, std::uint16_t port, std::uint32_t weight)
{
    proto::RealServer r;
    r.address = addr;
    r.port = port;
    r.weight = weight;
    r.upperThreshold = 100;
    return r;
}

proto::VirtualService vs(std::uint16_t port, std::vector<proto::RealServer> servers)
{
    proto::VirtualService v;
    v.protocol = "tcp";
    v.address = "198.18.0.100";
    v.port = port;
    v.realServers = std::move(servers);
    return v;
}

std::vector<proto::VirtualService> table(std::uint32_t w1 = 3, std::uint32_t w2 = 1)
{
    return {vs(80, {rs("198.18.0.21", 80, w1), rs("198.18.0.22", 80, w2)}),
            vs(443, {rs("198.18.0.21", 443, w1), rs("198.18.0.22", 443, w2)})};
}

HeldDrain web1(const std::string& service = {})
{
    HeldDrain d;
    d.address = "198.18.0.21";
    d.serviceKey = service;
    d.user = "alice";
    return d;
}

} // namespace

class TestDrainBook : public QObject {
    Q_OBJECT
private slots:
    void holdZeroesEveryMatchingDest();
    void holdOneService();
    void reassertAfterKeepalivedRewrite();
    void reassertQuietWhenHeld();
    void releaseUsesConfigWeight();
    void releaseFallsBackToWeightBefore();
    void overlappingHoldsKeepDestDrained();
    void retryKeepsFirstWeights();
    void persistsAcrossRestart();
    void corruptFileIsAnErrorAndKept();
};

void TestDrainBook::holdZeroesEveryMatchingDest()
{
    DrainBook book;
    const auto changes = book.hold(web1(), table());
    QCOMPARE(changes.size(), std::size_t(2));
    for (const auto& c : changes) {
        QCOMPARE(c.dest.address, std::string("198.18.0.21"));
        QCOMPARE(c.newWeight, 0U);
        // SET_DEST needs every field back, thresholds included.
        QCOMPARE(c.dest.upperThreshold, 100U);
    }
    QCOMPARE(book.drains().front().weightBefore.size(), std::size_t(2));
}

void TestDrainBook::holdOneService()
{
    DrainBook book;
    const auto changes = book.hold(web1("TCP 198.18.0.100:443"), table());
    QCOMPARE(changes.size(), std::size_t(1));
    QCOMPARE(changes[0].service.port, std::uint16_t(443));
}

void TestDrainBook::reassertAfterKeepalivedRewrite()
{
    DrainBook book;
    book.hold(web1(), table());
    // keepalived's reload wrote the configured weight back on :80 only.
    auto t = table(0);
    t[0].realServers[0].weight = 3;
    const auto changes = book.reassert(t);
    QCOMPARE(changes.size(), std::size_t(1));
    QCOMPARE(changes[0].service.port, std::uint16_t(80));
    QCOMPARE(changes[0].newWeight, 0U);
}

void TestDrainBook::reassertQuietWhenHeld()
{
    DrainBook book;
    book.hold(web1(), table());
    QVERIFY(book.reassert(table(0)).empty());
}

void TestDrainBook::releaseUsesConfigWeight()
{
    DrainBook book;
    book.hold(web1(), table(3));
    const std::map<std::string, std::uint32_t> configured{{"TCP 198.18.0.100:80|198.18.0.21:80", 5}};
    const auto plan = book.release(web1().address.empty() ? "" : "*|198.18.0.21", table(0), configured);
    QVERIFY(plan);
    QCOMPARE(plan->changes.size(), std::size_t(2));
    const auto& d80 = plan->details.at("TCP 198.18.0.100:80|198.18.0.21:80");
    QCOMPARE(d80.weight, 5U);
    QVERIFY(d80.source == RestoreSource::KeepalivedConfig);
    QCOMPARE(*d80.beforeDrain, 3U); // the admin is told both
    const auto& d443 = plan->details.at("TCP 198.18.0.100:443|198.18.0.21:443");
    QCOMPARE(d443.weight, 3U);
    QVERIFY(d443.source == RestoreSource::BeforeDrain);
    QVERIFY(book.drains().empty());
}

void TestDrainBook::releaseFallsBackToWeightBefore()
{
    DrainBook book;
    book.hold(web1(), table(0)); // already 0 when drained: nothing to remember
    const auto plan = book.release("*|198.18.0.21", table(0), {});
    QVERIFY(plan);
    QVERIFY(plan->details.begin()->second.source == RestoreSource::Default);
    QCOMPARE(plan->details.begin()->second.weight, 1U);
    QVERIFY(!book.release("*|198.18.0.99", table(), {}));
}

void TestDrainBook::overlappingHoldsKeepDestDrained()
{
    DrainBook book;
    book.hold(web1(), table());
    book.hold(web1("TCP 198.18.0.100:80"), table(0));
    const auto plan = book.release("*|198.18.0.21", table(0), {});
    QVERIFY(plan);
    QCOMPARE(plan->changes.size(), std::size_t(1)); // :443 back, :80 still held
    QCOMPARE(plan->changes[0].service.port, std::uint16_t(443));
}

void TestDrainBook::retryKeepsFirstWeights()
{
    DrainBook book;
    book.hold(web1(), table(4));
    book.hold(web1(), table(0)); // retry after a partial failure
    QCOMPARE(book.drains().size(), std::size_t(1));
    QCOMPARE(book.drains().front().weightBefore.at("TCP 198.18.0.100:80|198.18.0.21:80"), 4U);
}

void TestDrainBook::persistsAcrossRestart()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("drains.json").toStdString();
    {
        DrainBook book;
        auto d = web1();
        d.port = 80;
        d.forced = true;
        book.hold(d, table());
        QVERIFY(book.save(path).hasValue());
    }
    auto loaded = DrainBook::load(path);
    QVERIFY2(loaded.hasValue(), loaded ? "" : loaded.error().message.c_str());
    QCOMPARE(loaded->drains().size(), std::size_t(1));
    const auto& d = loaded->drains().front();
    QCOMPARE(d.id, std::string("*|198.18.0.21:80"));
    QVERIFY(d.forced);
    QCOMPARE(d.user, std::string("alice"));
    QCOMPARE(*d.port, std::uint16_t(80));
    // After a restart the held drain is re-asserted on the first table read.
    QCOMPARE(loaded->reassert(table()).size(), std::size_t(1));
}

void TestDrainBook::corruptFileIsAnErrorAndKept()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("drains.json").toStdString();
    std::ofstream(path) << "{\"drains\": [ {\"addr";
    const auto loaded = DrainBook::load(path);
    QVERIFY(!loaded.hasValue());
    QVERIFY(QString::fromStdString(loaded.error().message).contains("drains.json"));
    QVERIFY(std::filesystem::exists(path));
    QVERIFY(DrainBook::load(dir.filePath("missing.json").toStdString()).hasValue());
}

QTEST_GUILESS_MAIN(TestDrainBook)
#include "tst_drain_book.moc"
