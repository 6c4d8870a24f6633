// The real agent's keepalived.config for fwmark and virtual_server_group services: each
// real server's health comes from the lines keepalived 2.2.7 itself wrote to its
// lvs_notify_fifo (tests/data/keepalived/notify_fifo-lvs-services.txt, captured by
// tests/probes/oracle/capture-lvs-fifo.sh), each service names the IPVS services it stands
// for, and an edit of keepalived.conf is seen without restarting the agent.

#include "fixture.h"
#include "agenttestutil.h"

#include "hadeck/protocol/methods.h"
#include "hadeck/protocol/payloads.h"

#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hadeck;
using namespace hadeck::test;

namespace {

const QString kCapturedFifo = QStringLiteral("/tmp/hadeck-lvs-fifo/lvs.fifo");

QByteArray readFixture(const QString& name) { return hadeck::test::fixtureBytes(QStringLiteral("keepalived/") + name); }

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path + QStringLiteral(".new"));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size()) {
        return false;
    }
    f.close();
    return ::rename(QFile::encodeName(path + QStringLiteral(".new")).constData(),
                    QFile::encodeName(path).constData()) == 0;
}

/// Opens @p fifo for writing once a reader (the agent) has it open; -1 if none does in time.
int openWriter(const QString& fifo, int timeoutMs)
{
    int fd = -1;
    (void)QTest::qWaitFor(
        [&] {
            fd = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            return fd >= 0; // ENXIO while nobody reads it
        },
        timeoutMs);
    return fd;
}

/// keepalived.config's virtual servers by keepalived's name for them ("FWM 21", "[WEBG]:0", ...).
std::map<std::string, proto::KaConfVirtualServer> servers(LineClient& c)
{
    std::map<std::string, proto::KaConfVirtualServer> out;
    const auto& method = proto::methods::KeepalivedConfig;
    const auto r = c.call(std::string(method.name), Json(proto::KeepalivedConfigParams{}));
    if (!r || !r->contains("result")) {
        qWarning("keepalived.config: %s", r ? r->dump().c_str() : "no reply");
        return out;
    }
    auto doc = proto::fromJson<proto::KeepalivedConfigResult>((*r)["result"]);
    if (!doc) {
        qWarning("keepalived.config: %s", doc.error().message.c_str());
        return out;
    }
    for (auto& vs : doc->virtualServers) {
        out[vs.lvsName] = std::move(vs);
    }
    return out;
}

const proto::KaConfRealServer* realServer(const proto::KaConfVirtualServer& vs, const std::string& address)
{
    for (const auto& rs : vs.realServers) {
        if (rs.address == address) {
            return &rs;
        }
    }
    return nullptr;
}

std::string healthOf(const proto::KaConfVirtualServer& vs, const std::string& address)
{
    const auto* rs = realServer(vs, address);
    return rs ? rs->health : "absent";
}

int weightOf(const proto::KaConfVirtualServer& vs, const std::string& address)
{
    const auto* rs = realServer(vs, address);
    return rs ? rs->weight : -1;
}

} // namespace

class TestKeepalivedHealth : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void healthOfFwmarkAndGroupServices();
    void editSeenWithoutRestart();

private:
    /// Starts an agent whose keepalived.conf is the captured one, its FIFO in the agent's directory.
    bool setUp(AgentProcess& agent, QString* fifo, QString* error);
};

void TestKeepalivedHealth::initTestCase()
{
    QVERIFY2(QFileInfo(AgentProcess::binary()).isExecutable(), qPrintable(AgentProcess::binary()));
    QVERIFY(!readFixture(QStringLiteral("lvs-fifo-services.conf")).isEmpty());
}

bool TestKeepalivedHealth::setUp(AgentProcess& agent, QString* fifo, QString* error)
{
    *fifo = agent.dir() + QStringLiteral("/lvs.fifo");
    if (::mkfifo(QFile::encodeName(*fifo).constData(), 0600) != 0) {
        *error = QStringLiteral("mkfifo failed");
        return false;
    }
    const QByteArray conf =
        readFixture(QStringLiteral("lvs-fifo-services.conf")).replace(kCapturedFifo.toUtf8(), fifo->toUtf8());
    if (!writeFile(agent.dir() + QStringLiteral("/keepalived.conf"), conf)) {
        *error = QStringLiteral("cannot write keepalived.conf");
        return false;
    }
    agent.writeConfig(QStringLiteral("[keepalived]\nconfig = \"%1/keepalived.conf\"\npid_file = \"%1/keepalived.pid\"\n"
                                     "json_dump = \"%1/keepalived.json\"\n")
                          .arg(agent.dir()));
    return agent.start(error);
}

void TestKeepalivedHealth::healthOfFwmarkAndGroupServices()
{
    AgentProcess agent;
    QString fifo;
    QString error;
    QVERIFY2(setUp(agent, &fifo, &error), qPrintable(error));
    LineClient c = LineClient::connectTo(agent.socketPath());
    QVERIFY(c.valid());

    // Each service names the IPVS services keepalived makes of it, as ipvs.list keys them.
    auto vs = servers(c);
    QCOMPARE(vs.size(), std::size_t(3));
    QVERIFY2(vs.count("FWM 21") == 1 && vs.count("[WEBG]:0") == 1 && vs.count("[198.18.99.10]:tcp:80") == 1,
             "keepalived's names for the services");
    using Keys = std::vector<std::string>;
    QCOMPARE(vs["FWM 21"].ipvsServices, Keys{"FWM 21"});
    QCOMPARE(vs["[WEBG]:0"].ipvsServices, (Keys{"TCP 198.18.99.10:8080", "FWM 22"}));
    QCOMPARE(vs["[198.18.99.10]:tcp:80"].ipvsServices, Keys{"TCP 198.18.99.10:80"});
    QCOMPARE(healthOf(vs["FWM 21"], "198.18.99.2"), std::string("unknown"));

    // keepalived's own lines, as it wrote them when 198.18.99.2's checks failed.
    const int fd = openWriter(fifo, 15000);
    QVERIFY2(fd >= 0, "the agent never opened lvs_notify_fifo");
    const QByteArray lines = readFixture(QStringLiteral("notify_fifo-lvs-services.txt"));
    QVERIFY(lines.contains("RS [198.18.99.2]:none:0 FWM 21 DOWN"));
    QCOMPARE(::write(fd, lines.constData(), static_cast<size_t>(lines.size())), static_cast<ssize_t>(lines.size()));
    ::close(fd);

    const auto allDown = [&] {
        vs = servers(c);
        return healthOf(vs["FWM 21"], "198.18.99.2") == "DOWN" && healthOf(vs["[WEBG]:0"], "198.18.99.2") == "DOWN" &&
               healthOf(vs["[198.18.99.10]:tcp:80"], "198.18.99.2") == "DOWN";
    };
    QVERIFY2(QTest::qWaitFor(allDown, 10000),
             qPrintable(QStringLiteral("health: fwmark %1, group %2, plain %3")
                            .arg(QString::fromStdString(healthOf(vs["FWM 21"], "198.18.99.2")),
                                 QString::fromStdString(healthOf(vs["[WEBG]:0"], "198.18.99.2")),
                                 QString::fromStdString(healthOf(vs["[198.18.99.10]:tcp:80"], "198.18.99.2")))));
    // 198.18.99.1 passed its checks: keepalived wrote nothing about it.
    QCOMPARE(healthOf(vs["FWM 21"], "198.18.99.1"), std::string("unknown"));
    QCOMPARE(healthOf(vs["[WEBG]:0"], "198.18.99.1"), std::string("unknown"));
}

void TestKeepalivedHealth::editSeenWithoutRestart()
{
    AgentProcess agent;
    QString fifo;
    QString error;
    QVERIFY2(setUp(agent, &fifo, &error), qPrintable(error));
    LineClient c = LineClient::connectTo(agent.socketPath());
    QVERIFY(c.valid());
    auto vs = servers(c);
    QCOMPARE(weightOf(vs["FWM 21"], "198.18.99.1"), 37);

    // The admin edits keepalived.conf (a weight, and the FIFO moves) and reloads keepalived.
    const QString fifo2 = agent.dir() + QStringLiteral("/lvs2.fifo");
    QVERIFY(::mkfifo(QFile::encodeName(fifo2).constData(), 0600) == 0);
    QByteArray conf =
        readFixture(QStringLiteral("lvs-fifo-services.conf")).replace(kCapturedFifo.toUtf8(), fifo2.toUtf8());
    QVERIFY(conf.contains("weight 37"));
    conf.replace("weight 37", "weight 137");
    QVERIFY(writeFile(agent.dir() + QStringLiteral("/keepalived.conf"), conf));

    vs = servers(c);
    QCOMPARE(weightOf(vs["FWM 21"], "198.18.99.1"), 137);
    const int fd = openWriter(fifo2, 10000);
    QVERIFY2(fd >= 0, "the agent did not open the FIFO the edited configuration names");
    ::close(fd);
}

QTEST_GUILESS_MAIN(TestKeepalivedHealth)
#include "tst_keepalived_health.moc"
