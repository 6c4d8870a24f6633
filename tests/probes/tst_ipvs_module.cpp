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

#include <memory>
#include <string>
#include <vector>

using namespace hadeck;
using namespace hadeck::probes;

namespace {

/// The kernel's table, as the test sets it.
class FakeBackend final : public IpvsBackend {
public:
    explicit FakeBackend(std::shared_ptr<std::vector<proto::VirtualService>> table) : m_table(std::move(table)) {}
    [[nodiscard]] std::string name() const override { return "fake"; }
    Expected<std::vector<proto::VirtualService>> list() override { return *m_table; }
    Status setWeight(const proto::VirtualService&, const std::string&, std::uint16_t, std::uint32_t) override
    {
        return {};
    }

private:
    std::shared_ptr<std::vector<proto::VirtualService>> m_table;
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

QTEST_GUILESS_MAIN(TestIpvsModule)
#include "tst_ipvs_module.moc"
