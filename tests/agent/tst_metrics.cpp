// The Prometheus text of the agent's state (pure): node_exporter ipvs names and
// labels, keepalived/mysqld/apache exporter names, alarms and drains, escaping;
// its cost with 10,000 IPVS dests; and a real scrape with curl of the real
// agent's endpoint (off by default, on with [modules.metrics] listen).

#include "agenttestutil.h"
#include "processutil.h"

#include "hadeck/agent/metrics.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTcpServer>
#include <QtTest>

using namespace hadeck;
using namespace hadeck::agent;
using namespace hadeck::test;

namespace {

proto::VirtualService service(int n)
{
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = "198.18.0.100";
    vs.port = 80;
    vs.scheduler = "wlc";
    for (int i = 0; i < n; ++i) {
        proto::RealServer rs;
        rs.address = "198.18." + std::to_string(1 + i / 250) + "." + std::to_string(1 + i % 250);
        rs.port = 80;
        rs.weight = i == 0 ? 0 : 1;
        rs.activeConns = static_cast<std::uint32_t>(i);
        vs.realServers.push_back(rs);
    }
    return vs;
}

bool hasLine(const std::string& text, const std::string& line)
{
    return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress(QStringLiteral("127.0.0.1")), 0);
    return s.serverPort();
}

QByteArray curl(const QStringList& args, int* exitCode = nullptr)
{
    auto r = runProgram(QStringLiteral("curl"),
                        QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("5")} + args,
                        {.timeoutMs = 10000});
    if (exitCode != nullptr) {
        *exitCode = r.code;
    }
    return r.out;
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void ipvsLikeNodeExporter()
    {
        MetricsInputs in;
        in.ipvs = std::vector{service(2)};
        const auto t = metricsText(in);
        QVERIFY(t.find("# TYPE node_ipvs_backend_weight gauge\n") != std::string::npos);
        QVERIFY2(hasLine(t, "node_ipvs_backend_weight{local_address=\"198.18.0.100\",local_port=\"80\",local_mark=\"\","
                            "proto=\"TCP\",remote_address=\"198.18.1.1\",remote_port=\"80\"} 0"),
                 t.c_str());
        QVERIFY(hasLine(t, "node_ipvs_backend_connections_active{local_address=\"198.18.0.100\",local_port=\"80\","
                           "local_mark=\"\",proto=\"TCP\",remote_address=\"198.18.1.2\",remote_port=\"80\"} 1"));
        QVERIFY(hasLine(t, "hadeck_ipvs_service_backends{service=\"TCP 198.18.0.100:80\",state=\"weighted\"} 1"));
        // A firewall-mark service, as node_exporter shows it.
        proto::VirtualService fwm = service(1);
        fwm.fwmark = 7;
        fwm.protocol.clear();
        fwm.address.clear();
        fwm.port = 0;
        in.ipvs = std::vector{fwm};
        QVERIFY(metricsText(in).find("local_address=\"\",local_port=\"0\",local_mark=\"7\",proto=\"FWM\"") != std::string::npos);
    }

    void otherExporters()
    {
        MetricsInputs in;
        proto::VrrpInstance v;
        v.name = "VI_1";
        v.interface = "eth0";
        v.vrid = 51;
        v.state = proto::VrrpState::Master;
        v.vips = {"198.18.0.100/32"};
        v.advertSent = 12;
        in.vrrp = std::vector{v};
        proto::DbStatus db;
        db.state = proto::DbState::Ok;
        proto::ReplicaStatus r;
        r.ioRunning = "Yes";
        r.sqlRunning = "No";
        r.masterHost = "198.18.2.11";
        r.masterPort = 3306;
        db.replica = r;
        in.db = db;
        proto::ApacheStatus ap;
        ap.state = proto::ApacheState::Ok;
        ap.busyWorkers = 3;
        ap.idleWorkers = 7;
        in.apache = ap;
        proto::HostStatus h;
        h.load1 = 0.5;
        h.memTotalKiB = 1024;
        in.host = h;
        proto::Alarm a;
        a.rule = "vrrp.fault";
        a.subject = "VI \"1\"\n";
        a.severity = proto::AlarmSeverity::Critical;
        in.alarms = {a};
        in.drains = {MetricsDrain{"TCP 198.18.0.100:80", "198.18.1.11:80", 1000}};
        in.now = 1600;
        const auto t = metricsText(in);
        QVERIFY(hasLine(t, "keepalived_vrrp_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\",ip_address=\"198.18.0.100/32\"} 2"));
        QVERIFY(hasLine(t, "keepalived_advert_sent_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 12"));
        QVERIFY(hasLine(t, "mysql_up 1"));
        QVERIFY(hasLine(t, "mysql_slave_status_slave_sql_running{master_host=\"198.18.2.11\",master_port=\"3306\"} 0"));
        QVERIFY(hasLine(t, "apache_workers{state=\"busy\"} 3"));
        QVERIFY(hasLine(t, "node_load1 0.5"));
        QVERIFY(hasLine(t, "node_memory_MemTotal_bytes 1048576"));
        QVERIFY(hasLine(t, "hadeck_alarms_active{severity=\"critical\"} 1"));
        QVERIFY2(hasLine(t, "hadeck_alarm_active{rule=\"vrrp.fault\",subject=\"VI \\\"1\\\"\\n\",severity=\"critical\",acknowledged=\"0\"} 1"),
                 t.c_str());
        QVERIFY(hasLine(t, "hadeck_drains_held 1"));
        QVERIFY(hasLine(t, "hadeck_drain_held_seconds{service=\"TCP 198.18.0.100:80\",dest=\"198.18.1.11:80\"} 600"));
        // Absent modules give no families of theirs.
        QVERIFY(t.find("node_ipvs") == std::string::npos);
        QVERIFY(t.find("hadeck_mfs") == std::string::npos);
    }

    void tenThousandDests()
    {
        MetricsInputs in;
        in.ipvs = std::vector{service(10000)};
        QElapsedTimer timer;
        timer.start();
        const auto t = metricsText(in);
        const auto ms = timer.elapsed();
        qInfo("metricsText with 10000 dests: %lld ms, %zu bytes", static_cast<long long>(ms), t.size());
        QVERIFY(t.find("remote_address=\"198.18.40.250\"") != std::string::npos);
        QVERIFY(ms < 2000);
        // What the alarm module and a scrape pay each time to read the ipvs snapshot: encode and decode.
        timer.restart();
        const rpc::Json j = *in.ipvs;
        qInfo("  of which encode: %lld ms", static_cast<long long>(timer.elapsed()));
        const auto back = j.get<std::vector<proto::VirtualService>>();
        qInfo("ipvs snapshot with 10000 dests, JSON encode + decode: %lld ms", static_cast<long long>(timer.elapsed()));
        QCOMPARE(back.front().realServers.size(), std::size_t{10000});
    }

    void realScrape()
    {
        AgentProcess agent;
        const quint16 port = freePort();
        agent.writeConfig(QStringLiteral("[sample]\ninterval_ms = 200\n"
                                         "[modules.apache]\nstatus_url = \"http://127.0.0.1:1/server-status?auto\"\n"
                                         "[modules.mysql]\nsocket = \"/nonexistent/mysqld.sock\"\n"
                                         "[modules.moosefs]\nport = 1\n"
                                         "[modules.alarms.rules.\"host.disk\"]\nthreshold = 0\nduration_s = 0\n"
                                         "[modules.metrics]\nlisten = \"127.0.0.1:%1\"\n")
                              .arg(port));
        QString error;
        QVERIFY2(agent.start(&error), qPrintable(error));
        const QString url = QStringLiteral("http://127.0.0.1:%1/metrics").arg(port);
        QByteArray body;
        QTRY_VERIFY_WITH_TIMEOUT((body = curl({url})).contains("hadeck_alarm_active{rule=\"host.disk\""), 10000);
        QVERIFY(body.contains("\nnode_load1 "));
        QVERIFY(body.contains("# TYPE hadeck_alarms_active gauge"));
        QVERIFY(body.contains("hadeck_drains_held"));
        const QByteArray head = curl({QStringLiteral("-D-"), QStringLiteral("-o/dev/null"), url});
        QVERIFY2(head.contains("Content-Type: text/plain; version=0.0.4"), head.constData());
        QVERIFY(curl({QStringLiteral("-o/dev/null"), QStringLiteral("-w%{http_code}"),
                      QStringLiteral("http://127.0.0.1:%1/").arg(port)}) == "404");
        QVERIFY(curl({QStringLiteral("-o/dev/null"), QStringLiteral("-w%{http_code}"), QStringLiteral("-XPOST"), url}) == "405");
        // Ten scrapes in a row, timed end to end.
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 10; ++i) {
            QVERIFY(curl({url}).contains("node_load1"));
        }
        qInfo("10 scrapes with curl: %lld ms", static_cast<long long>(timer.elapsed()));
        qInfo("agent VmRSS after the scrapes: %ld KiB", agent.rssKiB());
        QCOMPARE(agent.terminate(), 0);

        // Off by default: nothing listens.
        AgentProcess quiet;
        quiet.writeConfig(QStringLiteral("[modules.mysql]\nsocket = \"/nonexistent/mysqld.sock\"\n"));
        QVERIFY2(quiet.start(&error), qPrintable(error));
        int rc = 0;
        curl({url}, &rc);
        QCOMPARE(rc, 7); // curl: could not connect
        QCOMPARE(quiet.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
