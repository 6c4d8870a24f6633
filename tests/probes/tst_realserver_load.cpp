#include "fixture.h"
#include "hadeck/probes/appdata/apache_status.h"
#include "hadeck/probes/realserver_load.h"

#include <QFile>
#include <QtTest>

using namespace hadeck::probes;

namespace {
std::string drainFixture(const QString& name) { return hadeck::test::fixture(QStringLiteral("drain/") + name); }
} // namespace

class TestRealServerLoad : public QObject {
    Q_OBJECT
private slots:
    void established_data();
    void established();
    void establishedDualStack_data();
    void establishedDualStack();
    void establishedRejectsGarbage();
    void apacheStatus_data();
    void apacheStatus();
    void apacheStatusRejectsHtml();
};

void TestRealServerLoad::established_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("count");
    // Captured with three keep-alive clients on 127.0.0.1:8089 (0x1F99).
    QTest::newRow("v4 server side") << "proc-net-tcp-3-established.txt"
                                    << "127.0.0.1" << 8089 << 3;
    QTest::newRow("v4 other port") << "proc-net-tcp-3-established.txt"
                                   << "127.0.0.1" << 80 << 0;
    QTest::newRow("v4 other address") << "proc-net-tcp-3-established.txt"
                                      << "198.18.0.100" << 8089 << 0;
    // Two clients on [::1]:8089; the client ends of the same connections must not count.
    QTest::newRow("v6 server side") << "proc-net-tcp6-2-established.txt"
                                    << "::1" << 8089 << 2;
    QTest::newRow("v6 listening only") << "proc-net-tcp6-2-established.txt"
                                       << "::" << 8089 << 0;
}

void TestRealServerLoad::established()
{
    QFETCH(QString, file);
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(int, count);
    const auto n = countEstablished(drainFixture(file), address.toStdString(), static_cast<std::uint16_t>(port));
    QVERIFY2(n.hasValue(), n ? "" : n.error().message.c_str());
    QCOMPARE(int(*n), count);
}

void TestRealServerLoad::establishedDualStack_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("count");
    // Captured from Apache 2.4 (worker MPM) with the plain `Listen 80` of its default configuration,
    // in a namespace with IPv6 up: it listens on `*:80` (one dual-stack socket), so its six
    // connections to 198.18.0.100:80 are in /proc/net/tcp6 as ::ffff:198.18.0.100, and only
    // the client ends (local port not 80) are in /proc/net/tcp.
    QTest::newRow("v4 VIP, dual-stack Apache") << "198.18.0.100" << 80 << 6;
    QTest::newRow("mapped form asked") << "::ffff:198.18.0.100" << 80 << 6;
    QTest::newRow("other port") << "198.18.0.100" << 8080 << 0;
    QTest::newRow("other address") << "198.18.0.21" << 80 << 0;
}

void TestRealServerLoad::establishedDualStack()
{
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(int, count);
    const auto n = countEstablished(drainFixture("proc-net-tcp-apache-dualstack-clients.txt"),
                                    drainFixture("proc-net-tcp6-apache-dualstack-6-established.txt"),
                                    address.toStdString(), static_cast<std::uint16_t>(port));
    QVERIFY2(n.hasValue(), n ? "" : n.error().message.c_str());
    QCOMPARE(int(*n), count);
}

void TestRealServerLoad::establishedRejectsGarbage()
{
    QVERIFY(!countEstablished("", "127.0.0.1", 80).hasValue());
    QVERIFY(!countEstablished("hello\nworld\n", "127.0.0.1", 80).hasValue());
    QVERIFY(!countEstablished(drainFixture("proc-net-tcp-3-established.txt"), "not-an-ip", 80).hasValue());
    // Truncated lines are skipped, not fatal.
    const auto n = countEstablished("  sl  local_address\n   0: 0100007F\n", "127.0.0.1", 80);
    QVERIFY(n.hasValue());
    QCOMPARE(*n, 0U);
}

void TestRealServerLoad::apacheStatus_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("busy");
    QTest::addColumn<int>("idle");
    QTest::addColumn<int>("active");
    QTest::newRow("idle worker MPM") << "server-status-worker.txt" << 1 << 74 << 1;
    // Three clients holding keep-alive connections plus the status request itself.
    QTest::newRow("busy worker MPM") << "server-status-worker-busy.txt" << 4 << 96 << 4;
}

void TestRealServerLoad::apacheStatus()
{
    QFETCH(QString, file);
    QFETCH(int, busy);
    QFETCH(int, idle);
    QFETCH(int, active);
    const auto s = parseApacheStatus(drainFixture(file));
    QVERIFY2(s.hasValue(), s ? "" : s.error().message.c_str());
    QCOMPARE(int(s->busyWorkers), busy);
    QCOMPARE(int(s->idleWorkers), idle);
    QCOMPARE(int(activeWorkerSlots(*s)), active);
    QCOMPARE(s->mpm, std::string("worker"));
}

void TestRealServerLoad::apacheStatusRejectsHtml()
{
    const auto s = parseApacheStatus("<html><body>Apache Server Status</body></html>");
    QVERIFY(!s.hasValue());
    QVERIFY(QString::fromStdString(s.error().message).contains("not Apache's mod_status"));
}

QTEST_GUILESS_MAIN(TestRealServerLoad)
#include "tst_realserver_load.moc"
