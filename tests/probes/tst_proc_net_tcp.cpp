// /proc/net/tcp and /proc/net/tcp6 as captured in a network namespace with listeners on
// 198.18.0.100:80, 0.0.0.0:22, 127.0.0.1:3306, [::]:443 and [::1]:8080; three clients
// connected to 198.18.0.100:80 and a fourth that closed (its server end in CLOSE_WAIT),
// one client on 127.0.0.1:3306, two on [::1]:443. The client ends of the same
// connections are in the tables too, and must not count for the server's address.

#include "hadeck/probes/proc_net_tcp.h"

#include "fixture.h"

#include <tuple>

#include <cerrno>

#include <algorithm>

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QtTest>

using namespace hadeck;
using namespace hadeck::probes;

class TestProcNetTcp : public QObject {
    Q_OBJECT
private slots:
    void listeners_data();
    void listeners();
    void established_data();
    void established();
    void table();
    void rejects();
    void inetDiagMatchesProc_data();
    void inetDiagMatchesProc();
    void inetDiagRejects();
    void inetDiagOneWalk();
    void readsThisNamespace();
    void readsBothFamiliesAtOnce();
};

// A sock_diag dump and /proc/net/tcp{,6} taken at one moment in one namespace (a listener and
// one connection on 127.0.0.1:8080 and on [::1]:8081) give the same sockets.
void TestProcNetTcp::inetDiagMatchesProc_data()
{
    QTest::addColumn<QString>("dump");
    QTest::addColumn<QString>("proc");
    QTest::addColumn<int>("af");
    QTest::newRow("v4") << "host/inet_diag-tcp4.bin"
                        << "host/net_tcp-with-diag" << 4;
    QTest::newRow("v6") << "host/inet_diag-tcp6.bin"
                        << "host/net_tcp6-with-diag" << 6;
}

void TestProcNetTcp::inetDiagMatchesProc()
{
    QFETCH(QString, dump);
    QFETCH(QString, proc);
    QFETCH(int, af);
    bool done = false;
    auto fromDiag = parseInetDiagDump(fixture(dump), af, &done);
    QVERIFY2(fromDiag.hasValue(), fromDiag ? "" : fromDiag.error().message.c_str());
    QVERIFY(done);
    auto fromProc = parseProcNetTcp(fixture(proc), af);
    QVERIFY(fromProc.hasValue());
    const auto key = [](const TcpSocket& s) {
        return std::tuple(s.af, s.localAddress, s.localPort, s.remoteAddress, s.remotePort, s.state);
    };
    std::vector<std::tuple<int, std::string, std::uint16_t, std::string, std::uint16_t, int>> a;
    std::vector<std::tuple<int, std::string, std::uint16_t, std::string, std::uint16_t, int>> b;
    for (const auto& s : fromDiag->sockets) {
        a.push_back(key(s));
    }
    for (const auto& s : fromProc->sockets) {
        b.push_back(key(s));
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    QCOMPARE(a.size(), std::size_t(3));
    QVERIFY(a == b);
    QCOMPARE(tcpListeners(*fromDiag).size(), std::size_t(1));
    QCOMPARE(countEstablishedTo(*fromDiag, af == 4 ? "127.0.0.1" : "::1", af == 4 ? 8080 : 8081), 1u);
}

void TestProcNetTcp::inetDiagRejects()
{
    const std::string dump = fixture(QStringLiteral("host/inet_diag-tcp4.bin"));
    // Cut inside a message: an error, never a socket read from past the end.
    QVERIFY(!parseInetDiagDump(std::string_view(dump).substr(0, 40), 4).hasValue());
    // A reply without NLMSG_DONE yet: what it holds, and not done.
    bool done = true;
    const auto first = parseInetDiagDump(std::string_view(dump).substr(0, dump.size() - 20), 4, &done);
    QVERIFY(first.hasValue());
    QVERIFY(!done);
    // NLMSG_ERROR (EPERM) is an error carrying the errno.
    struct {
        nlmsghdr h;
        int error;
    } e{};
    e.h.nlmsg_len = sizeof e;
    e.h.nlmsg_type = NLMSG_ERROR;
    e.error = -EPERM;
    const auto r = parseInetDiagDump(std::string_view(reinterpret_cast<const char*>(&e), sizeof e), 4);
    QVERIFY(!r.hasValue());
    QCOMPARE(r.error().code, EPERM);
    QVERIFY(parseInetDiagDump("", 4).hasValue()); // nothing: no sockets
}

// The one-walk dump (TCPDIAG_GETSOCK, captured by tests/data/host/capture-inet-diag.py) holds both
// families in one reply, each message typed 18 rather than SOCK_DIAG_BY_FAMILY: af 0 keeps them
// all, the same sockets as /proc/net/tcp and tcp6 at that moment; af 4 or 6 keeps one family.
void TestProcNetTcp::inetDiagOneWalk()
{
    const auto key = [](const TcpSocket& s) {
        return std::tuple(s.af, s.localAddress, s.localPort, s.remoteAddress, s.remotePort, s.state);
    };
    using Key = std::tuple<int, std::string, std::uint16_t, std::string, std::uint16_t, int>;
    const auto keys = [&](const std::vector<TcpSocket>& sockets) {
        std::vector<Key> out;
        for (const auto& s : sockets) {
            out.push_back(key(s));
        }
        std::sort(out.begin(), out.end());
        return out;
    };
    const std::string dump = fixture(QStringLiteral("host/inet_diag-tcp-both.bin"));
    bool done = false;
    const auto all = parseInetDiagDump(dump, 0, &done);
    QVERIFY2(all.hasValue(), all ? "" : all.error().message.c_str());
    QVERIFY(done);
    const auto v4 = parseProcNetTcp(fixture(QStringLiteral("host/net_tcp-with-diag-both")), 4);
    const auto v6 = parseProcNetTcp(fixture(QStringLiteral("host/net_tcp6-with-diag-both")), 6);
    QVERIFY(v4.hasValue() && v6.hasValue());
    auto both = v4->sockets;
    both.insert(both.end(), v6->sockets.begin(), v6->sockets.end());
    QCOMPARE(all->sockets.size(), std::size_t(6));
    QVERIFY(keys(all->sockets) == keys(both));
    QCOMPARE(countEstablishedTo(*all, "127.0.0.1", 8080), 1u);
    QCOMPARE(countEstablishedTo(*all, "::1", 8081), 1u);
    const auto only6 = parseInetDiagDump(dump, 6);
    QVERIFY(only6.hasValue());
    QVERIFY(keys(only6->sockets) == keys(v6->sockets));
}

// The live reader answers in this test's own namespace: whatever it lists, it lists once.
void TestProcNetTcp::readsThisNamespace()
{
    const auto t = readTcpTable(4);
    QVERIFY2(t.hasValue(), t ? "" : t.error().message.c_str());
    for (const auto& s : t->sockets) {
        QCOMPARE(s.af, 4);
        QVERIFY(!s.localAddress.empty());
    }
}

// Both families from the one-walk reader: a listener of this test's own on 127.0.0.1 and on ::1,
// each listed once with its family.
void TestProcNetTcp::readsBothFamiliesAtOnce()
{
    const auto listen = [](int family) -> std::pair<int, std::uint16_t> {
        const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_storage a{};
        socklen_t len = 0;
        if (family == AF_INET) {
            auto* in = reinterpret_cast<sockaddr_in*>(&a);
            in->sin_family = AF_INET;
            in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            len = sizeof *in;
        } else {
            auto* in6 = reinterpret_cast<sockaddr_in6*>(&a);
            in6->sin6_family = AF_INET6;
            in6->sin6_addr = in6addr_loopback;
            len = sizeof *in6;
        }
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd, 1) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
            if (fd >= 0) {
                ::close(fd);
            }
            return {-1, 0};
        }
        const auto port = family == AF_INET ? reinterpret_cast<sockaddr_in*>(&a)->sin_port
                                            : reinterpret_cast<sockaddr_in6*>(&a)->sin6_port;
        return {fd, ntohs(port)};
    };
    const auto [fd4, port4] = listen(AF_INET);
    QVERIFY(fd4 >= 0);
    const auto [fd6, port6] = listen(AF_INET6);
    if (fd6 < 0) {
        ::close(fd4);
        QSKIP("no IPv6 loopback in this namespace");
    }
    const auto t = readTcpSockets();
    ::close(fd4);
    ::close(fd6);
    QVERIFY2(t.hasValue(), t ? "" : t.error().message.c_str());
    int seen4 = 0;
    int seen6 = 0;
    for (const auto& l : tcpListeners(*t)) {
        seen4 += l.af == 4 && l.localPort == port4 && l.localAddress == "127.0.0.1" ? 1 : 0;
        seen6 += l.af == 6 && l.localPort == port6 && l.localAddress == "::1" ? 1 : 0;
    }
    QCOMPARE(seen4, 1);
    QCOMPARE(seen6, 1);
}

void TestProcNetTcp::listeners_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("af");
    QTest::addColumn<QString>("expected"); // "address:port" sorted, space-separated
    QTest::newRow("tcp") << "probes/proc_net_tcp.txt" << 4 << "0.0.0.0:22 127.0.0.1:3306 198.18.0.100:80";
    QTest::newRow("tcp6") << "probes/proc_net_tcp6.txt" << 6 << "::1:8080 :::443"; // sorted as text
}

void TestProcNetTcp::listeners()
{
    QFETCH(QString, file);
    QFETCH(int, af);
    QFETCH(QString, expected);
    const auto t = parseProcNetTcp(fixture(file), af);
    QVERIFY2(t, t ? "" : t.error().message.c_str());
    QVERIFY(t->malformedLines.empty());
    QStringList got;
    for (const auto& l : tcpListeners(*t)) {
        QCOMPARE(l.af, af);
        got << q(l.localAddress) + QLatin1Char(':') + QString::number(l.localPort);
    }
    got.sort();
    QCOMPARE(got.join(QLatin1Char(' ')), expected);
}

void TestProcNetTcp::established_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("af");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("count");
    QTest::newRow("VIP:80, CLOSE_WAIT not counted") << "probes/proc_net_tcp.txt" << 4 << "198.18.0.100" << 80 << 3;
    QTest::newRow("loopback 3306") << "probes/proc_net_tcp.txt" << 4 << "127.0.0.1" << 3306 << 1;
    QTest::newRow("listener only") << "probes/proc_net_tcp.txt" << 4 << "0.0.0.0" << 22 << 0;
    QTest::newRow("other port") << "probes/proc_net_tcp.txt" << 4 << "198.18.0.100" << 443 << 0;
    QTest::newRow("v6 server side") << "probes/proc_net_tcp6.txt" << 6 << "::1" << 443 << 2;
    QTest::newRow("v6 long form") << "probes/proc_net_tcp6.txt" << 6 << "0:0:0:0:0:0:0:1" << 443 << 2;
    QTest::newRow("v6 wildcard") << "probes/proc_net_tcp6.txt" << 6 << "::" << 443 << 0;
    QTest::newRow("not an address") << "probes/proc_net_tcp.txt" << 4 << "web1" << 80 << 0;
    // The drain's own fixtures (three keep-alive clients on 127.0.0.1:8089, two on [::1]:8089).
    QTest::newRow("drain v4") << "drain/proc-net-tcp-3-established.txt" << 4 << "127.0.0.1" << 8089 << 3;
    QTest::newRow("drain v6") << "drain/proc-net-tcp6-2-established.txt" << 6 << "::1" << 8089 << 2;
    // Apache with its default `Listen 80` on a host with IPv6: one dual-stack socket, and its
    // connections to an IPv4 VIP in /proc/net/tcp6 as ::ffff:198.18.0.100.
    QTest::newRow("v4 VIP on a dual-stack socket") << "drain/proc-net-tcp6-apache-dualstack-6-established.txt" << 6
                                                   << "198.18.0.100" << 80 << 6;
    QTest::newRow("v4 VIP, client ends only") << "drain/proc-net-tcp-apache-dualstack-clients.txt" << 4
                                              << "198.18.0.100" << 80 << 0;
}

void TestProcNetTcp::established()
{
    QFETCH(QString, file);
    QFETCH(int, af);
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(int, count);
    const auto t = parseProcNetTcp(fixture(file), af);
    QVERIFY(t);
    QCOMPARE(int(countEstablishedTo(*t, address.toStdString(), static_cast<std::uint16_t>(port))), count);
}

void TestProcNetTcp::table()
{
    const auto t = parseProcNetTcp(fixture(QStringLiteral("probes/proc_net_tcp.txt")), 4);
    QVERIFY(t);
    QCOMPARE(int(t->sockets.size()), 13);
    int closeWait = 0;
    for (const auto& s : t->sockets) {
        if (s.state == static_cast<int>(TcpState::CloseWait)) {
            ++closeWait;
            QCOMPARE(q(s.localAddress), QStringLiteral("198.18.0.100"));
            QCOMPARE(int(s.localPort), 80);
            QCOMPARE(q(s.remoteAddress), QStringLiteral("198.18.0.100"));
            QVERIFY(s.remotePort != 0);
        }
    }
    QCOMPARE(closeWait, 1);
}

void TestProcNetTcp::rejects()
{
    QVERIFY(!parseProcNetTcp("", 4));
    QVERIFY(!parseProcNetTcp("hello\nworld\n", 4));
    // Bad lines are reported with their number, not fatal.
    const auto t = parseProcNetTcp("  sl  local_address\n   0: 0100007F\n   1: 0100:0050 00000000:0000 0A\n"
                                   "   2: 0100007F:0050 00000000:0000 0A\n",
                                   4);
    QVERIFY(t);
    QCOMPARE(t->malformedLines, (std::vector<int>{2, 3}));
    QCOMPARE(int(tcpListeners(*t).size()), 1);
    // An IPv4 table read as IPv6: every line is malformed.
    const auto wrong = parseProcNetTcp(fixture(QStringLiteral("probes/proc_net_tcp.txt")), 6);
    QVERIFY(wrong);
    QVERIFY(wrong->sockets.empty());
    QCOMPARE(int(wrong->malformedLines.size()), 13);
}

QTEST_GUILESS_MAIN(TestProcNetTcp)
#include "tst_proc_net_tcp.moc"
