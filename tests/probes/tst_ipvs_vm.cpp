// IPVS on the real kernel (label vm): the agent's netlink listing of a table
// built with ipvsadm (TCP, UDP, SCTP, IPv6, fwmark; 200 real servers) equals what
// `ipvsadm -Ln --stats --exact` and friends print, and a weight set through the
// agent shows in ipvsadm. Runs in a network namespace of its own inside the VM.

#include "processutil.h"
#include "hadeck/probes/ipvs_backend.h"
#include "hadeck/probes/ipvs_text.h"

#include "fixture.h"
#include "vm_main.h"

#include <QProcess>
#include <QtTest>

#include <map>

using namespace hadeck;
using namespace hadeck::probes;
using proto::VirtualService;

namespace {

QString run(const QStringList& args, const QByteArray& input = {})
{
    const auto r = hadeck::test::runProgram(QStringLiteral("ipvsadm"), args, {.timeoutMs = 60000, .input = input});
    if (!r.ok()) {
        qWarning("ipvsadm %s: %s", qPrintable(args.join(' ')), r.err.constData());
    }
    return QString::fromUtf8(r.out);
}

/// The table the test builds: 8 services, 200 real servers.
QByteArray tableRules()
{
    QStringList r;
    const auto add = [&](const QString& svc, const QString& opts, int n, const std::function<QString(int)>& rs,
                         const QString& fwd) {
        r << QStringLiteral("-A %1 %2").arg(svc, opts);
        for (int i = 1; i <= n; ++i) {
            QString extra;
            if (i % 7 == 0) {
                extra = QStringLiteral(" -x %1 -y %2").arg(i * 100).arg(i * 10);
            }
            r << QStringLiteral("-a %1 -r %2 %3 -w %4%5").arg(svc, rs(i), fwd).arg(i % 5 == 0 ? 0 : i * 3).arg(extra);
        }
    };
    add(QStringLiteral("-t 198.18.50.1:80"), QStringLiteral("-s wlc"), 40,
        [](int i) { return QStringLiteral("198.18.60.%1:80").arg(i); }, QStringLiteral("-g"));
    add(QStringLiteral("-t 198.18.50.2:443"), QStringLiteral("-s rr -p 300"), 30,
        [](int i) { return QStringLiteral("198.18.62.%1:8443").arg(i); }, QStringLiteral("-m"));
    add(QStringLiteral("-u 198.18.50.3:53"), QStringLiteral("-s sh"), 20,
        [](int i) { return QStringLiteral("198.18.63.%1:53").arg(i); }, QStringLiteral("-m"));
    add(QStringLiteral("--sctp-service 198.18.50.4:3868"), QStringLiteral("-s lc"), 10,
        [](int i) { return QStringLiteral("198.18.64.%1:3868").arg(i); }, QStringLiteral("-i"));
    add(QStringLiteral("-u 198.18.50.5:5353"), QStringLiteral("-s rr -o"), 10,
        [](int i) { return QStringLiteral("198.18.65.%1:5353").arg(i); }, QStringLiteral("-m"));
    add(QStringLiteral("-t [2001:db8:50::1]:80"), QStringLiteral("-s wrr"), 30,
        [](int i) { return QStringLiteral("[2001:db8:60::%1]:80").arg(i); }, QStringLiteral("-g"));
    add(QStringLiteral("-f 7"), QStringLiteral("-s wrr -p 60 -M 255.255.255.0"), 30,
        [](int i) { return QStringLiteral("198.18.61.%1:0").arg(i); }, QStringLiteral("-g"));
    add(QStringLiteral("-f 9 -6"), QStringLiteral("-s rr -p 120 -M 64"), 20,
        [](int i) { return QStringLiteral("[2001:db8:61::%1]:0").arg(i); }, QStringLiteral("-g"));
    add(QStringLiteral("-t 198.18.50.7:8000"), QStringLiteral("-s wlc"), 10,
        [](int i) { return QStringLiteral("198.18.66.%1:8000").arg(i); }, QStringLiteral("-g"));
    return r.join(QLatin1Char('\n')).toUtf8() + '\n';
}

/// ipvsadm's view merged from its column sets, keyed like the agent's.
std::map<std::string, VirtualService> ipvsadmView()
{
    const auto plain = parseIpvsadmList(run({QStringLiteral("-Ln")}).toStdString());
    const auto stats = parseIpvsadmList(run({QStringLiteral("-Ln"), QStringLiteral("--stats"), QStringLiteral("--exact")}).toStdString());
    const auto thr = parseIpvsadmList(run({QStringLiteral("-Ln"), QStringLiteral("--thresholds")}).toStdString());
    const auto pc = parseIpvsadmList(run({QStringLiteral("-Ln"), QStringLiteral("--persistent-conn")}).toStdString());
    if (!plain || !stats || !thr || !pc) {
        qFatal("cannot parse ipvsadm's output");
    }
    std::map<std::string, VirtualService> out;
    for (const auto& s : *plain) {
        out[s.key()] = s;
    }
    const auto merge = [&](const std::vector<VirtualService>& v, auto&& fn) {
        for (const auto& s : v) {
            auto& m = out.at(s.key());
            for (const auto& rs : s.realServers) {
                for (auto& target : m.realServers) {
                    if (target.endpoint() == rs.endpoint()) {
                        fn(target, rs);
                    }
                }
            }
            fn.svc(m, s);
        }
    };
    struct StatsFn {
        void operator()(proto::RealServer& t, const proto::RealServer& s) const { t.stats = s.stats; }
        void svc(VirtualService& t, const VirtualService& s) const { t.stats = s.stats; }
    };
    struct ThrFn {
        void operator()(proto::RealServer& t, const proto::RealServer& s) const
        {
            t.upperThreshold = s.upperThreshold;
            t.lowerThreshold = s.lowerThreshold;
        }
        void svc(VirtualService&, const VirtualService&) const {}
    };
    struct PcFn {
        void operator()(proto::RealServer& t, const proto::RealServer& s) const { t.persistentConns = s.persistentConns; }
        void svc(VirtualService&, const VirtualService&) const {}
    };
    merge(*stats, StatsFn{});
    merge(*thr, ThrFn{});
    merge(*pc, PcFn{});
    return out;
}

VirtualService serviceRef(const std::string& key, const std::vector<VirtualService>& list)
{
    for (const auto& s : list) {
        if (s.key() == key) {
            return s;
        }
    }
    qFatal("no service %s", key.c_str());
}

} // namespace

class TestIpvsVm : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void listingEqualsIpvsadm();
    void procBackendAgrees();
    void setWeightShowsInIpvsadm_data();
    void setWeightShowsInIpvsadm();
    void setWeightErrors();
    void seesChangesByOthers();
    void cleanupTestCase();

private:
    std::unique_ptr<IpvsBackend> m_nl;
};

void TestIpvsVm::initTestCase()
{
    auto nl = makeNetlinkIpvsBackend();
    QVERIFY2(nl.hasValue(), nl.hasValue() ? "" : nl.error().message.c_str());
    m_nl = std::move(*nl);
    QCOMPARE(q(m_nl->name()), QStringLiteral("netlink"));
    // The kernel refuses a dest whose IPv4 address is not unicast by the routing table,
    // and this fresh namespace has no routes at all.
    QCOMPARE(QProcess::execute(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("set"), QStringLiteral("lo"), QStringLiteral("up")}), 0);
    QCOMPARE(QProcess::execute(QStringLiteral("ip"), {QStringLiteral("route"), QStringLiteral("add"), QStringLiteral("198.18.0.0/15"), QStringLiteral("dev"), QStringLiteral("lo")}), 0);
    run({QStringLiteral("-C")});
    run({QStringLiteral("-R")}, tableRules());
}

void TestIpvsVm::listingEqualsIpvsadm()
{
    const auto agent = m_nl->list();
    QVERIFY2(agent.hasValue(), agent.hasValue() ? "" : agent.error().message.c_str());
    const auto adm = ipvsadmView();
    QCOMPARE(agent->size(), std::size_t{9});
    QCOMPARE(agent->size(), adm.size());
    std::size_t dests = 0;
    for (const auto& s : *agent) {
        const auto it = adm.find(s.key());
        QVERIFY2(it != adm.end(), s.key().c_str());
        const auto& a = it->second;
        QCOMPARE(q(s.scheduler), q(a.scheduler));
        QCOMPARE(s.persistent, a.persistent);
        QCOMPARE(s.timeout, a.timeout);
        QCOMPARE(q(s.netmask), q(a.netmask));
        QCOMPARE(s.flags & (kSvcPersistent | kSvcOnePacket), a.flags);
        QCOMPARE(s.af, a.af);
        QVERIFY(s.stats == a.stats);
        QCOMPARE(s.realServers.size(), a.realServers.size());
        for (const auto& rs : s.realServers) {
            const auto r = std::find_if(a.realServers.begin(), a.realServers.end(),
                                        [&](const proto::RealServer& x) { return x.endpoint() == rs.endpoint(); });
            QVERIFY2(r != a.realServers.end(), rs.endpoint().c_str());
            QVERIFY2(rs == *r, (s.key() + " " + rs.endpoint()).c_str());
            ++dests;
        }
    }
    QCOMPARE(dests, std::size_t{200});
}

void TestIpvsVm::procBackendAgrees()
{
    const auto nl = m_nl->list();
    const auto proc = makeProcIpvsBackend()->list();
    QVERIFY(nl.hasValue());
    QVERIFY2(proc.hasValue(), proc.hasValue() ? "" : proc.error().message.c_str());
    QStringList procKeys;
    for (const auto& p : *proc) {
        procKeys << q(p.key());
    }
    // Observed on Debian's 6.1.0-56 kernel: when /proc/net/ip_vs spans several read() pages,
    // a service at a page boundary can be left out (the seq_file restarts by position).
    // The fallback is therefore best effort for big tables; what it does list must agree.
    if (proc->size() != nl->size()) {
        qWarning("/proc/net/ip_vs listed %zu of %zu services: %s", proc->size(), nl->size(),
                 qPrintable(procKeys.join(QLatin1Char(','))));
    }
    QVERIFY(proc->size() + 2 >= nl->size());
    for (const auto& p : *proc) {
        const auto n = serviceRef(p.key(), *nl);
        QCOMPARE(q(p.scheduler), q(n.scheduler));
        QCOMPARE(p.timeout, n.timeout); // jiffies / HZ(250) from /proc, seconds from netlink
        QCOMPARE(q(p.netmask), q(n.netmask));
        QCOMPARE(p.realServers.size(), n.realServers.size());
        for (const auto& rs : p.realServers) {
            const auto r = std::find_if(n.realServers.begin(), n.realServers.end(),
                                        [&](const proto::RealServer& x) { return x.endpoint() == rs.endpoint(); });
            QVERIFY(r != n.realServers.end());
            QCOMPARE(rs.weight, r->weight);
            QVERIFY(rs.forward == r->forward);
        }
    }
}

void TestIpvsVm::setWeightShowsInIpvsadm_data()
{
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<uint>("weight");
    QTest::newRow("v4 above 65535 (u32)") << "TCP 198.18.50.1:80" << "198.18.60.7" << 80 << 100000u;
    QTest::newRow("v4 drain") << "TCP 198.18.50.1:80" << "198.18.60.14" << 80 << 0u;
    QTest::newRow("masq, persistent") << "TCP 198.18.50.2:443" << "198.18.62.3" << 8443 << 42u;
    QTest::newRow("tunnel") << "SCTP 198.18.50.4:3868" << "198.18.64.7" << 3868 << 9u;
    QTest::newRow("v6") << "TCP [2001:db8:50::1]:80" << "2001:db8:60::21" << 80 << 0u;
    QTest::newRow("fwmark") << "FWM 7" << "198.18.61.28" << 0 << 5u;
    QTest::newRow("fwmark v6") << "FWM6 9" << "2001:db8:61::14" << 0 << 77u;
}

void TestIpvsVm::setWeightShowsInIpvsadm()
{
    QFETCH(QString, service);
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(uint, weight);
    const auto before = m_nl->list();
    QVERIFY(before.hasValue());
    const auto svc = serviceRef(service.toStdString(), *before);
    const auto st = m_nl->setWeight(svc, address.toStdString(), static_cast<std::uint16_t>(port), weight);
    QVERIFY2(st.hasValue(), st.hasValue() ? "" : st.error().message.c_str());
    const auto adm = ipvsadmView();
    const auto& a = adm.at(service.toStdString());
    const auto& b = serviceRef(service.toStdString(), *before);
    for (const auto& rs : a.realServers) {
        const auto old = std::find_if(b.realServers.begin(), b.realServers.end(),
                                      [&](const proto::RealServer& x) { return x.endpoint() == rs.endpoint(); });
        QVERIFY(old != b.realServers.end());
        if (q(rs.address) == address && rs.port == port) {
            QCOMPARE(rs.weight, weight);
            // Everything else SET_DEST carries is unchanged.
            QVERIFY(rs.forward == old->forward);
            QCOMPARE(rs.upperThreshold, old->upperThreshold);
            QCOMPARE(rs.lowerThreshold, old->lowerThreshold);
        } else {
            QCOMPARE(rs.weight, old->weight);
        }
    }
}

void TestIpvsVm::setWeightErrors()
{
    const auto list = m_nl->list();
    QVERIFY(list.hasValue());
    const auto svc = serviceRef("TCP 198.18.50.1:80", *list);
    const auto noDest = m_nl->setWeight(svc, "198.18.99.99", 80, 1);
    QVERIFY(!noDest.hasValue());
    QCOMPARE(noDest.error().code, int(IpvsNoDest));
    QVERIFY(q(noDest.error().message).contains(QStringLiteral("not in this virtual service")));
    auto ghost = svc;
    ghost.address = "198.18.99.1";
    const auto noSvc = m_nl->setWeight(ghost, "198.18.60.1", 80, 1);
    QVERIFY(!noSvc.hasValue());
    QVERIFY(noSvc.error().code == IpvsNoDest || noSvc.error().code == IpvsNoService);
    const auto ro = makeProcIpvsBackend()->setWeight(svc, "198.18.60.1", 80, 1);
    QVERIFY(!ro.hasValue());
    QCOMPARE(ro.error().code, int(IpvsReadOnly));
}

void TestIpvsVm::seesChangesByOthers()
{
    run({QStringLiteral("-e"), QStringLiteral("-t"), QStringLiteral("198.18.50.7:8000"), QStringLiteral("-r"),
         QStringLiteral("198.18.66.3:8000"), QStringLiteral("-g"), QStringLiteral("-w"), QStringLiteral("1234")});
    run({QStringLiteral("-d"), QStringLiteral("-t"), QStringLiteral("198.18.50.7:8000"), QStringLiteral("-r"),
         QStringLiteral("198.18.66.4:8000")});
    const auto list = m_nl->list();
    QVERIFY(list.hasValue());
    const auto s = serviceRef("TCP 198.18.50.7:8000", *list);
    QCOMPARE(s.realServers.size(), std::size_t{9});
    const auto r = std::find_if(s.realServers.begin(), s.realServers.end(),
                                [](const proto::RealServer& x) { return x.address == "198.18.66.3"; });
    QVERIFY(r != s.realServers.end());
    QCOMPARE(r->weight, 1234u);
}

void TestIpvsVm::cleanupTestCase() { run({QStringLiteral("-C")}); }

HADECK_VM_TEST_MAIN(TestIpvsVm)
#include "tst_ipvs_vm.moc"
