// A real Prometheus (Debian's `prometheus`) scrapes every lab node's agent /metrics, and a PromQL
// query over its HTTP API returns web1's IPVS weight as 0 on both directors during a drain, and
// above 0 after the restore. Prometheus runs on the host with a generated configuration: its web
// API on loopback, its targets the nodes' lab addresses, its storage under the test's temporary
// directory. Each agent gets `[modules.metrics] listen = "<its lab address>:9469"` for the test
// (its agent.toml is put back and the agent restarted at the end); the gateway's firewall lets the
// host reach the port on gw and on the client net for the test only (rules removed at the end).

#include "hadeck/console/inventory.h"
#include "labtestutil.h"
#include "processutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrl>
#include <QUrlQuery>

#include <QtTest>

using namespace hadeck;
using namespace hadeck::console;
using namespace hadeck::labtest;

namespace {

const QString kRuleComment = QStringLiteral("hadeck-prometheus-lab");
const int kMetricsPort = 9469;

int hadeckctl(const QStringList& args)
{
    const auto r =
        hadeck::test::runProgram(qEnvironmentVariable("HADECKCTL"),
                                 QStringList{QStringLiteral("--cluster"), labDir() + QStringLiteral("/inventory.json"),
                                             QStringLiteral("--batch")} +
                                     args,
                                 {.timeoutMs = 120000});
    qInfo("hadeckctl %s -> %d", qPrintable(args.join(' ')), r.code);
    return r.code;
}

quint16 freeLoopbackPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class TestPrometheusLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void everyNodeScraped();
    void drainShowsWeightZero();
    void cleanupTestCase();

private:
    QJsonObject api(const QString& path, const QUrlQuery& query = {});
    /// web1's weight per director from a PromQL instant query.
    QMap<QString, double> web1Weights();

    ClusterInventory m_inventory;
    QTemporaryDir m_dir{QStringLiteral(HADECK_BINARY_DIR "/prometheus-lab-XXXXXX")};
    QProcess m_prometheus;
    quint16 m_port = 0;
    AgentTomlEdit m_agentToml{QStringLiteral("promlab")};
    bool m_gwRules = false;
};

QJsonObject TestPrometheusLab::api(const QString& path, const QUrlQuery& query)
{
    QUrl url(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
    url.setQuery(query);
    const auto r = hadeck::test::runProgram(
        QStringLiteral("curl"),
        {QStringLiteral("-sS"), QStringLiteral("-m"), QStringLiteral("5"), url.toString(QUrl::FullyEncoded)},
        {.timeoutMs = 10000});
    return QJsonDocument::fromJson(r.out).object();
}

QMap<QString, double> TestPrometheusLab::web1Weights()
{
    QUrlQuery q;
    q.addQueryItem(
        QStringLiteral("query"),
        QStringLiteral("node_ipvs_backend_weight{remote_address=\"198.18.0.21\",local_address=\"198.18.0.100\"}"));
    const QJsonObject r = api(QStringLiteral("/api/v1/query"), q);
    QMap<QString, double> out;
    for (const auto& v : r[QStringLiteral("data")][QStringLiteral("result")].toArray()) {
        out.insert(v[QStringLiteral("metric")][QStringLiteral("node")].toString(),
                   v[QStringLiteral("value")].toArray().at(1).toString().toDouble());
    }
    return out;
}

void TestPrometheusLab::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("HADECK_LAB") || qEnvironmentVariableIsEmpty("HADECKCTL")) {
        QSKIP("HADECK_LAB and HADECKCTL are not set");
    }
    QVERIFY2(QFileInfo::exists(QStringLiteral("/usr/bin/prometheus")),
             "the prometheus package is not installed (tools/packages.txt)");
    auto inventory = loadInventory(labDir() + QStringLiteral("/inventory.json"));
    QVERIFY2(inventory, inventory ? "" : inventory.error().message.c_str());
    m_inventory = *inventory;
    QVERIFY(m_dir.isValid());

    // The gateway lets the host reach the metrics port on gw itself and on the client net.
    QVERIFY(
        !labExec(
             QStringLiteral("gw"),
             QStringLiteral(
                 "nft insert rule inet hadeck_gw input ip saddr %1 tcp dport %2 accept comment \\\"%3\\\" && "
                 "nft insert rule inet hadeck_gw forward ip saddr %1 ip daddr 198.19.0.0/24 tcp dport %2 accept comment \\\"%3\\\" && echo ok")
                 .arg(kHostAddress)
                 .arg(kMetricsPort)
                 .arg(kRuleComment))
             .isEmpty());
    m_gwRules = true;

    QString targets;
    for (const auto& n : m_inventory.nodes) {
        QVERIFY2(
            m_agentToml.append(
                n.name, QStringLiteral("\n[modules.metrics]\nlisten = \"%1:%2\"\n").arg(n.address).arg(kMetricsPort)),
            qPrintable(n.name));
        targets += QStringLiteral("      - targets: ['%1:%2']\n        labels: {node: '%3'}\n")
                       .arg(n.address)
                       .arg(kMetricsPort)
                       .arg(n.name);
    }
    QFile conf(m_dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write(QStringLiteral("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                              "scrape_configs:\n  - job_name: hadeck\n    static_configs:\n%1")
                   .arg(targets)
                   .toUtf8());
    conf.close();

    m_port = freeLoopbackPort();
    m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
    m_prometheus.setStandardOutputFile(m_dir.filePath(QStringLiteral("prometheus.log")));
    m_prometheus.start(QStringLiteral("/usr/bin/prometheus"),
                       {QStringLiteral("--config.file=") + conf.fileName(),
                        QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("data")),
                        QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                        QStringLiteral("--web.console.templates=") + m_dir.path(),
                        QStringLiteral("--web.console.libraries=") + m_dir.path()});
    QVERIFY(m_prometheus.waitForStarted());
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     return api(QStringLiteral("/api/v1/status/buildinfo"))[QStringLiteral("status")] ==
                            QLatin1String("success");
                 },
                 60000),
             "prometheus did not answer on its API");
    qInfo("prometheus %s on 127.0.0.1:%d",
          qPrintable(api(QStringLiteral("/api/v1/status/buildinfo"))[QStringLiteral("data")][QStringLiteral("version")]
                         .toString()),
          m_port);
}

void TestPrometheusLab::everyNodeScraped()
{
    QStringList down;
    const bool allUp = QTest::qWaitFor(
        [&] {
            down.clear();
            const QJsonObject t = api(QStringLiteral("/api/v1/targets"));
            QMap<QString, QString> health;
            for (const auto& v : t[QStringLiteral("data")][QStringLiteral("activeTargets")].toArray()) {
                health.insert(v[QStringLiteral("labels")][QStringLiteral("node")].toString(),
                              v[QStringLiteral("health")].toString() + QLatin1Char(' ') +
                                  v[QStringLiteral("lastError")].toString());
            }
            for (const auto& n : m_inventory.nodes) {
                if (!health.value(n.name).startsWith(QLatin1String("up"))) {
                    down << n.name + QStringLiteral(": ") + health.value(n.name, QStringLiteral("not a target"));
                }
            }
            return down.isEmpty();
        },
        60000);
    QVERIFY2(allUp, qPrintable(down.join(QStringLiteral("; "))));
    // Every node's agent answered, as PromQL sees it.
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"), QStringLiteral("count(up{job=\"hadeck\"} == 1)"));
    const QJsonArray r =
        api(QStringLiteral("/api/v1/query"), q)[QStringLiteral("data")][QStringLiteral("result")].toArray();
    QVERIFY(!r.isEmpty());
    QCOMPARE(r.at(0)[QStringLiteral("value")].toArray().at(1).toString().toInt(), int(m_inventory.nodes.size()));
    qInfo("prometheus scrapes all %lld lab nodes' agents", qint64(m_inventory.nodes.size()));
}

void TestPrometheusLab::drainShowsWeightZero()
{
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     const auto w = web1Weights();
                     return w.size() == 2 && w.value(QStringLiteral("dir1")) > 0 && w.value(QStringLiteral("dir2")) > 0;
                 },
                 30000),
             "web1's weight above 0 on both directors is not in prometheus before the drain");
    auto restore = qScopeGuard([] { hadeckctl({QStringLiteral("restore"), QStringLiteral("web1")}); });
    QCOMPARE(hadeckctl({QStringLiteral("drain"), QStringLiteral("web1")}), 0);
    QElapsedTimer t;
    t.start();
    QMap<QString, double> w;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     w = web1Weights();
                     return w.size() == 2 && w.value(QStringLiteral("dir1"), -1) == 0 &&
                            w.value(QStringLiteral("dir2"), -1) == 0;
                 },
                 20000),
             "PromQL did not return web1's weight 0 on both directors during the drain");
    qInfo(
        "PromQL node_ipvs_backend_weight{remote_address=\"198.18.0.21\"} during the drain: dir1 %g, dir2 %g (%lld ms after "
        "the drain command returned)",
        w.value(QStringLiteral("dir1")), w.value(QStringLiteral("dir2")), qint64(t.elapsed()));
    restore.dismiss();
    QCOMPARE(hadeckctl({QStringLiteral("restore"), QStringLiteral("web1")}), 0);
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     w = web1Weights();
                     return w.size() == 2 && w.value(QStringLiteral("dir1")) > 0 && w.value(QStringLiteral("dir2")) > 0;
                 },
                 20000),
             "web1's weight did not come back in prometheus after the restore");
}

void TestPrometheusLab::cleanupTestCase()
{
    if (m_prometheus.state() != QProcess::NotRunning) {
        m_prometheus.terminate();
        if (!m_prometheus.waitForFinished(15000)) {
            m_prometheus.kill();
            m_prometheus.waitForFinished();
        }
    }
    m_agentToml.restore();
    if (m_gwRules) {
        labExec(QStringLiteral("gw"),
                QStringLiteral("for c in input forward; do nft -a list chain inet hadeck_gw $c | "
                               "sed -n 's/.*comment \"%1\" # handle \\([0-9]*\\)$/\\1/p' | "
                               "while read h; do nft delete rule inet hadeck_gw $c handle $h; done; done")
                    .arg(kRuleComment));
    }
}

QTEST_GUILESS_MAIN(TestPrometheusLab)
#include "tst_prometheus_lab.moc"
