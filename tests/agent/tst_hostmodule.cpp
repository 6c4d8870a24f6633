// The host module's /proc parsers, on files captured from a real kernel.

#include "../../agent/daemon/host_module.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::agent;

class TestHostModule : public QObject {
    Q_OBJECT
private slots:
    void capturedFiles();
    void malformed_data();
    void malformed();
};

namespace {
std::string fixture(const char* name)
{
    QFile f(QStringLiteral(HADECK_TEST_DATA "/agent/") + QLatin1String(name));
    f.open(QIODevice::ReadOnly);
    return f.readAll().toStdString();
}
} // namespace

void TestHostModule::capturedFiles()
{
    HostSample s;
    QVERIFY(parseLoadavg(fixture("proc_loadavg.txt"), s));
    QVERIFY(parseMeminfo(fixture("proc_meminfo.txt"), s));
    QVERIFY(parseUptime(fixture("proc_uptime.txt"), s));
    QVERIFY(s.load1 >= 0 && s.load15 >= 0);
    QVERIFY(s.tasks > 0 && s.runnable >= 1);
    QVERIFY(s.memTotalKiB > 0);
    QVERIFY(s.memAvailableKiB <= s.memTotalKiB);
    QVERIFY(s.uptimeSeconds > 0);
    const auto j = toJson(s);
    QCOMPARE(j["load"].size(), std::size_t(3));
    QCOMPARE(j["memTotalKiB"].get<std::uint64_t>(), s.memTotalKiB);
}

void TestHostModule::malformed_data()
{
    QTest::addColumn<int>("file");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("loadavg empty") << 0 << QByteArray();
    QTest::newRow("loadavg no slash") << 0 << QByteArray("0.1 0.2 0.3 5 100\n");
    QTest::newRow("loadavg words") << 0 << QByteArray("high higher highest 1/2 3\n");
    QTest::newRow("meminfo without MemAvailable") << 1 << QByteArray("MemTotal: 100 kB\nMemFree: 5 kB\n");
    QTest::newRow("uptime garbage") << 2 << QByteArray("up\n");
}

void TestHostModule::malformed()
{
    QFETCH(int, file);
    QFETCH(QByteArray, text);
    HostSample s;
    const std::string t = text.toStdString();
    const Status r = file == 0 ? parseLoadavg(t, s) : file == 1 ? parseMeminfo(t, s) : parseUptime(t, s);
    QVERIFY(!r);
    QVERIFY(!r.error().message.empty());
}

QTEST_GUILESS_MAIN(TestHostModule)
#include "tst_hostmodule.moc"
