// installer/grafana-hadeck-cluster.json: valid JSON that Grafana can import (panels, targets, the
// data source variable), and every metric its PromQL queries name is one the agent exports: the
// names are taken from the agent's own /metrics text for a node with every module's state.

#include "hadeck/agent/metrics.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace hadeck;
using namespace hadeck::agent;

namespace {

/// A node with every module's state, so that every metric family is written.
MetricsInputs everything()
{
    MetricsInputs in;
    in.node = "n1";
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = "198.18.0.100";
    vs.port = 80;
    proto::RealServer rs;
    rs.address = "198.18.0.21";
    rs.port = 80;
    vs.realServers.push_back(rs);
    in.ipvs = std::vector{vs};
    proto::VrrpInstance v;
    v.name = "VI_CACHE";
    v.vips = {"198.18.0.100"};
    in.vrrp = std::vector{v};
    proto::DbStatus db;
    db.state = proto::DbState::Ok;
    proto::ReplicaStatus r;
    r.ioRunning = "Yes";
    r.sqlRunning = "Yes";
    r.lagSeconds = 0;
    db.replica = r;
    in.db = db;
    proto::MfsStatus mfs;
    mfs.ok = true;
    mfs.master = proto::MfsMasterInfo{};
    mfs.chunkservers.push_back(proto::MfsChunkserver{});
    in.mfs = mfs;
    proto::ApacheStatus apache;
    apache.state = proto::ApacheState::Ok;
    in.apache = apache;
    proto::HostStatus host;
    host.filesystems.push_back(proto::FilesystemUsage{});
    host.cpuPressure = proto::Pressure{};
    in.host = host;
    proto::Alarm a;
    a.rule = "vrrp.fault";
    in.alarms.push_back(a);
    in.drains.push_back(MetricsDrain{"TCP 198.18.0.100:80", "198.18.0.21:80", 1});
    in.now = 2;
    return in;
}

QSet<QString> exported()
{
    QSet<QString> names;
    static const QRegularExpression type(QStringLiteral("^# TYPE (\\S+) "), QRegularExpression::MultilineOption);
    const QString text = QString::fromStdString(metricsText(everything()));
    for (auto it = type.globalMatch(text); it.hasNext();) {
        names.insert(it.next().captured(1));
    }
    return names;
}

} // namespace

class TestGrafanaDashboard : public QObject {
    Q_OBJECT
private slots:
    void everyQueriedMetricIsExported();
};

void TestGrafanaDashboard::everyQueriedMetricIsExported()
{
    QFile f(QStringLiteral(HADECK_SOURCE_DIR "/installer/grafana-hadeck-cluster.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(err.errorString()));
    const QJsonObject dash = doc.object();
    QCOMPARE(dash[QStringLiteral("uid")].toString(), QStringLiteral("hadeck-cluster"));
    QVERIFY(!dash[QStringLiteral("title")].toString().isEmpty());
    bool hasDatasourceVariable = false;
    for (const auto& v : dash[QStringLiteral("templating")][QStringLiteral("list")].toArray()) {
        hasDatasourceVariable |= v[QStringLiteral("type")].toString() == QLatin1String("datasource");
    }
    QVERIFY(hasDatasourceVariable);

    const QSet<QString> names = exported();
    QVERIFY2(names.contains(QStringLiteral("node_ipvs_backend_weight")), "the inputs do not cover the IPVS module");
    // A metric name in PromQL: an identifier not followed by "(" (a function) nor preceded by
    // "by (" / "{"... The families the agent writes all start with one of these prefixes.
    static const QRegularExpression metric(
        QStringLiteral("\\b((?:node|keepalived|mysql|apache|hadeck)_[A-Za-z0-9_]+)\\b(?!\\s*\\()"));
    int queries = 0;
    QStringList missing;
    QSet<QString> used;
    for (const auto& p : dash[QStringLiteral("panels")].toArray()) {
        const QJsonObject panel = p.toObject();
        if (panel[QStringLiteral("type")].toString() == QLatin1String("row")) {
            continue;
        }
        QVERIFY(panel.contains(QStringLiteral("gridPos")));
        const QJsonArray targets = panel[QStringLiteral("targets")].toArray();
        QVERIFY2(!targets.isEmpty(), qPrintable(panel[QStringLiteral("title")].toString()));
        for (const auto& t : targets) {
            const QString expr = t[QStringLiteral("expr")].toString();
            QVERIFY2(!expr.isEmpty(), qPrintable(panel[QStringLiteral("title")].toString()));
            ++queries;
            for (auto it = metric.globalMatch(expr); it.hasNext();) {
                const QString name = it.next().captured(1);
                used.insert(name);
                if (!names.contains(name)) {
                    missing << name + QStringLiteral(" (panel \"") + panel[QStringLiteral("title")].toString() +
                                   QStringLiteral("\")");
                }
            }
        }
    }
    for (const auto& v : dash[QStringLiteral("templating")][QStringLiteral("list")].toArray()) {
        const QString q = v[QStringLiteral("definition")].toString();
        for (auto it = metric.globalMatch(q); it.hasNext();) {
            const QString name = it.next().captured(1);
            if (!names.contains(name)) {
                missing << name + QStringLiteral(" (variable ") + v[QStringLiteral("name")].toString() +
                               QLatin1Char(')');
            }
        }
    }
    qInfo("%d queries name %lld metrics, all among the %lld the agent exports", queries, qint64(used.size()),
          qint64(names.size()));
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("not exported by the agent: ") + missing.join(QStringLiteral(", "))));
    QVERIFY(used.size() >= 20);
}

QTEST_GUILESS_MAIN(TestGrafanaDashboard)
#include "tst_grafana_dashboard.moc"
