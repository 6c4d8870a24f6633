// The drain module's hold against keepalived's checker: when the checker marks a real server UP
// (an lvs_notify_fifo line, seen inside the agent as a realserver.health event) it has just put
// the dest back at its configured weight, and the held drain's weight 0 goes back at once, not
// at the next re-assert tick. At start a held drain is re-asserted before start() returns.

#include "hadeck/agent/actions/director_access.h"
#include "hadeck/agent/actions/drain_book.h"
#include "hadeck/agent/actions/drain_module.h"
#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/config.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/payloads.h"

#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <vector>

using namespace hadeck;
using namespace hadeck::agent;

namespace {

struct Kernel {
    std::vector<proto::VirtualService> table;
    int weightWrites = 0;
};

/// The IPVS table as the test sets it; setWeight writes into it.
class FakeIpvs final : public probes::IpvsBackend {
public:
    explicit FakeIpvs(std::shared_ptr<Kernel> k) : m_k(std::move(k)) {}
    [[nodiscard]] std::string name() const override { return "fake"; }
    Expected<std::vector<proto::VirtualService>> list() override { return m_k->table; }
    Status setWeight(const proto::VirtualService& service, const std::string& address, std::uint16_t port,
                     std::uint32_t weight) override
    {
        for (auto& vs : m_k->table) {
            if (vs.key() != service.key()) {
                continue;
            }
            for (auto& rs : vs.realServers) {
                if (rs.address == address && rs.port == port) {
                    rs.weight = weight;
                    ++m_k->weightWrites;
                }
            }
        }
        return {};
    }

private:
    std::shared_ptr<Kernel> m_k;
};

proto::VirtualService service()
{
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = "198.18.0.100";
    vs.port = 80;
    vs.scheduler = "rr";
    for (const char* a : {"198.18.0.21", "198.18.0.22"}) {
        proto::RealServer rs;
        rs.address = a;
        rs.port = 80;
        rs.weight = 100;
        vs.realServers.push_back(rs);
    }
    return vs;
}

std::uint32_t web1Weight(const Kernel& k) { return k.table[0].realServers[0].weight; }

} // namespace

class TestDrainHold : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void heldAtStartBeforeStartReturns();
    void checkerUpLineReassertsAtOnce();
    void otherEventsAndDownLinesDoNothing();

private:
    void startModule();
    void checkerLine(const char* state);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Kernel> m_kernel;
    std::unique_ptr<EventLoop> m_loop;
    std::unique_ptr<MethodRegistry> m_registry;
    std::unique_ptr<Publisher> m_publisher;
    std::unique_ptr<AuditLog> m_audit;
    AgentConfig m_config;
    std::unique_ptr<AgentContext> m_context;
    std::unique_ptr<DrainModule> m_module;
};

void TestDrainHold::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_kernel = std::make_shared<Kernel>();
    m_kernel->table = {service()};
    // A drain of web1 held on disk, as a previous run of the agent left it.
    DrainBook book;
    HeldDrain d;
    d.address = "198.18.0.21";
    d.id = drainId("", d.address, std::nullopt);
    d.user = "admin";
    (void)book.hold(d, m_kernel->table);
    QVERIFY(book.save(m_dir->filePath(QStringLiteral("drains.json")).toStdString()).hasValue());

    auto loop = EventLoop::create(1);
    QVERIFY(loop.hasValue());
    m_loop = std::move(*loop);
    m_registry = std::make_unique<MethodRegistry>();
    m_publisher = std::make_unique<Publisher>();
    m_audit = std::make_unique<AuditLog>(m_dir->filePath(QStringLiteral("audit.log")).toStdString());
    m_context = std::make_unique<AgentContext>(
        AgentContext{*m_loop, *m_registry, *m_publisher, *m_audit, m_config, m_dir->path().toStdString()});
}

void TestDrainHold::cleanup()
{
    m_module.reset();
    m_context.reset();
    m_audit.reset();
    m_publisher.reset();
    m_registry.reset();
    m_loop.reset();
}

void TestDrainHold::startModule()
{
    m_module = std::make_unique<DrainModule>(std::make_unique<FakeIpvs>(m_kernel), nullptr);
    m_module->start(*m_context);
}

void TestDrainHold::checkerLine(const char* state)
{
    // What the keepalived module makes of "RS [198.18.0.21]:tcp:80 [198.18.0.100]:tcp:80 UP".
    m_publisher->event(
        rpc::Json(proto::RealServerHealthEvent{"dir1", "[198.18.0.21]:tcp:80", "[198.18.0.100]:tcp:80", state, 1.0}));
}

void TestDrainHold::heldAtStartBeforeStartReturns()
{
    // The weight went back to 100 while the agent was down.
    QCOMPARE(web1Weight(*m_kernel), 100u);
    startModule();
    QCOMPARE(web1Weight(*m_kernel), 0u);
    QCOMPARE(m_kernel->table[0].realServers[1].weight, 100u); // web2 untouched
}

void TestDrainHold::checkerUpLineReassertsAtOnce()
{
    startModule();
    QCOMPARE(web1Weight(*m_kernel), 0u);
    // The checker re-adds web1 at its configured weight, then writes its UP line.
    m_kernel->table[0].realServers[0].weight = 100;
    checkerLine("UP");
    // No loop iteration ran: only the reaction to the line can have put 0 back.
    QCOMPARE(web1Weight(*m_kernel), 0u);
}

void TestDrainHold::otherEventsAndDownLinesDoNothing()
{
    startModule();
    const int writes = m_kernel->weightWrites;
    m_kernel->table[0].realServers[0].weight = 100;
    checkerLine("DOWN");
    m_publisher->event(rpc::Json{{"type", std::string(proto::event::VrrpTransition)}});
    m_publisher->event(rpc::Json::array());
    QCOMPARE(m_kernel->weightWrites, writes);
    QCOMPARE(web1Weight(*m_kernel), 100u); // left for the periodic look
}

QTEST_GUILESS_MAIN(TestDrainHold)
#include "tst_drain_hold.moc"
