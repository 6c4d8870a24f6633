// fwmark and virtual_server_group services on the lab's real directors (keepalived 2.2.7 and
// IPVS in the VM): the drain sets weight 0 on each IPVS service keepalived made of them, and
// the restore brings back the weight keepalived loaded (a fwmark service's dests have port 0
// in IPVS), not the weight the dest had before the drain. keepalived.config names each
// service's IPVS services and a failing real server's health from keepalived's FIFO lines.
//
// The test adds the services to both directors' keepalived.conf, reloads keepalived, and puts
// the lab's own configuration back at the end, whatever happened.

#include "processutil.h"
#include "hadeck/console/actions/cluster_rpc.h"
#include "hadeck/console/actions/drain_job.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/console/credentialprompter.h"
#include "hadeck/console/inventory.h"

#include <QProcess>
#include <QSignalSpy>
#include <hadeck/protocol/methods.h>

#include <QtTest>

#include <map>
#include <memory>

using namespace hadeck;
using namespace hadeck::console;

namespace {

const QString kWeb1 = QStringLiteral("198.18.0.21");
const QString kConf = QStringLiteral("/etc/keepalived/keepalived.conf");
const QString kSaved = QStringLiteral("/etc/keepalived/keepalived.conf.services-lab-orig");
const QStringList kDirectors{QStringLiteral("dir1"), QStringLiteral("dir2")};

// Added to the lab's keepalived.conf. 198.18.0.29 is no node: its TCP_CHECK fails.
const char* const kServices = R"(
virtual_server fwmark 21 {
    delay_loop 2
    lb_algo rr
    lb_kind DR
    real_server 198.18.0.21 80 {
        weight 37
    }
    real_server 198.18.0.22 80 {
        weight 41
    }
    real_server 198.18.0.29 80 {
        weight 3
        TCP_CHECK {
            connect_port 80
            connect_timeout 1
            retry 0
        }
    }
}
virtual_server_group WEBG {
    198.18.0.100 8080
    fwmark 22
}
virtual_server group WEBG {
    delay_loop 2
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 198.18.0.21 8080 {
        weight 23
    }
    real_server 198.18.0.22 8080 {
        weight 29
    }
}
)";

QString labDir() { return qEnvironmentVariable("HADECK_LAB_DIR", QStringLiteral("/run/hadeck-lab")); }

/// `lab exec NODE sh -c SCRIPT`: true when it exited 0.
bool labSh(const QString& node, const QString& script, QByteArray* out = nullptr)
{
    const auto p = hadeck::test::runProgram(
        qEnvironmentVariable("HADECK_LAB"),
        {QStringLiteral("exec"), node, QStringLiteral("sh"), QStringLiteral("-c"), script}, {.timeoutMs = 60000});
    if (!p.ok()) {
        qWarning("lab exec %s: %s: %s", qPrintable(node), qPrintable(script), p.err.constData());
        return false;
    }
    if (out != nullptr) {
        *out = p.out;
    }
    return true;
}

/// "FWM 21|198.18.0.21:0" -> weight, from one director's IPVS table.
using Weights = std::map<std::string, std::uint32_t>;

} // namespace

class TestKeepalivedServicesLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void drainAndRestoreFwmarkAndGroup();
    void healthOfFwmarkService();
    void cleanupTestCase();

private:
    Weights weightsOn(const QString& director);
    /// keepalived.config's document on @p director; none, with the reason in @p why, when there was none.
    std::optional<proto::KeepalivedConfigResult> configOn(const QString& director, QString* why = nullptr);
    void putBack();

    std::unique_ptr<RefusingPrompter> m_prompter;
    std::unique_ptr<ConnectionPool> m_pool;
    std::unique_ptr<PoolRpc> m_rpc;
};

Weights TestKeepalivedServicesLab::weightsOn(const QString& director)
{
    Weights out;
    bool done = false;
    invoke(*m_rpc, director, proto::methods::IpvsList, {}, [&](const Reply<proto::IpvsListResult>& r) {
        for (const auto& vs : r ? r->services : std::vector<proto::VirtualService>{}) {
            for (const auto& rs : vs.realServers) {
                out[vs.key() + "|" + rs.endpoint()] = rs.weight;
            }
        }
        done = true;
    });
    (void)QTest::qWaitFor([&] { return done; }, 15000);
    return out;
}

std::optional<proto::KeepalivedConfigResult> TestKeepalivedServicesLab::configOn(const QString& director, QString* why)
{
    std::optional<proto::KeepalivedConfigResult> out;
    QString error = QStringLiteral("no answer in 15 s");
    bool done = false;
    invoke(*m_rpc, director, proto::methods::KeepalivedConfig, proto::KeepalivedConfigParams{},
           [&](const Reply<proto::KeepalivedConfigResult>& r) {
               if (r) {
                   out = *r;
                   error.clear();
               } else {
                   error = QString::fromStdString(r.error().message);
               }
               done = true;
           });
    (void)QTest::qWaitFor([&] { return done; }, 15000);
    if (why != nullptr) {
        *why = error;
    }
    return out;
}

void TestKeepalivedServicesLab::putBack()
{
    for (const QString& d : kDirectors) {
        labSh(d, QStringLiteral("if [ -e %1 ]; then cp %1 %2 && rm -f %1 && kill -HUP $(cat /run/keepalived.pid); fi")
                     .arg(kSaved, kConf));
    }
}

void TestKeepalivedServicesLab::initTestCase()
{
    auto inventory = loadInventory(labDir() + QStringLiteral("/inventory.json"));
    QVERIFY2(inventory, inventory ? "" : inventory.error().message.c_str());
    m_prompter = std::make_unique<RefusingPrompter>();
    m_pool = std::make_unique<ConnectionPool>(*inventory, m_prompter.get());
    m_pool->connectAll();
    m_rpc = std::make_unique<PoolRpc>(*m_pool);
    for (const QString& node : kDirectors + QStringList{QStringLiteral("web1")}) {
        QVERIFY2(QTest::qWaitFor([&] { return m_rpc->isOnline(node); }, 60000),
                 qPrintable(node + QStringLiteral(": ") + m_pool->lastError(node)));
    }
    putBack(); // a previous run that died half-way

    // The services, and keepalived's LVS notify FIFO, added on both directors; keepalived reloads.
    for (const QString& d : kDirectors) {
        QVERIFY(labSh(
            d,
            QStringLiteral("cp %1 %2 && sed -i '/^global_defs {/a\\    lvs_notify_fifo /run/keepalived/lvs.fifo' %1 && "
                           "cat >>%1 <<'EOF'\n%3EOF\nkill -HUP $(cat /run/keepalived.pid)")
                .arg(kConf, kSaved, QString::fromLatin1(kServices))));
    }
    // keepalived made the IPVS services: a fwmark service's dests on port 0, the group's
    // address entry on its real servers' port and its fwmark entry on port 0.
    for (const QString& d : kDirectors) {
        Weights w;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         w = weightsOn(d);
                         return w.count("FWM 21|198.18.0.21:0") == 1 && w.count("FWM 22|198.18.0.21:0") == 1 &&
                                w.count("TCP 198.18.0.100:8080|198.18.0.21:8080") == 1;
                     },
                     30000),
                 qPrintable(d + QStringLiteral(": the services were not made")));
        QCOMPARE(w["FWM 21|198.18.0.21:0"], 37u);
        QCOMPARE(w["FWM 22|198.18.0.21:0"], 23u);
        QCOMPARE(w["TCP 198.18.0.100:8080|198.18.0.21:8080"], 23u);
        QCOMPARE(w["FWM 21|198.18.0.22:0"], 41u);
    }
}

void TestKeepalivedServicesLab::drainAndRestoreFwmarkAndGroup()
{
    // Weights changed outside keepalived before the drain: the restore must give back
    // keepalived's configured weight, not these.
    for (const QString& d : kDirectors) {
        QVERIFY(labSh(
            d, QStringLiteral("ipvsadm -e -f 21 -r 198.18.0.21 -g -w 5 && ipvsadm -e -f 22 -r 198.18.0.21 -g -w 6 && "
                              "ipvsadm -e -t 198.18.0.100:8080 -r 198.18.0.21:8080 -g -w 7")));
    }
    for (const QString& d : kDirectors) {
        QVERIFY(QTest::qWaitFor([&] { return weightsOn(d)["FWM 21|198.18.0.21:0"] == 5u; }, 10000));
    }

    DrainRequest req;
    req.target.address = kWeb1; // every service that has web1
    req.timeoutSec = 60;
    DrainJob job(*m_rpc, req);
    QSignalSpy done(&job, &DrainJob::finishedWith);
    job.start();
    QVERIFY(done.wait(90000));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    for (const QString& d : kDirectors) {
        auto w = weightsOn(d);
        QCOMPARE(w["FWM 21|198.18.0.21:0"], 0u);
        QCOMPARE(w["FWM 22|198.18.0.21:0"], 0u);
        QCOMPARE(w["TCP 198.18.0.100:8080|198.18.0.21:8080"], 0u);
        QCOMPARE(w["TCP 198.18.0.100:80|198.18.0.21:80"], 0u);
        QCOMPARE(w["FWM 21|198.18.0.22:0"], 41u); // the others keep serving
    }

    const std::map<std::string, std::uint32_t> configured{{"FWM 21|198.18.0.21:0", 37},
                                                          {"FWM 22|198.18.0.21:0", 23},
                                                          {"TCP 198.18.0.100:8080|198.18.0.21:8080", 23},
                                                          {"TCP 198.18.0.100:80|198.18.0.21:80", 100}};
    for (const QString& d : kDirectors) {
        std::optional<Reply<proto::DrainRestoreResult>> answer;
        proto::DrainTarget t;
        t.address = kWeb1.toStdString();
        invoke(*m_rpc, d, proto::methods::DrainRestore, t,
               [&](const Reply<proto::DrainRestoreResult>& r) { answer = r; });
        QVERIFY(QTest::qWaitFor([&] { return answer.has_value(); }, 15000));
        QVERIFY2(*answer, answer->hasValue() ? "" : answer->error().message.c_str());
        std::map<std::string, proto::RestoredWeight> restored;
        for (const auto& r : (*answer)->restored) {
            restored[r.dest] = r;
            qInfo("%s restored %s to %u (%s; before the drain %s)", qPrintable(d), r.dest.c_str(), r.weight,
                  r.source.c_str(), r.beforeDrain ? std::to_string(*r.beforeDrain).c_str() : "-");
        }
        for (const auto& [key, weight] : configured) {
            QVERIFY2(restored.count(key) == 1, key.c_str());
            QCOMPARE(restored[key].source, std::string("keepalived-config"));
            QCOMPARE(restored[key].weight, weight);
        }
        const auto w = weightsOn(d);
        for (const auto& [key, weight] : configured) {
            QVERIFY2(w.count(key) == 1, key.c_str());
            QCOMPARE(w.at(key), weight);
        }
    }
}

void TestKeepalivedServicesLab::healthOfFwmarkService()
{
    // keepalived names the fwmark service "FWM 21" and its real server "[198.18.0.29]:none:0"
    // in its FIFO line; the agent's view of keepalived.conf shows that health on the service.
    // A reply that failed or came before keepalived's reload is no document yet: an empty service.
    using Doc = std::optional<proto::KeepalivedConfigResult>;
    const auto serviceNamed = [](const Doc& doc, const std::string& lvsName) {
        for (const auto& vs : doc ? doc->virtualServers : std::vector<proto::KaConfVirtualServer>{}) {
            if (vs.lvsName == lvsName) {
                return vs;
            }
        }
        return proto::KaConfVirtualServer{};
    };
    const auto healthOf = [](const proto::KaConfVirtualServer& vs, const std::string& address) {
        for (const auto& rs : vs.realServers) {
            if (rs.address == address) {
                return rs.health;
            }
        }
        return std::string("absent");
    };
    for (const QString& d : kDirectors) {
        Doc doc;
        QString why;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         doc = configOn(d, &why);
                         return healthOf(serviceNamed(doc, "FWM 21"), "198.18.0.29") == "DOWN";
                     },
                     30000),
                 qPrintable(d + QStringLiteral(": ") + why + QStringLiteral(" ") +
                            QString::fromStdString(rpc::Json(serviceNamed(doc, "FWM 21")).dump()) +
                            QStringLiteral(" (files read: ") +
                            QString::fromStdString(doc ? rpc::Json(doc->files).dump() : std::string("-")) +
                            QStringLiteral(")")));
        using Keys = std::vector<std::string>;
        QCOMPARE(serviceNamed(doc, "FWM 21").ipvsServices, Keys{"FWM 21"});
        QCOMPARE(serviceNamed(doc, "[WEBG]:0").ipvsServices, (Keys{"TCP 198.18.0.100:8080", "FWM 22"}));
        // keepalived took it out of IPVS.
        QVERIFY(weightsOn(d).count("FWM 21|198.18.0.29:0") == 0);
    }
}

void TestKeepalivedServicesLab::cleanupTestCase()
{
    if (!m_rpc) {
        return;
    }
    for (const QString& d : kDirectors) {
        bool done = false;
        proto::DrainTarget t;
        t.address = kWeb1.toStdString();
        invoke(*m_rpc, d, proto::methods::DrainRestore, t,
               [&](const Reply<proto::DrainRestoreResult>&) { done = true; });
        (void)QTest::qWaitFor([&] { return done; }, 15000);
    }
    putBack();
    for (const QString& d : kDirectors) {
        QVERIFY2(QTest::qWaitFor([&] { return weightsOn(d).count("FWM 21|198.18.0.21:0") == 0; }, 30000),
                 qPrintable(d + QStringLiteral(": the test's services are still in IPVS")));
    }
}

QTEST_GUILESS_MAIN(TestKeepalivedServicesLab)
#include "tst_keepalived_services_lab.moc"
