// The ipvs module publishes a change of the table's structure made outside HaDeck (a weight set
// with ipvsadm) at its next quick look, not at the next sample. The sample interval here is a
// minute, so only a quick look can publish within the test's wait.

#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/client_sink.h"
#include "hadeck/agent/config.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/probes/ipvs_text.h"
#include "hadeck/probes/modules/ipvs_module.h"

#include "fixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace hadeck;
using namespace hadeck::probes;

namespace {

/// What the module asked the backend for.
struct Reads {
    int lists = 0;
    int stamps = 0;
};

/// The kernel's table, as the test sets it; with @p stamp, a structure fingerprint too.
class FakeBackend final : public IpvsBackend {
public:
    explicit FakeBackend(std::shared_ptr<std::vector<proto::VirtualService>> table,
                         std::shared_ptr<Reads> reads = std::make_shared<Reads>(),
                         std::shared_ptr<std::uint64_t> stamp = nullptr)
        : m_table(std::move(table))
        , m_reads(std::move(reads))
        , m_stamp(std::move(stamp))
    {}
    [[nodiscard]] std::string name() const override { return "fake"; }
    Expected<std::vector<proto::VirtualService>> list() override
    {
        ++m_reads->lists;
        return *m_table;
    }
    std::optional<std::uint64_t> structureStamp() override
    {
        if (!m_stamp) {
            return std::nullopt;
        }
        ++m_reads->stamps;
        return *m_stamp;
    }
    Status setWeight(const proto::VirtualService&, const std::string&, std::uint16_t, std::uint32_t) override
    {
        return {};
    }

private:
    std::shared_ptr<std::vector<proto::VirtualService>> m_table;
    std::shared_ptr<Reads> m_reads;
    std::shared_ptr<std::uint64_t> m_stamp;
};

class Sink final : public agent::ClientSink {
public:
    void sendLine(std::string_view line) override { lines.emplace_back(line); }
    [[nodiscard]] int clientId() const override { return 7; }
    std::vector<std::string> lines;
};

} // namespace

class TestIpvsModule : public QObject {
    Q_OBJECT
private slots:
    void weightSetOutsideIsPublishedAtTheNextQuickLook();
    void noQuickLooksWhileNobodySubscribes();
    void quickLookReadsTheTableOnlyWhenItsStampMoves();
    void tableIsLentTypedToReadersInTheAgent();
};

void TestIpvsModule::weightSetOutsideIsPublishedAtTheNextQuickLook()
{
    auto parsed = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")));
    QVERIFY(parsed.hasValue());
    auto table = std::make_shared<std::vector<proto::VirtualService>>(*parsed);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto loop = agent::EventLoop::create(1);
    QVERIFY(loop.hasValue());
    agent::MethodRegistry registry;
    agent::Publisher publisher;
    agent::AuditLog audit(dir.filePath(QStringLiteral("audit.log")).toStdString());
    agent::AgentConfig config;
    config.sampleInterval = std::chrono::minutes(1);
    config.modules["ipvs"]["change_poll_ms"] = 20;
    agent::AgentContext context{**loop, registry, publisher, audit, config, dir.path().toStdString()};

    auto sink = std::make_shared<Sink>();
    publisher.addClient(sink);

    IpvsModule module([table]() -> Expected<std::unique_ptr<IpvsBackend>> {
        return std::unique_ptr<IpvsBackend>(std::make_unique<FakeBackend>(table));
    });
    module.start(context);
    QCOMPARE(publisher.subscribe(sink->clientId(), {"ipvs"}), std::vector<std::string>{"ipvs"}); // known once started
    module.sample(); // the first sample: what later ones are compared with
    const auto before = sink->lines.size();

    (*table)[0].realServers[0].weight = 77; // ipvsadm -e ... -w 77, outside HaDeck
    bool published = false;
    auto check = (*loop)->addTimer(std::chrono::milliseconds(5), true, [&] {
        for (auto i = before; i < sink->lines.size(); ++i) {
            if (sink->lines[i].find("\"weight\":77") != std::string::npos) {
                published = true;
                (*loop)->exit(0);
            }
        }
    });
    QVERIFY(check.hasValue());
    auto deadline = (*loop)->addTimer(std::chrono::seconds(10), false, [&] { (*loop)->exit(1); });
    QVERIFY(deadline.hasValue());
    (*loop)->run();
    QVERIFY2(published, "the weight set outside HaDeck was not published before the next sample");
}

// An idle director's agent (no console attached) reads the table once a sample, not ten times.
void TestIpvsModule::noQuickLooksWhileNobodySubscribes()
{
    auto parsed = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")));
    QVERIFY(parsed.hasValue());
    auto table = std::make_shared<std::vector<proto::VirtualService>>(*parsed);
    auto reads = std::make_shared<Reads>();

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto loop = agent::EventLoop::create(1);
    QVERIFY(loop.hasValue());
    agent::MethodRegistry registry;
    agent::Publisher publisher;
    agent::AuditLog audit(dir.filePath(QStringLiteral("audit.log")).toStdString());
    agent::AgentConfig config;
    config.sampleInterval = std::chrono::minutes(1);
    config.modules["ipvs"]["change_poll_ms"] = 10;
    agent::AgentContext context{**loop, registry, publisher, audit, config, dir.path().toStdString()};
    auto sink = std::make_shared<Sink>();
    publisher.addClient(sink);

    IpvsModule module([table, reads]() -> Expected<std::unique_ptr<IpvsBackend>> {
        return std::unique_ptr<IpvsBackend>(std::make_unique<FakeBackend>(table, reads));
    });
    module.start(context);
    module.sample();
    QCOMPARE(reads->lists, 1);

    // One run of the loop, in three phases: twenty quick-look periods with nobody subscribed;
    // then a subscriber until three more reads (this backend has no stamp: each look lists);
    // then twenty periods after it left.
    int unsubscribedReads = -1;
    int leftAt = -1;
    agent::EventSource phase2;
    agent::EventSource phase3;
    auto phase1 = (*loop)->addTimer(std::chrono::milliseconds(200), false, [&] {
        unsubscribedReads = reads->lists;
        publisher.subscribe(sink->clientId(), {"ipvs"});
        auto t = (*loop)->addTimer(std::chrono::milliseconds(5), true, [&] {
            if (leftAt < 0 && reads->lists >= unsubscribedReads + 3) {
                publisher.removeClient(sink->clientId());
                leftAt = reads->lists;
                auto end = (*loop)->addTimer(std::chrono::milliseconds(200), false, [&] { (*loop)->exit(0); });
                if (end) {
                    phase3 = std::move(*end);
                }
            }
        });
        if (t) {
            phase2 = std::move(*t);
        }
    });
    QVERIFY(phase1.hasValue());
    auto deadline = (*loop)->addTimer(std::chrono::seconds(10), false, [&] { (*loop)->exit(1); });
    QVERIFY(deadline.hasValue());
    QCOMPARE((*loop)->run(), 0);
    QCOMPARE(unsubscribedReads, 1);
    QVERIFY(leftAt >= 4);
    QVERIFY2(reads->lists <= leftAt + 1, "quick looks went on after the last subscriber left");
}

// A quick look asks for the cheap fingerprint; the table is dumped only when it moved.
void TestIpvsModule::quickLookReadsTheTableOnlyWhenItsStampMoves()
{
    auto parsed = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")));
    QVERIFY(parsed.hasValue());
    auto table = std::make_shared<std::vector<proto::VirtualService>>(*parsed);
    auto reads = std::make_shared<Reads>();
    auto stamp = std::make_shared<std::uint64_t>(1);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto loop = agent::EventLoop::create(1);
    QVERIFY(loop.hasValue());
    agent::MethodRegistry registry;
    agent::Publisher publisher;
    agent::AuditLog audit(dir.filePath(QStringLiteral("audit.log")).toStdString());
    agent::AgentConfig config;
    config.sampleInterval = std::chrono::minutes(1);
    config.modules["ipvs"]["change_poll_ms"] = 10;
    agent::AgentContext context{**loop, registry, publisher, audit, config, dir.path().toStdString()};
    auto sink = std::make_shared<Sink>();
    publisher.addClient(sink);

    IpvsModule module([table, reads, stamp]() -> Expected<std::unique_ptr<IpvsBackend>> {
        return std::unique_ptr<IpvsBackend>(std::make_unique<FakeBackend>(table, reads, stamp));
    });
    module.start(context);
    publisher.subscribe(sink->clientId(), {"ipvs"});
    module.sample();
    const int listsAfterSample = reads->lists;
    int listsAfterTenLooks = -1;
    std::size_t before = 0;
    bool published = false;
    auto check = (*loop)->addTimer(std::chrono::milliseconds(5), true, [&] {
        if (listsAfterTenLooks < 0 && reads->stamps >= 10) {
            // Ten quick looks on an unchanged table: fingerprints only. Now a weight set outside
            // HaDeck moves the fingerprint: the next look dumps and publishes it.
            listsAfterTenLooks = reads->lists;
            before = sink->lines.size();
            (*table)[0].realServers[0].weight = 77;
            *stamp = 2;
            return;
        }
        for (auto i = before; listsAfterTenLooks >= 0 && i < sink->lines.size(); ++i) {
            if (sink->lines[i].find("\"weight\":77") != std::string::npos) {
                published = true;
                (*loop)->exit(0);
            }
        }
    });
    QVERIFY(check.hasValue());
    auto deadline = (*loop)->addTimer(std::chrono::seconds(10), false, [&] { (*loop)->exit(1); });
    QVERIFY(deadline.hasValue());
    (*loop)->run();
    QCOMPARE(listsAfterTenLooks, listsAfterSample);
    QVERIFY(published);
    QCOMPARE(reads->lists, listsAfterSample + 1);
}

// Alarms and /metrics read the table without a JSON round trip (10,000 dests).
void TestIpvsModule::tableIsLentTypedToReadersInTheAgent()
{
    auto parsed = parseProcIpVs(fixture(QStringLiteral("ipvs/ip_vs.txt")));
    QVERIFY(parsed.hasValue());
    auto table = std::make_shared<std::vector<proto::VirtualService>>(*parsed);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto loop = agent::EventLoop::create(1);
    QVERIFY(loop.hasValue());
    agent::MethodRegistry registry;
    agent::Publisher publisher;
    agent::AuditLog audit(dir.filePath(QStringLiteral("audit.log")).toStdString());
    agent::AgentConfig config;
    agent::AgentContext context{**loop, registry, publisher, audit, config, dir.path().toStdString()};
    IpvsModule module([table]() -> Expected<std::unique_ptr<IpvsBackend>> {
        return std::unique_ptr<IpvsBackend>(std::make_unique<FakeBackend>(table));
    });
    module.start(context);
    using Table = std::vector<proto::VirtualService>;
    QVERIFY(publisher.typedSnapshot<Table>("ipvs") == nullptr); // nothing read yet
    module.sample();
    const auto* lent = publisher.typedSnapshot<Table>("ipvs");
    QVERIFY(lent != nullptr);
    QVERIFY(*lent == *table);
    QVERIFY(publisher.typedSnapshot<std::vector<proto::RealServer>>("ipvs") == nullptr); // another type
    QVERIFY(publisher.typedSnapshot<Table>("vrrp") == nullptr);
    // The same table as the JSON snapshot gives.
    QVERIFY(publisher.snapshot("ipvs")["services"].get<Table>() == *lent);
}

QTEST_GUILESS_MAIN(TestIpvsModule)
#include "tst_ipvs_module.moc"
