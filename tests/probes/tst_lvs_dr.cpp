// The LVS-DR conformance check over snapshots, /proc/net/tcp{,6} listeners from
// fixtures, and the snapshot reader on this host.

#include "hadeck/probes/lvs_dr.h"

#include "fixture.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cerrno>
#include <cstring>

using namespace hadeck;
using namespace hadeck::probes;
using Severity = DrFinding::Severity;

namespace {

/// A real server that passes: the state `lvs_real start` leaves behind.
DrSnapshot goodSnapshot()
{
    DrSnapshot s;
    s.addresses = {{"lo", 4, "127.0.0.1", 8, ""}, {"lo", 4, "198.18.0.100", 32, "lo:0"},
                   {"eth0", 4, "198.18.1.11", 24, ""}};
    s.upInterfaces = {"lo", "eth0"};
    for (const char* i : {"all", "default", "lo", "eth0"}) {
        s.ipv4Conf[i] = {{"arp_ignore", 0}, {"arp_announce", 0}, {"rp_filter", 0}};
    }
    s.ipv4Conf["all"]["arp_ignore"] = 1;
    s.ipv4Conf["all"]["arp_announce"] = 2;
    s.ipv4Conf["lo"]["arp_ignore"] = 1;
    s.ipv4Conf["lo"]["arp_announce"] = 2;
    s.ipv4Conf["eth0"]["rp_filter"] = 1;
    s.listeners = {{4, "0.0.0.0", 80}, {4, "127.0.0.1", 25}};
    return s;
}

void mutate(DrSnapshot& s, const QString& change)
{
    for (const auto& c : change.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        if (c == QLatin1String("vip-absent")) {
            s.addresses.erase(std::remove_if(s.addresses.begin(), s.addresses.end(),
                                             [](const DrAddress& a) { return a.address == "198.18.0.100"; }),
                              s.addresses.end());
        } else if (c.startsWith(QLatin1String("vip-prefix="))) {
            for (auto& a : s.addresses) {
                if (a.address == "198.18.0.100") {
                    a.prefixLength = c.mid(11).toInt();
                }
            }
        } else if (c == QLatin1String("vip-on-eth0")) {
            s.addresses.push_back({"eth0", 4, "198.18.0.100", 24, ""});
        } else if (c == QLatin1String("eth1")) {
            s.addresses.push_back({"eth1", 4, "198.18.2.11", 24, ""});
            s.upInterfaces.emplace_back("eth1");
            s.ipv4Conf["eth1"] = {{"arp_ignore", 0}, {"arp_announce", 0}, {"rp_filter", 1}};
        } else if (c == QLatin1String("no-listener")) {
            s.listeners = {{4, "127.0.0.1", 80}};
        } else if (c == QLatin1String("listen-vip")) {
            s.listeners = {{4, "198.18.0.100", 80}};
        } else if (c == QLatin1String("listen-v6-any")) {
            s.listeners = {{6, "::", 80}};
        } else { // iface.key=value
            const auto eq = c.indexOf(QLatin1Char('='));
            const auto dot = c.indexOf(QLatin1Char('.'));
            s.ipv4Conf[c.left(dot).toStdString()][c.mid(dot + 1, eq - dot - 1).toStdString()] = c.mid(eq + 1).toInt();
        }
    }
}

const DrFinding* findingFor(const std::vector<DrFinding>& f, const QString& check, const QString& subject)
{
    const auto it = std::find_if(f.begin(), f.end(), [&](const DrFinding& x) {
        return q(x.check) == check && q(x.subject) == subject;
    });
    return it == f.end() ? nullptr : &*it;
}

} // namespace

class TestLvsDr : public QObject {
    Q_OBJECT
private slots:
    void goodPasses();
    void broken_data();
    void broken();
    void badVip();
    void listeners_data();
    void listeners();
    void listenersBad();
    void readThisHost();
    void applyReportsFailedSysctlWrite();
    void directorExpireNodestConn_data();
    void directorExpireNodestConn();
    void directorReader();
};

void TestLvsDr::goodPasses()
{
    const auto f = checkLvsDr(goodSnapshot(), DrExpectation{{"198.18.0.100"}, {80}});
    QVERIFY(!f.empty());
    for (const auto& x : f) {
        QVERIFY2(x.ok(), qPrintable(q(x.check + " " + x.subject + ": " + x.message)));
    }
    // Each check ran: VIP on lo, prefix, elsewhere, listener, and the sysctls for lo and eth0.
    QCOMPARE(f.size(), std::size_t{4 + 3 * 2});
    const auto* ai = findingFor(f, QStringLiteral("arp_ignore"), QStringLiteral("eth0"));
    QVERIFY(ai);
    QCOMPARE(ai->effective.value_or(-1), 1);
    QCOMPARE(q(ai->winner), QStringLiteral("all"));
    QVERIFY(q(ai->message).contains(QStringLiteral("the kernel uses the larger, 1 (from all)")));
}

void TestLvsDr::broken_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("check");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<int>("severity");
    QTest::addColumn<int>("effective"); // -1: not a sysctl check
    QTest::addColumn<QString>("winner");
    QTest::addColumn<QString>("fixContains");
    QTest::newRow("vip missing") << "vip-absent" << "vip-on-lo" << "198.18.0.100" << int(Severity::Error) << -1 << ""
                                 << "ip addr add 198.18.0.100/32 dev lo";
    QTest::newRow("vip /24 on lo") << "vip-prefix=24" << "vip-prefix" << "198.18.0.100" << int(Severity::Error) << -1
                                   << "" << "ip addr del 198.18.0.100/24 dev lo";
    QTest::newRow("vip on eth0 too") << "vip-on-eth0" << "vip-elsewhere" << "198.18.0.100" << int(Severity::Error)
                                     << -1 << "" << "dev eth0";
    QTest::newRow("nobody listens") << "no-listener" << "listener" << "198.18.0.100:80" << int(Severity::Error)
                                    << -1 << "" << "Listen 80";
    QTest::newRow("arp_ignore 0 on all") << "all.arp_ignore=0" << "arp_ignore" << "eth0" << int(Severity::Error) << 0
                                         << "all" << "net.ipv4.conf.all.arp_ignore=1";
    QTest::newRow("arp_ignore: eth0 wins over all") << "all.arp_ignore=0;eth0.arp_ignore=1" << "arp_ignore" << "eth0"
                                                    << int(Severity::Ok) << 1 << "eth0" << "";
    QTest::newRow("arp_ignore: lo=0 loses to all=1") << "lo.arp_ignore=0" << "arp_ignore" << "lo"
                                                     << int(Severity::Ok) << 1 << "all" << "";
    QTest::newRow("arp_ignore 8 too strict") << "eth0.arp_ignore=8" << "arp_ignore" << "eth0"
                                             << int(Severity::Warning) << 8 << "eth0" << "arp_ignore=1";
    QTest::newRow("arp_announce 0 on all") << "all.arp_announce=0" << "arp_announce" << "eth0"
                                           << int(Severity::Error) << 0 << "all" << "arp_announce=2";
    QTest::newRow("arp_announce 1") << "all.arp_announce=1" << "arp_announce" << "eth0" << int(Severity::Warning)
                                    << 1 << "all" << "arp_announce=2";
    QTest::newRow("arp_announce on lo only a warning") << "all.arp_announce=0;lo.arp_announce=0" << "arp_announce"
                                                       << "lo" << int(Severity::Warning) << 0 << "all"
                                                       << "arp_announce=2";
    QTest::newRow("rp_filter strict, one interface") << "" << "rp_filter" << "eth0" << int(Severity::Info) << 1
                                                     << "eth0" << "";
    QTest::newRow("rp_filter strict, two interfaces") << "eth1" << "rp_filter" << "eth1" << int(Severity::Warning)
                                                      << 1 << "eth1" << "rp_filter=2";
    QTest::newRow("rp_filter loose from all") << "all.rp_filter=2" << "rp_filter" << "eth0" << int(Severity::Ok)
                                              << 2 << "all" << "";
    QTest::newRow("listening on the VIP") << "listen-vip" << "listener" << "198.18.0.100:80" << int(Severity::Ok)
                                          << -1 << "" << "";
    QTest::newRow("listening on [::]") << "listen-v6-any" << "listener" << "198.18.0.100:80" << int(Severity::Ok)
                                       << -1 << "" << "";
}

void TestLvsDr::broken()
{
    QFETCH(QString, change);
    QFETCH(QString, check);
    QFETCH(QString, subject);
    QFETCH(int, effective);
    QFETCH(QString, fixContains);
    auto s = goodSnapshot();
    mutate(s, change);
    const auto f = checkLvsDr(s, DrExpectation{{"198.18.0.100/32"}, {80}});
    const auto* x = findingFor(f, check, subject);
    QVERIFY(x);
    QTEST(int(x->severity), "severity");
    if (effective >= 0) {
        QCOMPARE(x->effective.value_or(-2), effective);
        QTEST(q(x->winner), "winner");
    }
    if (x->ok()) {
        QVERIFY(x->fix.empty());
    } else {
        QVERIFY2(q(x->fix).contains(fixContains), x->fix.c_str());
        QVERIFY(!x->breaks.empty());
    }
    // Nothing else broke.
    for (const auto& other : f) {
        if (&other != x && !other.ok()) {
            QVERIFY2(change.contains(QLatin1Char('=')) || change == QLatin1String("eth1"),
                     qPrintable(q(other.check + " " + other.subject)));
        }
    }
}

void TestLvsDr::badVip()
{
    const auto f = checkLvsDr(goodSnapshot(), DrExpectation{{"not-an-ip"}, {80}});
    const auto* x = findingFor(f, QStringLiteral("vip-on-lo"), QStringLiteral("not-an-ip"));
    QVERIFY(x);
    QCOMPARE(int(x->severity), int(Severity::Error));
}

void TestLvsDr::listeners_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("af");
    QTest::addColumn<QString>("expected");
    QTest::newRow("tcp") << "proc_net_tcp.txt" << 4 << "198.18.0.100:8080 0.0.0.0:80";
    QTest::newRow("tcp6") << "proc_net_tcp6.txt" << 6 << "2001:db8::100:8443 :::443";
}

void TestLvsDr::listeners()
{
    QFETCH(QString, file);
    QFETCH(int, af);
    const auto l = parseProcNetTcpListeners(fixture(QStringLiteral("realserver/") + file), af);
    QVERIFY2(l.hasValue(), l.hasValue() ? "" : l.error().message.c_str());
    QStringList got;
    for (const auto& x : *l) {
        got << q(x.address) + QLatin1Char(':') + QString::number(x.port);
    }
    QTEST(got.join(QLatin1Char(' ')), "expected");
}

void TestLvsDr::listenersBad()
{
    QVERIFY(!parseProcNetTcpListeners("", 4).hasValue());
    QVERIFY(!parseProcNetTcpListeners("  sl  local_address\n   0: 0100:0050 00000000:0000 0A\n", 4).hasValue());
    QVERIFY(!parseProcNetTcpListeners(fixture(QStringLiteral("realserver/proc_net_tcp.txt")), 6).hasValue());
}

void TestLvsDr::readThisHost()
{
    const auto s = readDrSnapshot();
    QVERIFY2(s.hasValue(), s.hasValue() ? "" : s.error().message.c_str());
    QVERIFY(std::any_of(s->addresses.begin(), s->addresses.end(),
                        [](const DrAddress& a) { return a.interface == "lo" && a.address == "127.0.0.1"; }));
    QVERIFY(s->ipv4Conf.count("all") == 1 && s->ipv4Conf.at("all").count("arp_ignore") == 1);
    QVERIFY(std::find(s->upInterfaces.begin(), s->upInterfaces.end(), "lo") != s->upInterfaces.end());
}

void TestLvsDr::applyReportsFailedSysctlWrite()
{
    // A /proc stand-in whose lo/arp_announce is /dev/full: every write to it fails with ENOSPC.
    // The settings before it are written, then the error names the file and the cause; the
    // VIP is never added (no `ip` runs), so this touches nothing of the host.
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString conf = root.path() + QStringLiteral("/sys/net/ipv4/conf");
    for (const char* iface : {"all", "lo"}) {
        QVERIFY(QDir().mkpath(conf + QLatin1Char('/') + QLatin1String(iface)));
    }
    for (const char* f : {"all/arp_ignore", "all/arp_announce", "lo/arp_ignore"}) {
        QFile file(conf + QLatin1Char('/') + QLatin1String(f));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("0\n");
    }
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), conf + QStringLiteral("/lo/arp_announce")));

    const auto st = applyDrSettings({"198.18.0.100"}, root.path().toStdString());
    QVERIFY(!st.hasValue());
    const QString message = QString::fromStdString(st.error().message);
    QVERIFY2(message.contains(conf + QStringLiteral("/lo/arp_announce")), qPrintable(message));
    QVERIFY2(message.contains(QString::fromUtf8(std::strerror(ENOSPC))), qPrintable(message));
    const auto value = [&](const char* f) {
        QFile file(conf + QLatin1Char('/') + QLatin1String(f));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("unreadable");
    };
    QCOMPARE(value("all/arp_ignore"), QByteArray("1\n"));
    QCOMPARE(value("all/arp_announce"), QByteArray("2\n"));
    QCOMPARE(value("lo/arp_ignore"), QByteArray("1\n"));

    // A setting that does not exist is an error, not a new file (a /proc/sys entry is never
    // created). lo/arp_announce stays /dev/full, so even a writer that created it stops there.
    QVERIFY(QFile::remove(conf + QStringLiteral("/lo/arp_ignore")));
    const auto missing = applyDrSettings({"198.18.0.100"}, root.path().toStdString());
    QVERIFY(!missing.hasValue());
    const QString missingMessage = QString::fromStdString(missing.error().message);
    QVERIFY2(missingMessage.contains(QString::fromUtf8(std::strerror(ENOENT))), qPrintable(missingMessage));
    QVERIFY(!QFile::exists(conf + QStringLiteral("/lo/arp_ignore")));
}

void TestLvsDr::directorExpireNodestConn_data()
{
    QTest::addColumn<bool>("hasIpvs");
    QTest::addColumn<bool>("drServices");
    QTest::addColumn<int>("value"); // -1: unreadable
    QTest::addColumn<int>("findings");
    QTest::addColumn<bool>("ok");
    QTest::newRow("0 with DR services: propose 1") << true << true << 0 << 1 << false;
    QTest::newRow("unreadable: propose 1") << true << true << -1 << 1 << false;
    QTest::newRow("1: fine") << true << true << 1 << 1 << true;
    QTest::newRow("no DR service: not checked") << true << false << 0 << 0 << true;
    QTest::newRow("no IPVS: not a director") << false << true << 0 << 0 << true;
}

void TestLvsDr::directorExpireNodestConn()
{
    QFETCH(bool, hasIpvs);
    QFETCH(bool, drServices);
    QFETCH(int, value);
    QFETCH(int, findings);
    QFETCH(bool, ok);
    DrDirectorSnapshot s;
    s.hasIpvs = hasIpvs;
    if (value >= 0) {
        s.ipvsSysctls["expire_nodest_conn"] = value;
    }
    const auto f = checkLvsDrDirector(s, drServices);
    QCOMPARE(int(f.size()), findings);
    if (!f.empty()) {
        QCOMPARE(f[0].check, std::string("expire_nodest_conn"));
        QCOMPARE(f[0].ok(), ok);
        if (!ok) {
            QVERIFY(f[0].fix.find("net.ipv4.vs.expire_nodest_conn=1") != std::string::npos);
            QVERIFY(!f[0].breaks.empty());
        }
    }
}

void TestLvsDr::directorReader()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString vs = root.path() + QStringLiteral("/sys/net/ipv4/vs");
    QVERIFY(QDir().mkpath(vs));
    QFile f(vs + QStringLiteral("/expire_nodest_conn"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("0\n");
    f.close();
    const auto s = readDrDirectorSnapshot(root.path().toStdString());
    QVERIFY(s.hasIpvs);
    QCOMPARE(s.ipvsSysctls.at("expire_nodest_conn"), 0);
    QVERIFY(!readDrDirectorSnapshot((root.path() + QStringLiteral("/none")).toStdString()).hasIpvs);
}

QTEST_GUILESS_MAIN(TestLvsDr)
#include "tst_lvs_dr.moc"
