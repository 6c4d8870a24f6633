// keepalived's DBus VrrpStatusChange signals mapped to the instance they concern and the
// state they carry. The signals are dbus-monitor's capture of keepalived 2.2.7 (enable_dbus,
// instance VI_X on hdxa0, VRID 88) going BACKUP -> MASTER -> FAULT -> BACKUP -> MASTER
// through its track_file.

#include "hadeck/probes/keepalived_dbus.h"

#include "fixture.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::probes;
using proto::VrrpInstance;
using proto::VrrpState;

namespace {

VrrpInstance instance(const std::string& name, const std::string& iface, int vrid, std::vector<std::string> vips)
{
    VrrpInstance v;
    v.name = name;
    v.interface = iface;
    v.vrid = vrid;
    v.vips = std::move(vips);
    return v;
}

/// What the agent knows from the dump: the captured instance among look-alikes.
std::vector<VrrpInstance> known()
{
    return {instance("OTHER_VRID", "hdxa0", 89, {"198.18.6.101/32"}),
            instance("OTHER_IF", "hdxb0", 88, {"198.18.6.102/32"}),
            instance("V6_SAME", "hdxa0", 88, {"fd00::100/128"}),
            instance("VI_X", "hdxa0", 88, {"198.18.6.100/24"}),
            instance("VLAN", "eth0.100", 51, {}),
            instance("EMPTY", "", 0, {})};
}

} // namespace

class TestKeepalivedDbus : public QObject {
    Q_OBJECT
private slots:
    void captured_data();
    void captured();
    void paths_data();
    void paths();
    void states_data();
    void states();
    void mapping_data();
    void mapping();
};

void TestKeepalivedDbus::captured_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<uint>("status");
    QTest::addColumn<QString>("state");
    // dbus-monitor prints the header line, then the argument on the next line.
    const QStringList lines = q(fixture(QStringLiteral("probes/dbus-monitor-vrrp.txt"))).split(QLatin1Char('\n'));
    const QStringList want{QStringLiteral("BACKUP"), QStringLiteral("MASTER"), QStringLiteral("FAULT"),
                           QStringLiteral("BACKUP"), QStringLiteral("MASTER")};
    int n = 0;
    for (int i = 0; i + 1 < lines.size(); ++i) {
        if (!lines[i].contains(QStringLiteral("member=VrrpStatusChange"))) {
            continue;
        }
        const auto path = QRegularExpression(QStringLiteral("path=([^;]+);")).match(lines[i]).captured(1);
        const auto arg = QRegularExpression(QStringLiteral("uint32 (\\d+)")).match(lines[i + 1]).captured(1);
        QVERIFY(!path.isEmpty() && !arg.isEmpty());
        QVERIFY(n < want.size());
        QTest::addRow("signal %d", n) << path << arg.toUInt() << want[n];
        ++n;
    }
    QCOMPARE(n, want.size());
}

void TestKeepalivedDbus::captured()
{
    QFETCH(QString, path);
    QFETCH(uint, status);
    QFETCH(QString, state);
    const auto p = parseVrrpDbusPath(path.toStdString());
    QVERIFY(p);
    const auto st = vrrpStateFromDbus(status);
    QVERIFY(st);
    QCOMPARE(q(proto::toString(*st)), state);
    const auto all = known();
    const auto i = findVrrpInstanceForPath(*p, all);
    QVERIFY(i);
    QCOMPARE(q(all[*i].name), QStringLiteral("VI_X"));
}

void TestKeepalivedDbus::paths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("iface");
    QTest::addColumn<int>("vrid");
    QTest::addColumn<int>("family");
    const QString root = QStringLiteral("/org/keepalived/Vrrp1/Instance/");
    QTest::newRow("ipv4") << root + "eth0/51/IPv4" << true << "eth0" << 51 << 4;
    QTest::newRow("ipv6") << root + "eth0/255/IPv6" << true << "eth0" << 255 << 6;
    QTest::newRow("escaped ifname") << root + "eth0_100/1/IPv4" << true << "eth0_100" << 1 << 4;
    QTest::newRow("vrid 0") << root + "eth0/0/IPv4" << false << "" << 0 << 0;
    QTest::newRow("vrid 256") << root + "eth0/256/IPv4" << false << "" << 0 << 0;
    QTest::newRow("vrid not a number") << root + "eth0/5x/IPv4" << false << "" << 0 << 0;
    QTest::newRow("no family") << root + "eth0/51" << false << "" << 0 << 0;
    QTest::newRow("bad family") << root + "eth0/51/IPv5" << false << "" << 0 << 0;
    QTest::newRow("too deep") << root + "eth0/51/IPv4/x" << false << "" << 0 << 0;
    QTest::newRow("no ifname") << root + "/51/IPv4" << false << "" << 0 << 0;
    QTest::newRow("vrrp object") << "/org/keepalived/Vrrp1/Vrrp" << false << "" << 0 << 0;
    QTest::newRow("other service") << "/org/freedesktop/DBus" << false << "" << 0 << 0;
    QTest::newRow("empty") << "" << false << "" << 0 << 0;
}

void TestKeepalivedDbus::paths()
{
    QFETCH(QString, path);
    QFETCH(bool, valid);
    const auto p = parseVrrpDbusPath(path.toStdString());
    QCOMPARE(p.has_value(), valid);
    if (valid) {
        QFETCH(QString, iface);
        QFETCH(int, vrid);
        QFETCH(int, family);
        QCOMPARE(q(p->interface), iface);
        QCOMPARE(p->vrid, vrid);
        QCOMPARE(p->family, family);
    }
}

void TestKeepalivedDbus::states_data()
{
    QTest::addColumn<uint>("status");
    QTest::addColumn<QString>("state"); // empty: not a state keepalived sends
    QTest::newRow("0") << 0u << "INIT";
    QTest::newRow("1") << 1u << "BACKUP";
    QTest::newRow("2") << 2u << "MASTER";
    QTest::newRow("3") << 3u << "FAULT";
    QTest::newRow("97") << 97u << "DELETED";
    QTest::newRow("98") << 98u << "STOP";
    QTest::newRow("4") << 4u << "";
    QTest::newRow("huge") << 0xffffffffu << "";
}

void TestKeepalivedDbus::states()
{
    QFETCH(uint, status);
    QFETCH(QString, state);
    const auto st = vrrpStateFromDbus(status);
    QCOMPARE(st.has_value(), !state.isEmpty());
    if (st) {
        QCOMPARE(q(proto::toString(*st)), state);
    }
}

void TestKeepalivedDbus::mapping_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("name"); // empty: no instance
    const QString root = QStringLiteral("/org/keepalived/Vrrp1/Instance/");
    QTest::newRow("v4 among look-alikes") << root + "hdxa0/88/IPv4" << "VI_X";
    QTest::newRow("v6 twin") << root + "hdxa0/88/IPv6" << "V6_SAME";
    QTest::newRow("other vrid") << root + "hdxa0/89/IPv4" << "OTHER_VRID";
    QTest::newRow("other interface") << root + "hdxb0/88/IPv4" << "OTHER_IF";
    QTest::newRow("dot in ifname, no vips: either family") << root + "eth0_100/51/IPv6" << "VLAN";
    QTest::newRow("unknown vrid") << root + "hdxa0/90/IPv4" << "";
    QTest::newRow("wrong family") << root + "hdxa0/89/IPv6" << "";
}

void TestKeepalivedDbus::mapping()
{
    QFETCH(QString, path);
    QFETCH(QString, name);
    const auto p = parseVrrpDbusPath(path.toStdString());
    QVERIFY(p);
    const auto all = known();
    const auto i = findVrrpInstanceForPath(*p, all);
    QCOMPARE(i.has_value(), !name.isEmpty());
    if (i) {
        QCOMPARE(q(all[*i].name), name);
    }
    QVERIFY(!findVrrpInstanceForPath(*p, {}));
}

QTEST_GUILESS_MAIN(TestKeepalivedDbus)
#include "tst_keepalived_dbus.moc"
