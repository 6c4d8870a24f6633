// /metrics with 10,000 IPVS dests on a director (the lab VM's real IPVS): the agent's endpoint
// against Debian's prometheus-node-exporter with only its ipvs collector, on the same node, over
// the same table, scraped alternately from inside the node (metrics_scale.sh). Prints the
// response time (median, p99) of each, the RSS each added from before the table to after the
// scrapes, their CPU over the scrapes and the dests each exposed. A report (label bench): it fails
// only when a figure cannot be taken (an endpoint that does not answer, a table that does not
// show), never on a figure's value.

#include "labtestutil.h"

#include <QFile>
#include <QElapsedTimer>
#include <QMap>
#include <QProcess>

#include <QtTest>

#include <algorithm>

#include <signal.h>
#include <unistd.h>

using namespace hadeck::labtest;

namespace {

const QString kDir1 = QStringLiteral("dir1");
const QString kDir1Address = QStringLiteral("198.18.0.11");
const int kMetricsPort = 9469;
const int kNodeExporterPort = 19469;
const int kScrapes = 50;
const QString kScratchServices = QStringLiteral("198\\.19\\.10[0-3]\\.[0-9]*:80 ");

} // namespace

class TestMetricsScaleLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void tenThousandDests();
    void cleanupTestCase();

private:
    AgentTomlEdit m_agentToml{QStringLiteral("metricsscale")};
};

void TestMetricsScaleLab::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("HADECK_LAB")) {
        QSKIP("HADECK_LAB is not set");
    }
    QVERIFY2(
        m_agentToml.append(
            kDir1, QStringLiteral("\n[modules.metrics]\nlisten = \"%1:%2\"\n").arg(kDir1Address).arg(kMetricsPort)),
        "cannot turn on dir1's /metrics");
}

void TestMetricsScaleLab::tenThousandDests()
{
    QFile f(QStringLiteral(HADECK_SOURCE_DIR "/tests/alarmlab/metrics_scale.sh"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    // The script text goes over `lab exec` itself: the VM caches the host's tree it sees.
    const QString script = QStringLiteral("set -- %1 http://%2:%3/metrics %2:%4 %5\n")
                               .arg(labDir() + QStringLiteral("/nodes/dir1/pids/agent.pid"), kDir1Address)
                               .arg(kMetricsPort)
                               .arg(kNodeExporterPort)
                               .arg(kScrapes) +
                           QString::fromUtf8(f.readAll());
    // Not labExec: what the script printed before a failure is wanted too.
    QProcess p;
    p.setChildProcessModifier([] { ::setsid(); }); // killed with its ssh below, see labtestutil.h
    p.start(qEnvironmentVariable("HADECK_LAB"),
            {QStringLiteral("exec"), kDir1, QStringLiteral("sh"), QStringLiteral("-c"), script});
    QVERIFY(p.waitForStarted());
    // Each line is printed as it comes (a long run shows its progress).
    QByteArray out;
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < 1200000) {
        p.waitForReadyRead(1000);
        while (p.canReadLine()) {
            const QByteArray line = p.readLine();
            qInfo("dir1: %s", line.trimmed().constData());
            out += line;
        }
    }
    const bool ended = p.state() == QProcess::NotRunning || p.waitForFinished(1000);
    if (!ended && p.processId() > 0) {
        ::kill(-static_cast<pid_t>(p.processId()), SIGKILL);
        p.waitForFinished(5000);
    }
    out += p.readAllStandardOutput();
    qInfo("metrics_scale.sh on dir1 ended %d, exit %d; stderr: %s", int(ended), p.exitCode(),
          p.readAllStandardError().right(2000).constData());
    QVERIFY2(ended && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, "metrics_scale.sh failed on dir1");

    QMap<QByteArray, QList<double>> times;
    QMap<QByteArray, QList<double>> bytes;
    QMap<QByteArray, QList<QByteArray>> lines;
    for (const QByteArray& line : out.split('\n')) {
        const QList<QByteArray> w = line.simplified().split(' ');
        if (w.size() < 2) {
            continue;
        }
        if (w[0] == "A" || w[0] == "N" || w[0] == "A0" || w[0] == "N0") {
            if (w.value(3) != "200") {
                continue;
            }
            times[w[0]].append(w[1].toDouble() * 1000);
            bytes[w[0]].append(w.value(2).toDouble());
        } else {
            lines[w[0]] = w.mid(1);
        }
    }
    QVERIFY2(!lines.contains("ERROR"), out.constData());
    for (const char* key : {"START", "END", "CPU", "SERIES", "LOAD", "SEEN", "IDLE"}) {
        QVERIFY2(lines.contains(key),
                 qPrintable(QStringLiteral("no %1 line in:\n").arg(QLatin1String(key)) + QString::fromUtf8(out)));
    }
    // Only the scrapes that were answered count for the times; the others are printed as failed.
    int failed[2] = {0, 0};
    for (const QByteArray& line : out.split('\n')) {
        const QList<QByteArray> w = line.simplified().split(' ');
        if ((w.value(0) == "A" || w.value(0) == "N") && w.value(3) != "200") {
            ++failed[w[0] == "A" ? 0 : 1];
        }
    }
    // A body shorter than the largest one of the same endpoint was cut off (HTTP 200 all the same).
    int truncated[2] = {0, 0};
    for (int e = 0; e < 2; ++e) {
        const QList<double>& b = bytes[e == 0 ? "A" : "N"];
        const double largest = b.isEmpty() ? 0 : *std::max_element(b.begin(), b.end());
        for (const double v : b) {
            truncated[e] += v < 0.9 * largest ? 1 : 0;
        }
    }
    QVERIFY(!times.value("A").isEmpty());
    QVERIFY(!times.value("N").isEmpty());

    const auto kib = [&](const char* key, int i) { return lines[key].value(i).toDouble(); };
    const Spread a = spreadOf(times["A"]);
    const Spread n = spreadOf(times["N"]);
    const Spread a0 = spreadOf(times["A0"]);
    const Spread n0 = spreadOf(times["N0"]);
    qInfo("dir1: 10,000 scratch IPVS dests (1000 services x 10) loaded with ipvsadm -R in %s ms; the agent's "
          "/metrics served all of them %s ms later",
          lines["LOAD"].value(0).constData(), lines["SEEN"].value(0).constData());
    QFile buildDir(labDir() + QStringLiteral("/build-dir"));
    qInfo("the lab's agents are from %s",
          buildDir.open(QIODevice::ReadOnly) ? buildDir.readAll().trimmed().constData() : "?");
    qInfo("%-40s %12s %12s", "", "hadeck-agent", "node_exporter");
    qInfo("%-40s %12.1f %12.1f", "response ms, no scratch table, median", a0.median, n0.median);
    qInfo("%-40s %12.1f %12.1f", "response ms, 10,000 dests, median", a.median, n.median);
    qInfo("%-40s %12.1f %12.1f", "response ms, 10,000 dests, p99", a.p99, n.p99);
    qInfo("%-40s %12.1f %12.1f", "response ms, 10,000 dests, worst", a.max, n.max);
    qInfo("%-40s %12lld %12lld", "scrapes answered", qint64(times["A"].size()), qint64(times["N"].size()));
    qInfo("%-40s %12d %12d", "scrapes failed (120 s timeout or error)", failed[0], failed[1]);
    qInfo("%-40s %12d %12d", "scrapes cut short (HTTP 200)", truncated[0], truncated[1]);
    qInfo("%-40s %12.0f %12.0f", "response size, KiB", bytes["A"].value(0) / 1024, bytes["N"].value(0) / 1024);
    qInfo("%-40s %12s %12s", "scratch dests exposed (of 10,000)", lines["SERIES"].value(0).constData(),
          lines["SERIES"].value(1).constData());
    qInfo("%-40s %12.1f %12.1f", "RSS before the table, MiB", kib("START", 0) / 1024, kib("START", 1) / 1024);
    qInfo("%-40s %12.1f %12.1f", "RSS after the scrapes, MiB", kib("END", 0) / 1024, kib("END", 1) / 1024);
    qInfo("%-40s %12.1f %12.1f", "added RSS, MiB", (kib("END", 0) - kib("START", 0)) / 1024,
          (kib("END", 1) - kib("START", 1)) / 1024);
    qInfo("%-40s %12s %12s", "agent CPU %, table, 20 s with no scrape", lines["IDLE"].value(0).constData(), "");
    qInfo("%-40s %12s %12s", "CPU % over the scrapes", lines["CPU"].value(0).constData(),
          lines["CPU"].value(1).constData());
    qInfo("(up to %d scrapes each, alternating, from inside dir1, curl's time_total; the directors run in a "
          "TCG-emulated VM)",
          kScrapes);
    QCOMPARE(lines["SERIES"].value(0).toInt(), 10000);
}

void TestMetricsScaleLab::cleanupTestCase()
{
    if (qEnvironmentVariableIsEmpty("HADECK_LAB")) {
        return;
    }
    // The script removes its table however it ends; this is for a script killed with the VM's ssh.
    labExec(kDir1,
            QStringLiteral("ipvsadm -Sn | grep '^-A -t %1' | sed 's/^-A \\(-t [^ ]*\\).*/-D \\1/' > /tmp/scratch.del; "
                           "[ -s /tmp/scratch.del ] && ipvsadm -R < /tmp/scratch.del; rm -f /tmp/scratch.del; true")
                .arg(kScratchServices));
    m_agentToml.restore();
}

QTEST_GUILESS_MAIN(TestMetricsScaleLab)
#include "tst_metrics_scale_lab.moc"
