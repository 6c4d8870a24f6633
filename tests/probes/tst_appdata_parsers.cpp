// The application-node parsers on fixtures captured from the real programs:
// Apache 2.4 (worker, event, prefork; ExtendedStatus on and off; TLS session cache),
// php-fpm 8.2, mfscli 3.0.117 from the lab's MooseFS, MariaDB 10.11 from the lab's
// replica, and /proc from this machine's kernel (tests/data/*/capture.sh).

#include "fixture.h"
#include "hadeck/probes/appdata/apache_status.h"
#include "hadeck/probes/appdata/host_proc.h"
#include "hadeck/probes/appdata/mfscli.h"
#include "hadeck/probes/appdata/mysql_status.h"
#include "hadeck/protocol/types.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::probes;

namespace {

using hadeck::test::fixture;

/// The first data row of `mariadb --batch` output (header line + rows, tab separated, NULL as "NULL").
SqlRow firstRow(const std::string& tsv)
{
    const QStringList lines = QString::fromStdString(tsv).split(QLatin1Char('\n'));
    SqlRow row;
    if (lines.size() < 2) {
        return row;
    }
    const QStringList names = lines[0].split(QLatin1Char('\t'));
    const QStringList values = lines[1].split(QLatin1Char('\t'));
    for (int i = 0; i < names.size() && i < values.size(); ++i) {
        row[names[i].toStdString()] =
            values[i] == QLatin1String("NULL") ? std::nullopt : std::optional(values[i].toStdString());
    }
    return row;
}

} // namespace

class TestAppdataParsers : public QObject {
    Q_OBJECT
private slots:
    void apacheMpms_data();
    void apacheMpms();
    void apacheScoreboard();
    void apacheRefusesOtherPages_data();
    void apacheRefusesOtherPages();
    void phpFpm();
    void mfsMasterInfo();
    void mfsChunkHealthWhenCs2Down();
    void mfsChunkservers();
    void mfsDisconnected();
    void mfsMaintenance();
    void mfsMetaloggersAndDisks();
    void mfsMalformed();
    void mariadbReplicaRunning();
    void mariadbReplicaConnecting();
    void mariadbMasterHasNoRow();
    void mysql8ColumnNames();
    void dbRoles();
    void procBasics();
    void procMalformed_data();
    void procMalformed();
    void procStatAndCpuUsage();
    void pressure();
    void diskstatsWholeDisksOnly();
    void netDevRates();
    void mounts();
    void tcpGroups();
    void wireRoundTrip();
};

void TestAppdataParsers::apacheMpms_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mpm");
    QTest::addColumn<bool>("extended");
    QTest::addColumn<bool>("async");
    QTest::newRow("worker ext") << "apache/status-worker-ext.txt" << "worker" << true << false;
    QTest::newRow("worker noext") << "apache/status-worker-noext.txt" << "worker" << false << false;
    QTest::newRow("event ext tls") << "apache/status-event-ext-tls.txt" << "event" << true << true;
    QTest::newRow("event noext") << "apache/status-event-noext.txt" << "event" << false << true;
    QTest::newRow("prefork ext") << "apache/status-prefork-ext.txt" << "prefork" << true << false;
    QTest::newRow("prefork noext") << "apache/status-prefork-noext.txt" << "prefork" << false << false;
    QTest::newRow("lab worker") << "apache/status-lab-worker.txt" << "worker" << true << false;
}

void TestAppdataParsers::apacheMpms()
{
    QFETCH(QString, file);
    QFETCH(QString, mpm);
    QFETCH(bool, extended);
    QFETCH(bool, async);
    const auto s = parseApacheStatus(fixture(file));
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    QVERIFY(s->state == proto::ApacheState::Ok);
    QCOMPARE(QString::fromStdString(s->mpm), mpm);
    QCOMPARE(s->extendedStatus, extended);
    QCOMPARE(s->connsTotal.has_value(), async);
    QVERIFY(s->serverVersion.find("Apache/2.4") == 0);
    QVERIFY(s->busyWorkers >= 1); // the status request itself
    QCOMPARE(s->configGeneration, 1u);
    // Every scoreboard slot is counted once, and busy + idle never exceed the slots.
    std::uint32_t slotCount = 0;
    for (const auto& [k, n] : s->scoreboard) {
        slotCount += n;
    }
    QCOMPARE(slotCount, s->serverLimit);
    QVERIFY(s->busyWorkers + s->idleWorkers <= s->serverLimit);
    QCOMPARE(s->scoreboard.at("writing") >= 1, true);
    if (extended) {
        QVERIFY(s->totalAccesses >= 1);
    }
}

void TestAppdataParsers::apacheScoreboard()
{
    const auto s = parseApacheStatus(fixture("apache/status-lab-worker.txt"));
    QVERIFY(s);
    // "__________W_____................": 2 processes x 16 threads, one half open.
    QCOMPARE(s->serverLimit, 32u);
    QCOMPARE(s->scoreboard.at("waiting"), 15u);
    QCOMPARE(s->scoreboard.at("writing"), 1u);
    QCOMPARE(s->scoreboard.at("open"), 16u);
    QCOMPARE(s->busyWorkers, 1u);
    QCOMPARE(s->idleWorkers, 15u);
    QCOMPARE(s->uptimeSeconds, 150u);
    QCOMPARE(s->requestsPerSec, 0.00666667);
}

void TestAppdataParsers::apacheRefusesOtherPages_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("html status page") << QByteArray::fromStdString(fixture("apache/status-html.html"));
    QTest::newRow("php-fpm status page") << QByteArray::fromStdString(fixture("apache/fpm-status.txt"));
    QTest::newRow("php-fpm json") << QByteArray::fromStdString(fixture("apache/fpm-status.json"));
    QTest::newRow("nginx stub_status")
        << QByteArray("Active connections: 2 \nserver accepts handled requests\n 10 10 12 \nReading: 0 Writing: 1 "
                      "Waiting: 1 \n");
    QTest::newRow("lighttpd-like") << QByteArray("Total Accesses: 5\nTotal kBytes: 1\nUptime: 3\nBusyServers: 1\n"
                                                 "IdleServers: 3\nScoreboard: _W__\n");
    QTest::newRow("another server claims the keys")
        << QByteArray("ServerVersion: nginx/1.22\nBusyWorkers: 1\nIdleWorkers: 2\nScoreboard: _W_\n");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("bad scoreboard")
        << QByteArray("ServerVersion: Apache/2.4\nBusyWorkers: 1\nIdleWorkers: 2\nScoreboard: _W_?\n");
    QTest::newRow("bad number")
        << QByteArray("ServerVersion: Apache/2.4\nBusyWorkers: many\nIdleWorkers: 2\nScoreboard: _W_\n");
}

void TestAppdataParsers::apacheRefusesOtherPages()
{
    QFETCH(QByteArray, body);
    const auto s = parseApacheStatus(body.toStdString());
    QVERIFY(!s);
    QVERIFY(!s.error().message.empty());
}

void TestAppdataParsers::phpFpm()
{
    const auto s = parsePhpFpmStatus(fixture("apache/fpm-status.txt"));
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    QCOMPARE(QString::fromStdString(s->pool), QStringLiteral("www"));
    QCOMPARE(QString::fromStdString(s->processManager), QStringLiteral("static"));
    QCOMPARE(s->totalProcesses, 3u);
    QCOMPARE(s->activeProcesses + s->idleProcesses, s->totalProcesses);
    QCOMPARE(s->maxChildrenReached, 0u);
    QCOMPARE(s->slowRequests, 0u);
    QVERIFY(!parsePhpFpmStatus(fixture("apache/status-worker-ext.txt")));
    QVERIFY(!parsePhpFpmStatus("pool: www\nprocess manager: static\nactive processes: lots\n"));
}

void TestAppdataParsers::mfsMasterInfo()
{
    const auto m = parseMfsMasterInfo(fixture("moosefs/mfscli-SIN.txt"));
    QVERIFY2(m, m ? "" : m.error().message.c_str());
    QCOMPARE(QString::fromStdString(m->version), QStringLiteral("3.0.117"));
    QCOMPARE(m->ramUsedBytes, 207626240u);
    QCOMPARE(m->totalSpaceBytes, 205490561024u);
    QCOMPARE(m->availSpaceBytes, 163814117376u);
    QCOMPARE(m->files, 1u);
    QCOMPARE(m->directories, 2u);
    QCOMPARE(m->chunks, 1u);
    QCOMPARE(m->undergoalChunks, 0u);
    QCOMPARE(m->missingChunks, 0u);
}

void TestAppdataParsers::mfsChunkHealthWhenCs2Down()
{
    const auto m = parseMfsMasterInfo(fixture("moosefs/mfscli-SIN-cs2-down.txt"));
    QVERIFY2(m, m ? "" : m.error().message.c_str());
    QCOMPARE(m->undergoalChunks, 1u); // goal 2, one copy left (endangered)
    QCOMPARE(m->missingChunks, 0u);
    QCOMPARE(m->totalSpaceBytes, 102745280512u);
}

void TestAppdataParsers::mfsChunkservers()
{
    const auto cs = parseMfsChunkservers(fixture("moosefs/mfscli-SCS.txt"));
    QVERIFY2(cs, cs ? "" : cs.error().message.c_str());
    QCOMPARE(cs->size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(cs->at(0).host), QStringLiteral("198.18.0.42"));
    QCOMPARE(cs->at(0).port, 9422);
    QCOMPARE(cs->at(0).id, 1u);
    QCOMPARE(QString::fromStdString(cs->at(0).maintenance), QStringLiteral("off"));
    QCOMPARE(cs->at(1).usedBytes, 20904173568u);
    QCOMPARE(cs->at(1).totalBytes, 102745280512u);
    QCOMPARE(cs->at(1).chunks, 1u);
    QVERIFY(cs->at(0).connected && cs->at(1).connected);
}

void TestAppdataParsers::mfsDisconnected()
{
    const auto cs = parseMfsChunkservers(fixture("moosefs/mfscli-SCS-disconnected.txt"));
    QVERIFY2(cs, cs ? "" : cs.error().message.c_str());
    QCOMPARE(cs->size(), std::size_t(2));
    QVERIFY(cs->at(0).connected);
    QVERIFY(!cs->at(1).connected);
    QCOMPARE(QString::fromStdString(cs->at(1).host), QStringLiteral("198.18.0.43"));
    QCOMPARE(cs->at(1).id, 2u);
    // A chunkserver stopped cleanly is put in temporary maintenance by the master.
    QCOMPARE(QString::fromStdString(cs->at(1).maintenance), QStringLiteral("on (temp)"));
}

void TestAppdataParsers::mfsMaintenance()
{
    const auto cs = parseMfsChunkservers(fixture("moosefs/mfscli-SCS-maintenance.txt"));
    QVERIFY(cs);
    QCOMPARE(QString::fromStdString(cs->at(0).maintenance), QStringLiteral("off"));
    QCOMPARE(QString::fromStdString(cs->at(1).maintenance), QStringLiteral("on"));
}

void TestAppdataParsers::mfsMetaloggersAndDisks()
{
    const auto ml = parseMfsMetaloggers(fixture("moosefs/mfscli-SMB.txt"));
    QVERIFY(ml);
    QCOMPARE(ml->size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(ml->at(0).host), QStringLiteral("198.18.0.32"));
    const auto d = parseMfsDisks(fixture("moosefs/mfscli-SHD.txt"));
    QVERIFY2(d, d ? "" : d.error().message.c_str());
    QCOMPARE(d->size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(d->at(0).server), QStringLiteral("198.18.0.42:9422"));
    QCOMPARE(QString::fromStdString(d->at(0).path), QStringLiteral("/run/hadeck-lab/nodes/cs1/chunks/"));
    QCOMPARE(QString::fromStdString(d->at(0).status), QStringLiteral("ok"));
    QCOMPARE(d->at(0).errors, 0u);
    QCOMPARE(d->at(0).totalBytes, 102745280512u);
    QCOMPARE(d->at(1).usedBytes, 20904173568u);
}

void TestAppdataParsers::mfsMalformed()
{
    QVERIFY(!parseMfsMasterInfo(""));
    QVERIFY(!parseMfsMasterInfo(fixture("moosefs/mfscli-SCS.txt")));
    QVERIFY(!parseMfsMasterInfo("master info:|master version|3.0\nmaster info:|chunks|x\n"));
    QVERIFY(!parseMfsChunkservers("chunk servers:|1.2.3.4|9422|1\n"));
    QVERIFY(!parseMfsChunkservers("chunk servers:|h|port|1|-|3.0|0|maintenance_off|1|2|3|-|0|0|0\n"));
    QVERIFY(!parseMfsChunkservers("Disconnected chunk servers:|h\n"));
    QVERIFY(!parseMfsDisks("disks:|nopath|1|no errors|ok|0|0\n"));
    QVERIFY(!parseMfsMetaloggers("metadata backup loggers:|1.2.3.4\n"));
    // Not a table row at all: nothing, not an error.
    const auto none = parseMfsChunkservers("can't connect to master\n");
    QVERIFY(none && none->empty());
}

void TestAppdataParsers::mariadbReplicaRunning()
{
    const auto r = replicaFromRow(firstRow(fixture("mariadb/replica-status-running.tsv")));
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(QString::fromStdString(r->ioRunning), QStringLiteral("Yes"));
    QCOMPARE(QString::fromStdString(r->sqlRunning), QStringLiteral("Yes"));
    QVERIFY(r->lagSeconds.has_value());
    QCOMPARE(*r->lagSeconds, 0);
    QCOMPARE(QString::fromStdString(r->masterHost), QStringLiteral("198.18.0.31"));
    QCOMPARE(r->masterPort, 3306);
    QCOMPARE(QString::fromStdString(r->usingGtid), QStringLiteral("Slave_Pos"));
    QVERIFY(!r->gtidIoPos.empty());
    QVERIFY(r->lastIoError.empty());
}

void TestAppdataParsers::mariadbReplicaConnecting()
{
    const auto r = replicaFromRow(firstRow(fixture("mariadb/replica-status-connecting.tsv")));
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(QString::fromStdString(r->ioRunning), QStringLiteral("Connecting"));
    QVERIFY(!r->lagSeconds.has_value()); // NULL unless both threads run
    QCOMPARE(r->lastIoErrno, 2003u);
    QVERIFY(QString::fromStdString(r->lastIoError).contains(QLatin1String("Connection refused")));
}

void TestAppdataParsers::mariadbMasterHasNoRow()
{
    const auto tsv = fixture("mariadb/replica-status-master.tsv");
    QVERIFY(firstRow(tsv).empty()); // an empty result: not a replica
    QVERIFY(!replicaFromRow(firstRow(tsv)));
}

void TestAppdataParsers::mysql8ColumnNames()
{
    // MySQL 8.0.22+ names (no MySQL server here to capture from; names from its manual).
    SqlRow row{{"Replica_IO_Running", "Yes"},       {"Replica_SQL_Running", "No"},
               {"Seconds_Behind_Source", std::nullopt}, {"Source_Host", "10.0.0.5"},
               {"Source_Port", "3307"},             {"Last_SQL_Errno", "1062"},
               {"Last_SQL_Error", "Duplicate entry"}, {"Retrieved_Gtid_Set", "uuid:1-10"},
               {"Executed_Gtid_Set", "uuid:1-9"},   {"Auto_Position", "1"}};
    const auto r = replicaFromRow(row);
    QVERIFY(r);
    QCOMPARE(QString::fromStdString(r->ioRunning), QStringLiteral("Yes"));
    QCOMPARE(QString::fromStdString(r->sqlRunning), QStringLiteral("No"));
    QVERIFY(!r->lagSeconds);
    QCOMPARE(r->masterPort, 3307);
    QCOMPARE(r->lastSqlErrno, 1062u);
    QCOMPARE(QString::fromStdString(r->gtidIoPos), QStringLiteral("uuid:1-10"));
    QCOMPARE(QString::fromStdString(r->executedGtids), QStringLiteral("uuid:1-9"));
    row["Seconds_Behind_Source"] = "12";
    QCOMPARE(*replicaFromRow(row)->lagSeconds, 12);
    row["Seconds_Behind_Source"] = "soon";
    QVERIFY(!replicaFromRow(row));
    row["Seconds_Behind_Source"] = "1";
    row["Source_Port"] = "70000";
    QVERIFY(!replicaFromRow(row));
}

void TestAppdataParsers::dbRoles()
{
    QCOMPARE(QString::fromStdString(dbRole(true, 0, true)), QStringLiteral("replica"));
    QCOMPARE(QString::fromStdString(dbRole(false, 1, true)), QStringLiteral("master"));
    QCOMPARE(QString::fromStdString(dbRole(false, 0, true)), QStringLiteral("master"));
    QCOMPARE(QString::fromStdString(dbRole(false, 0, false)), QStringLiteral("standalone"));
}

void TestAppdataParsers::procBasics()
{
    proto::HostStatus s;
    QVERIFY(parseLoadavg(fixture("host/loadavg"), s));
    QVERIFY(parseMeminfo(fixture("host/meminfo"), s));
    QVERIFY(parseUptime("12345.67 23456.78\n", s));
    QVERIFY(s.load1 >= 0 && s.load15 >= 0);
    QVERIFY(s.tasks > 0 && s.runnable >= 1);
    QVERIFY(s.memTotalKiB > 0 && s.memAvailableKiB <= s.memTotalKiB);
    QCOMPARE(s.uptimeSeconds, 12345.67);
}

void TestAppdataParsers::procMalformed_data()
{
    QTest::addColumn<int>("file");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("loadavg empty") << 0 << QByteArray();
    QTest::newRow("loadavg no slash") << 0 << QByteArray("0.1 0.2 0.3 5 100\n");
    QTest::newRow("loadavg words") << 0 << QByteArray("high higher highest 1/2 3\n");
    QTest::newRow("meminfo without MemAvailable") << 1 << QByteArray("MemTotal: 100 kB\nMemFree: 5 kB\n");
    QTest::newRow("uptime garbage") << 2 << QByteArray("up\n");
    QTest::newRow("stat without cpu") << 3 << QByteArray("intr 1 2 3\n");
    QTest::newRow("stat short cpu") << 3 << QByteArray("cpu 1 2 3\n");
    QTest::newRow("pressure garbage") << 4 << QByteArray("some avg10=x avg60=1 avg300=1 total=1\n");
    QTest::newRow("pressure empty") << 4 << QByteArray();
    QTest::newRow("diskstats short") << 5 << QByteArray(" 8 0 sda 1 2 3\n");
    QTest::newRow("net/dev no header") << 6 << QByteArray("lo: 1 2 3\n");
    QTest::newRow("mounts short") << 7 << QByteArray("/dev/sda1 /\n");
}

void TestAppdataParsers::procMalformed()
{
    QFETCH(int, file);
    QFETCH(QByteArray, text);
    const std::string t = text.toStdString();
    proto::HostStatus s;
    bool failed = false;
    std::string message;
    const auto check = [&](const auto& r) {
        failed = !r;
        message = r ? std::string() : r.error().message;
    };
    switch (file) {
    case 0: check(parseLoadavg(t, s)); break;
    case 1: check(parseMeminfo(t, s)); break;
    case 2: check(parseUptime(t, s)); break;
    case 3: check(parseProcStat(t)); break;
    case 4: check(parsePressure(t)); break;
    case 5: check(parseDiskstats(t)); break;
    case 6: check(parseNetDev(t)); break;
    default: check(parseMounts(t)); break;
    }
    QVERIFY(failed);
    QVERIFY(!message.empty());
}

void TestAppdataParsers::procStatAndCpuUsage()
{
    const auto t = parseProcStat(fixture("host/stat"));
    QVERIFY2(t, t ? "" : t.error().message.c_str());
    QCOMPARE(QString::fromStdString(t->front().name), QStringLiteral("cpu"));
    QCOMPARE(t->size(), std::size_t(3)); // total + 2 cores on the capturing machine
    QCOMPARE(t->at(0).user, 68726u);
    auto later = *t;
    // cpu0: 100 ticks pass, 25 busy (user), 75 idle; cpu1: 100 ticks, 50 iowait
    later[1].user += 25;
    later[1].idle += 75;
    later[2].iowait += 50;
    later[2].idle += 50;
    later[0].user += 25;
    later[0].idle += 125;
    later[0].iowait += 50;
    const auto u = cpuUsage(*t, later);
    QCOMPARE(u.size(), std::size_t(3));
    QCOMPARE(u[1].busyPct, 25.0);
    QCOMPARE(u[2].busyPct, 0.0);
    QCOMPARE(u[2].iowaitPct, 50.0);
    QCOMPARE(u[0].busyPct, 12.5);
    // No time passed: no division by zero, zeros.
    QCOMPARE(cpuUsage(*t, *t)[0].busyPct, 0.0);
}

void TestAppdataParsers::pressure()
{
    const auto p = parsePressure(fixture("host/pressure_cpu"));
    QVERIFY2(p, p ? "" : p.error().message.c_str());
    QCOMPARE(p->someAvg10, 72.49);
    QCOMPARE(p->someAvg60, 70.41);
    QVERIFY(parsePressure(fixture("host/pressure_memory")));
    QVERIFY(parsePressure(fixture("host/pressure_io")));
    // Kernels before 5.13 have no "full" line for cpu.
    const auto old = parsePressure("some avg10=1.50 avg60=0.50 avg300=0.10 total=1\n");
    QVERIFY(old);
    QCOMPARE(old->fullAvg10, 0.0);
}

void TestAppdataParsers::diskstatsWholeDisksOnly()
{
    const auto d = parseDiskstats(fixture("host/diskstats"));
    QVERIFY2(d, d ? "" : d.error().message.c_str());
    QCOMPARE(d->size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(d->at(0).device), QStringLiteral("vda"));
    const auto parts = parseDiskstats(" 8 0 sda 10 0 100 0 20 0 200 0 0 50 0\n 8 1 sda1 1 0 8 0 2 0 16 0 0 5 0\n"
                                      " 259 0 nvme0n1 1 0 8 0 2 0 16 0 0 5 0\n 259 1 nvme0n1p1 1 0 8 0 2 0 16 0 0 5 0\n");
    QVERIFY(parts);
    QCOMPARE(parts->size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(parts->at(1).device), QStringLiteral("nvme0n1"));
    auto later = *parts;
    later[0].sectorsRead += 2048; // 1 MiB in 2 s
    later[0].ioTicksMs += 500;
    const auto r = diskRates(*parts, later, 2.0);
    QCOMPARE(r[0].readBytesPerSec, 524288.0);
    QCOMPARE(r[0].busyPct, 25.0);
    // A counter that went back gives no rate.
    QCOMPARE(diskRates(later, *parts, 2.0)[0].readBytesPerSec, 0.0);
}

void TestAppdataParsers::netDevRates()
{
    const auto n = parseNetDev(fixture("host/net_dev"));
    QVERIFY2(n, n ? "" : n.error().message.c_str());
    QCOMPARE(n->size(), std::size_t(4));
    QCOMPARE(QString::fromStdString(n->at(0).name), QStringLiteral("lo"));
    QCOMPARE(n->at(3).rxBytes, 120193825u);
    QCOMPARE(n->at(3).txPackets, 1235u);
    auto later = *n;
    later[3].rxBytes += 1000;
    later[3].txErrors = 7;
    const auto r = interfaceRates(*n, later, 0.5);
    QCOMPARE(r[3].rxBytesPerSec, 2000.0);
    QCOMPARE(r[3].txErrors, 7u);
}

void TestAppdataParsers::mounts()
{
    const auto m = parseMounts(fixture("host/mounts"));
    QVERIFY2(m, m ? "" : m.error().message.c_str());
    QVERIFY(!m->empty());
    for (const auto& e : *m) {
        QVERIFY(e.type != "proc" && e.type != "sysfs" && e.type != "cgroup2");
    }
    const auto esc = parseMounts("/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\nmfs#mfsmaster:9421 /srv/mfs fuse.mfs rw 0 0\n");
    QVERIFY(esc);
    QCOMPARE(esc->size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(esc->at(0).mountPoint), QStringLiteral("/mnt/my disk"));
    QCOMPARE(QString::fromStdString(esc->at(1).type), QStringLiteral("fuse.mfs"));
}

void TestAppdataParsers::tcpGroups()
{
    // web1-like: listens on :80, two clients in, two PHP connections out to db1:3306.
    std::vector<TcpSocket> s{
        {4, "0.0.0.0", 80, "0.0.0.0", 0, 0x0A},
        {4, "198.18.0.100", 80, "198.19.0.10", 40000, 0x01},
        {4, "198.18.0.100", 80, "198.19.0.10", 40001, 0x01},
        {4, "198.18.0.21", 51000, "198.18.0.31", 3306, 0x01},
        {4, "198.18.0.21", 51001, "198.18.0.31", 3306, 0x01},
        {4, "198.18.0.21", 51002, "198.18.0.32", 3306, 0x01},
        {4, "198.18.0.21", 51003, "198.18.0.31", 3306, 0x06},
        // PHP's connections to db2's port 3307, all closed by the client: only TIME_WAIT is left.
        {4, "198.18.0.21", 51004, "198.18.0.32", 3307, 0x06},
        {4, "198.18.0.21", 51005, "198.18.0.32", 3307, 0x06},
        // An HTTP connection Apache closed: inbound, recently closed.
        {4, "198.18.0.100", 80, "198.19.0.10", 39999, 0x06},
    };
    const auto t = tcpSummary(s);
    QCOMPARE(t.states.at("ESTABLISHED"), 5u);
    QCOMPARE(t.states.at("LISTEN"), 1u);
    QCOMPARE(t.states.at("TIME_WAIT"), 4u);
    QCOMPARE(t.byLocal.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(t.byLocal[0].address), QStringLiteral("198.18.0.100"));
    QCOMPARE(t.byLocal[0].count, 2u);
    QCOMPARE(t.byLocal[0].recentlyClosed, 1u);
    QCOMPARE(t.byRemote.size(), std::size_t(3));
    QCOMPARE(QString::fromStdString(t.byRemote[0].address), QStringLiteral("198.18.0.31"));
    QCOMPARE(t.byRemote[0].port, 3306);
    QCOMPARE(t.byRemote[0].count, 2u);
    QCOMPARE(t.byRemote[0].recentlyClosed, 1u);
    // A group with nothing open now is still a group: the edge exists.
    QCOMPARE(QString::fromStdString(t.byRemote[2].address), QStringLiteral("198.18.0.32"));
    QCOMPARE(t.byRemote[2].port, 3307);
    QCOMPARE(t.byRemote[2].count, 0u);
    QCOMPARE(t.byRemote[2].recentlyClosed, 2u);

    // The captured table of this machine parses and groups without surprises.
    const auto table = parseProcNetTcp(fixture("host/net_tcp"), 4);
    QVERIFY(table);
    const auto real = tcpSummary(table->sockets);
    std::uint32_t total = 0;
    for (const auto& [k, n] : real.states) {
        total += n;
    }
    QCOMPARE(total, static_cast<std::uint32_t>(table->sockets.size()));
}

void TestAppdataParsers::wireRoundTrip()
{
    auto a = parseApacheStatus(fixture("apache/status-event-ext-tls.txt"));
    QVERIFY(a);
    a->phpFpm = *parsePhpFpmStatus(fixture("apache/fpm-status.txt"));
    const auto back = proto::Json(*a).get<proto::ApacheStatus>();
    QCOMPARE(proto::Json(back).dump(), proto::Json(*a).dump());
    // Checked decoding: a negative count, a float count and an unknown state are refused.
    auto j = proto::Json(*a);
    j["busyWorkers"] = -1;
    QVERIFY(!proto::fromJson<proto::ApacheStatus>(j));
    j["busyWorkers"] = 1.5;
    QVERIFY(!proto::fromJson<proto::ApacheStatus>(j));
    j["busyWorkers"] = 1;
    j["state"] = "fine";
    QVERIFY(!proto::fromJson<proto::ApacheStatus>(j));
    j["state"] = "ok";
    j["scoreboard"]["waiting"] = "many";
    QVERIFY(!proto::fromJson<proto::ApacheStatus>(j));
}

QTEST_GUILESS_MAIN(TestAppdataParsers)
#include "tst_appdata_parsers.moc"
