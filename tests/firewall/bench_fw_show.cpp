// Benchmark (issue 13): firewall.show of a ruleset of 10,000 rules and a set of
// 100,000 elements, in a private network namespace (root), through the real agent.
// Prints the time of show (JSON + text listings, parse, hash) and the agent's RSS.

#include "agenttestutil.h"

#include "hadeck/protocol/firewall.h"
#include "hadeck/protocol/methods.h"

#include <QtTest>

#include <chrono>

#include <sched.h>
#include <unistd.h>

using namespace hadeck;
using namespace hadeck::test;

class BenchFwShow : public QObject {
    Q_OBJECT
private slots:
    void showLargeRuleset();
};

void BenchFwShow::showLargeRuleset()
{
    if (::geteuid() != 0) {
        QSKIP("needs root: a private network namespace and nftables");
    }
    QVERIFY(::unshare(CLONE_NEWNET) == 0);
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("big.nft")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    QByteArray text = "flush ruleset\ntable inet bench {\n  set blocked {\n    type ipv4_addr\n    elements = { ";
    for (int i = 0; i < 100000; ++i) {
        text += QByteArray::number(198) + '.' + QByteArray::number(18 + (i >> 16)) + '.' + QByteArray::number((i >> 8) & 255) +
                '.' + QByteArray::number(i & 255) + (i + 1 < 100000 ? ", " : "");
    }
    text += " }\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr @blocked drop\n";
    for (int i = 0; i < 9999; ++i) {
        text += "    tcp dport " + QByteArray::number(1024 + i) + " ip saddr 198.19." + QByteArray::number(i >> 8) + '.' +
                QByteArray::number(i & 255) + " counter accept comment \"r" + QByteArray::number(i) + "\"\n";
    }
    text += "  }\n}\n";
    f.write(text);
    f.close();
    QProcess nft;
    nft.start(QStringLiteral("nft"), {QStringLiteral("-f"), f.fileName()});
    QVERIFY(nft.waitForFinished(300000));
    QVERIFY2(nft.exitCode() == 0, nft.readAllStandardError().constData());

    AgentProcess agent;
    agent.writeConfig();
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    const long rssBefore = agent.rssKiB();
    auto c = LineClient::connectTo(agent.socketPath());
    double best = 1e9;
    for (int i = 0; i < 3; ++i) {
        const auto start = std::chrono::steady_clock::now();
        auto r = c.call(std::string(proto::methods::FirewallShow.name), rpc::Json::object(), 300000);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY(r && r->contains("result"));
        const auto rs = (*r)["result"].get<proto::fw::Ruleset>();
        QCOMPARE(rs.rules.size(), std::size_t(10000));
        QCOMPARE(rs.sets.front().elements.size(), std::size_t(100000));
        QCOMPARE(rs.hash.size(), std::size_t(64));
        best = std::min(best, s);
        qInfo("firewall.show of 10000 rules + 100000 set elements: %.2f s (answer %zu bytes)", s, r->dump().size());
    }
    qInfo("best %.2f s; agent RSS %ld KiB before, %ld KiB after", best, rssBefore, agent.rssKiB());
}

QTEST_GUILESS_MAIN(BenchFwShow)
#include "bench_fw_show.moc"
