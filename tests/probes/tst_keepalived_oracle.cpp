// The oracle test: for every configuration in tests/data/keepalived/oracle, the
// typed view equals what keepalived 2.2.7 itself loaded from it, as it dumped it
// (`keepalived --dump-conf`, captured by tests/probes/oracle/capture-keepalived-oracle.sh),
// field by field; and wherever keepalived printed a diagnostic naming a line, ours
// names the same file and line. A second test re-runs `keepalived -t` on each file,
// when keepalived is installed, to show the captured messages are still its own.

#include "processutil.h"
#include "hadeck/probes/keepalived_config.h"

#include "fixture.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

#include <algorithm>
#include <map>
#include <set>

using namespace hadeck;
using namespace hadeck::probes;

namespace {

QString oracleDir() { return QDir(QStringLiteral(HADECK_TEST_DATA "/keepalived/oracle")).canonicalPath(); }

QStringList readLines(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(f.readAll()).replace(QStringLiteral("@ORACLE_DIR@"), oracleDir()).split(QLatin1Char('\n'));
}

/// What keepalived's dump says it loaded.
struct OInstance {
    QString wantState;
    int vrid = 0;
    int priority = 0;
    bool preempt = true;
    QStringList vips;
    QStringList excluded;
    QStringList trackScripts;
    QStringList trackFiles;
    QStringList unicastPeers;
    std::map<QString, QStringList> notify; // "notify_master" -> words
};

struct ORealServer {
    QString address;
    int port = 0;
    int weight = 0;
    bool inhibit = false;
    QStringList checks;
};

struct OVirtualServer {
    QString sched;
    QString protocol;
    QString kind;
    int persistence = 0; // 0: not persistent
    std::vector<ORealServer> realServers;
};

struct Oracle {
    bool vrrpLoaded = false;  // the VRRP process dumped its topology
    bool checkLoaded = false; // the checker process dumped its topology
    std::map<QString, OInstance> instances;
    std::map<QString, OVirtualServer> virtualServers; // "198.18.0.1:80", "fwmark 7", "group WEB"
    std::map<QString, QStringList> groups;            // name -> "a:p", "a-b:p", "fwmark n"
    // keepalived's own names in its messages ("Gained quorum ... for VS FWM 7", "Shutting down
    // service [198.18.21.11]:none:0 from VS FWM 7"): what its notify FIFO lines carry.
    std::set<QString> lvsServiceNames;
    std::set<QString> lvsRealServerNames;              // "RS-NAME VS-NAME"
    std::set<std::pair<QString, int>> diagnosticLines; // (file name, line)
    QStringList diagnostics;
};

QString normVip(QString a)
{
    if (!a.contains(QLatin1Char('/'))) {
        a += a.contains(QLatin1Char(':')) ? QStringLiteral("/128") : QStringLiteral("/32");
    }
    return a;
}

/// '/usr/bin/echo' 'notify-dir1', uid:gid 0:0 -> [/usr/bin/echo, notify-dir1]
QStringList quotedWords(const QString& s)
{
    QStringList out;
    static const QRegularExpression re(QStringLiteral("'([^']*)'"));
    auto it = re.globalMatch(s.left(s.lastIndexOf(QStringLiteral(", uid:gid"))));
    while (it.hasNext()) {
        out << it.next().captured(1);
    }
    return out;
}

void readDiagnostics(const QStringList& lines, Oracle& o)
{
    static const QRegularExpression re(QStringLiteral("^\\(([^:()]+): Line (\\d+)\\) (.*)$"));
    for (const auto& l : lines) {
        const auto m = re.match(l);
        if (m.hasMatch()) {
            const std::pair<QString, int> key{QFileInfo(m.captured(1)).fileName(), m.captured(2).toInt()};
            if (o.diagnosticLines.insert(key).second) {
                o.diagnostics << l;
            }
        }
    }
}

void readVrrp(const QStringList& lines, Oracle& o)
{
    OInstance* cur = nullptr;
    QStringList* list = nullptr;
    QString section;
    static const QRegularExpression kv(QStringLiteral("^ +([^=]+?) = (.*)$"));
    for (const auto& l : lines) {
        if (l.startsWith(QStringLiteral("------<"))) {
            section = l;
            cur = nullptr;
            list = nullptr;
            o.vrrpLoaded = o.vrrpLoaded || l.contains(QStringLiteral("VRRP Topology"));
            continue;
        }
        if (!section.contains(QStringLiteral("VRRP Topology")) || !l.startsWith(QLatin1Char(' '))) {
            continue; // other sections, and log lines interleaved with the dump
        }
        if (l.startsWith(QStringLiteral(" VRRP Instance = "))) {
            cur = &o.instances[l.mid(17).trimmed()];
            list = nullptr;
            continue;
        }
        if (cur == nullptr) {
            continue;
        }
        if (l.startsWith(QStringLiteral("     ")) && list != nullptr) {
            const QString first = l.trimmed().section(QLatin1Char(' '), 0, 0);
            const bool plain = list == &cur->trackScripts || list == &cur->trackFiles || list == &cur->unicastPeers;
            *list << (plain ? QString(first).remove(QLatin1Char(',')) : normVip(first));
            continue;
        }
        list = nullptr;
        const QString t = l.trimmed();
        if (t.startsWith(QStringLiteral("Virtual IP Excluded"))) {
            list = &cur->excluded;
        } else if (t.startsWith(QStringLiteral("Virtual IP ("))) {
            list = &cur->vips;
        } else if (t.startsWith(QStringLiteral("Tracked scripts"))) {
            list = &cur->trackScripts;
        } else if (t.startsWith(QStringLiteral("Tracked files"))) {
            list = &cur->trackFiles;
        } else if (t.startsWith(QStringLiteral("Unicast Peer"))) {
            list = &cur->unicastPeers;
        } else if (const auto m = kv.match(l); m.hasMatch()) {
            const QString k = m.captured(1).trimmed();
            const QString v = m.captured(2).trimmed();
            if (k == QStringLiteral("Wantstate")) {
                cur->wantState = v;
            } else if (k == QStringLiteral("Virtual Router ID")) {
                cur->vrid = v.toInt();
            } else if (k == QStringLiteral("Priority")) {
                cur->priority = v.toInt();
            } else if (k == QStringLiteral("Preempt")) {
                cur->preempt = v == QStringLiteral("enabled");
            } else if (k.endsWith(QStringLiteral("state transition script"))) {
                static const std::map<QString, QString> kinds{{QStringLiteral("Master"), QStringLiteral("notify_master")},
                                                              {QStringLiteral("Backup"), QStringLiteral("notify_backup")},
                                                              {QStringLiteral("Fault"), QStringLiteral("notify_fault")},
                                                              {QStringLiteral("Stop"), QStringLiteral("notify_stop")},
                                                              {QStringLiteral("Generic"), QStringLiteral("notify")}};
                const auto it = kinds.find(k.section(QLatin1Char(' '), 0, 0));
                if (it != kinds.end()) {
                    cur->notify[it->second] = quotedWords(v);
                }
            }
        }
    }
}

void readCheck(const QStringList& lines, Oracle& o)
{
    OVirtualServer* vs = nullptr;
    ORealServer* rs = nullptr;
    QString section;
    QString groupName;
    std::map<QString, QStringList> checks; // "address:port" of a real server -> checker types
    QString checkedRs;
    static const QRegularExpression rip(QStringLiteral("RIP = ([^,]+), RPORT = (\\d+), WEIGHT = (\\d+)"));
    static const QRegularExpression hc(QStringLiteral("^ \\[[^\\]]*\\][^ ]* -> \\[([^\\]]+)\\]:[a-z]+:(\\d+)$"));
    static const QRegularExpression quorum(QStringLiteral("^(?:Gained|Lost) quorum .* for VS (.+)$"));
    static const QRegularExpression service(QStringLiteral("service (\\[[^ ]+) (?:from|for|to) VS (.+)$"));
    for (const auto& l : lines) {
        const QString t = l.trimmed();
        if (const auto m = quorum.match(l); m.hasMatch()) {
            o.lvsServiceNames.insert(m.captured(1));
        } else if (const auto m2 = service.match(l); m2.hasMatch() && !l.startsWith(QLatin1Char(' '))) {
            o.lvsRealServerNames.insert(m2.captured(1) + QLatin1Char(' ') + m2.captured(2));
        }
        if (t.startsWith(QStringLiteral("------<")) && !t.contains(QStringLiteral("Real server"))) {
            section = t;
            o.checkLoaded = o.checkLoaded || t.contains(QStringLiteral("LVS Topology"));
            continue;
        }
        if (!l.startsWith(QLatin1Char(' '))) {
            continue;
        }
        if (section.contains(QStringLiteral("Virtual server group"))) {
            if (t.startsWith(QStringLiteral("Virtual Server Group = "))) {
                groupName = t.mid(23).section(QLatin1Char(','), 0, 0);
                o.groups[groupName];
            } else if (t.startsWith(QStringLiteral("VIP = ")) || t.startsWith(QStringLiteral("VIP Range = "))) {
                const QString addr = t.section(QStringLiteral(" = "), 1, 1).section(QLatin1Char(','), 0, 0);
                o.groups[groupName] << addr + QLatin1Char(':') + t.section(QStringLiteral("VPORT = "), 1, 1);
            } else if (t.startsWith(QStringLiteral("FWMARK = "))) {
                o.groups[groupName] << QStringLiteral("fwmark ") + t.mid(9);
            }
        } else if (section.contains(QStringLiteral("Virtual server"))) {
            if (t.startsWith(QStringLiteral("VS VIP = "))) {
                vs = &o.virtualServers[t.mid(9).section(QLatin1Char(','), 0, 0) + QLatin1Char(':') +
                                       t.section(QStringLiteral("VPORT = "), 1, 1)];
                rs = nullptr;
            } else if (t.startsWith(QStringLiteral("VS FWMARK = "))) {
                vs = &o.virtualServers[QStringLiteral("fwmark ") + t.mid(12)];
                rs = nullptr;
            } else if (t.startsWith(QStringLiteral("VS GROUP = ["))) {
                vs = &o.virtualServers[QStringLiteral("group ") + t.mid(12).section(QLatin1Char(']'), 0, 0)];
                rs = nullptr;
            } else if (vs == nullptr) {
                continue;
            } else if (const auto m = rip.match(t); m.hasMatch()) {
                vs->realServers.push_back({m.captured(1), m.captured(2).toInt(), m.captured(3).toInt(), false, {}});
                rs = &vs->realServers.back();
            } else if (rs == nullptr && t.startsWith(QStringLiteral("lvs_sched = "))) {
                vs->sched = t.mid(12);
            } else if (rs == nullptr && t.startsWith(QStringLiteral("protocol = "))) {
                vs->protocol = t.mid(11);
            } else if (rs == nullptr && t.startsWith(QStringLiteral("persistence timeout = "))) {
                vs->persistence = t.mid(22).toInt();
            } else if (rs == nullptr && t.startsWith(QStringLiteral("default forwarding method = "))) {
                vs->kind = t.mid(28).section(QLatin1Char(','), 0, 0);
            } else if (rs != nullptr && t == QStringLiteral("Inhibit on failure is ON")) {
                rs->inhibit = true;
            }
        } else if (section.contains(QStringLiteral("Health checkers"))) {
            if (const auto m = hc.match(l); m.hasMatch()) {
                checkedRs = m.captured(1) + QLatin1Char(':') + m.captured(2);
            } else if (t.startsWith(QStringLiteral("Keepalive method = "))) {
                checks[checkedRs] << t.mid(19).section(QLatin1Char(','), 0, 0);
            }
        }
    }
    for (auto& [key, v] : o.virtualServers) {
        for (auto& r : v.realServers) {
            // A checker is listed with the port it connects to, which is the real server's own one.
            r.checks = checks[r.address + QLatin1Char(':') + QString::number(r.port)];
        }
    }
}

Oracle readOracle(const QString& name)
{
    Oracle o;
    const QString base = oracleDir() + QLatin1Char('/') + name;
    const auto test = readLines(base + QStringLiteral(".test.txt"));
    const auto vrrp = readLines(base + QStringLiteral(".vrrp.txt"));
    const auto check = readLines(base + QStringLiteral(".check.txt"));
    readDiagnostics(test, o);
    readDiagnostics(vrrp, o);
    readDiagnostics(check, o);
    readVrrp(vrrp, o);
    readCheck(check, o);
    return o;
}

QString key(const KaVirtualServer& v)
{
    if (v.fwmark != 0) {
        return QStringLiteral("fwmark %1").arg(v.fwmark);
    }
    if (!v.group.empty()) {
        return QStringLiteral("group ") + q(v.group);
    }
    return q(v.address) + QLatin1Char(':') + QString::number(v.port);
}

QStringList words(const std::string& s) { return q(s).split(QLatin1Char(' '), Qt::SkipEmptyParts); }

QStringList firstWords(const std::vector<std::string>& specs, bool vip)
{
    QStringList out;
    for (const auto& s : specs) {
        const QString w = words(s).value(0);
        out << (vip ? normVip(w) : w);
    }
    return out;
}

int g_fieldsCompared = 0;

} // namespace

class TestKeepalivedOracle : public QObject {
    Q_OBJECT
private slots:
    void oracle_data();
    void oracle();
    void oracleCount();
    void messagesStillKeepalivedsOwn_data();
    void messagesStillKeepalivedsOwn();
};

void TestKeepalivedOracle::oracle_data()
{
    QTest::addColumn<QString>("name");
    const auto confs = QDir(oracleDir()).entryList({QStringLiteral("*.conf")}, QDir::Files, QDir::Name);
    for (const auto& c : confs) {
        QTest::newRow(qPrintable(c)) << c.chopped(5);
    }
}

#define CMP(actual, expected)                                                                                          \
    do {                                                                                                               \
        ++g_fieldsCompared;                                                                                            \
        QCOMPARE(actual, expected);                                                                                    \
    } while (false)

void TestKeepalivedOracle::oracle()
{
    QFETCH(QString, name);
    const Oracle o = readOracle(name);
    ConfParseOptions opts;
    opts.configId = "dir1"; // as the capture ran keepalived (-i dir1)
    const auto cfg = loadKeepalivedConfig((oracleDir() + QLatin1Char('/') + name + QStringLiteral(".conf")).toStdString(), opts);
    QVERIFY2(cfg.hasValue(), cfg.hasValue() ? "" : cfg.error().message.c_str());

    // Every line keepalived complained about, we name too.
    std::set<std::pair<QString, int>> ours;
    QStringList ourText;
    for (const auto& d : cfg->diagnostics) {
        ours.insert({QFileInfo(q(d.file)).fileName(), d.line});
        ourText << q(d.toString());
    }
    for (const auto& [file, line] : o.diagnosticLines) {
        ++g_fieldsCompared;
        QVERIFY2(ours.count({file, line}) == 1,
                 qPrintable(QStringLiteral("keepalived: %1\nours:\n  %2").arg(o.diagnostics.join(QLatin1Char('\n')), ourText.join(QStringLiteral("\n  ")))));
    }

    // VRRP instances.
    if (o.vrrpLoaded) {
        QStringList ourNames;
        for (const auto& i : cfg->instances) {
            ourNames << q(i.name);
        }
        QStringList theirNames;
        for (const auto& [n, i] : o.instances) {
            theirNames << n;
        }
        ourNames.sort();
        CMP(ourNames, theirNames);
        for (const auto& i : cfg->instances) {
            const OInstance& k = o.instances.at(q(i.name));
            CMP(i.vrid, k.vrid);
            CMP(i.priority, k.priority);
            CMP(!i.nopreempt, k.preempt);
            CMP(firstWords(i.virtualIpAddresses, true), k.vips);
            CMP(firstWords(i.virtualIpAddressesExcluded, true), k.excluded);
            QStringList scripts;
            for (const auto& t : i.trackScripts) {
                scripts << q(t.name);
            }
            CMP(scripts, k.trackScripts);
            QStringList files;
            for (const auto& t : i.trackFiles) {
                files << q(t.name);
            }
            CMP(files, k.trackFiles);
            QStringList peers;
            for (const auto& p : i.unicastPeers) {
                peers << q(p);
            }
            CMP(peers, k.unicastPeers);
            QStringList ourNotify;
            QStringList theirNotify;
            for (const auto& [kind, script] : i.notify) {
                auto w = words(script);
                if (!w.isEmpty()) {
                    w[0] = QFileInfo(w[0]).canonicalFilePath(); // keepalived resolves the script's path
                }
                ourNotify << q(kind) + QLatin1Char('=') + w.join(QLatin1Char(' '));
            }
            for (const auto& [kind, w] : k.notify) {
                theirNotify << kind + QLatin1Char('=') + w.join(QLatin1Char(' '));
            }
            CMP(ourNotify, theirNotify);
        }
    } else {
        // keepalived's VRRP process refused the configuration (it exits): we must have said why, on
        // the lines it named (checked above), and hold no instance keepalived would have run.
        for (const auto& i : cfg->instances) {
            ++g_fieldsCompared;
            QVERIFY2(i.vrid == 0 || std::any_of(cfg->instances.begin(), cfg->instances.end(),
                                                [](const KaVrrpInstance& x) { return x.vrid == 0; }),
                     "keepalived refused the VRRP configuration, but every instance looks valid to us");
        }
    }

    // Virtual servers.
    if (o.checkLoaded) {
        QStringList ourKeys;
        for (const auto& v : cfg->virtualServers) {
            ourKeys << key(v);
        }
        ourKeys.sort();
        QStringList theirKeys;
        for (const auto& [k, v] : o.virtualServers) {
            theirKeys << k;
        }
        CMP(ourKeys, theirKeys);
        for (const auto& v : cfg->virtualServers) {
            const OVirtualServer& k = o.virtualServers.at(key(v));
            CMP(q(v.lbAlgo), k.sched);
            CMP(v.protocol.empty() ? QStringLiteral("none") : q(v.protocol), k.protocol);
            CMP(q(v.lbKind), k.kind);
            CMP(static_cast<int>(v.persistenceTimeout.value_or(0)), k.persistence);
            CMP(v.realServers.size(), k.realServers.size());
            for (std::size_t r = 0; r < v.realServers.size(); ++r) {
                const auto& mine = v.realServers[r];
                const auto& theirs = k.realServers[r];
                CMP(q(mine.address), theirs.address);
                CMP(static_cast<int>(mine.port), theirs.port);
                CMP(mine.weight, theirs.weight);
                CMP(mine.inhibitOnFailure, theirs.inhibit);
                QStringList checks;
                for (const auto& c : mine.checks) {
                    checks << q(c.type);
                }
                CMP(checks, theirs.checks);
            }
            if (!v.group.empty()) {
                QStringList entries;
                for (const auto& e : v.groupEntries) {
                    entries << (e.fwmark != 0 ? QStringLiteral("fwmark %1").arg(e.fwmark)
                                              : q(e.address) + (e.lastAddress.empty() ? QString() : QLatin1Char('-') + q(e.lastAddress)) +
                                                    QLatin1Char(':') + QString::number(e.port));
                }
                CMP(entries, o.groups.at(q(v.group)));
            }
        }
        // The names keepalived gives services and real servers in its messages and FIFO lines.
        std::set<QString> ourServiceNames;
        std::set<QString> ourRealServerNames;
        for (const auto& v : cfg->virtualServers) {
            ourServiceNames.insert(q(v.lvsName()));
            for (const auto& r : v.realServers) {
                ourRealServerNames.insert(q(v.lvsName(r)) + QLatin1Char(' ') + q(v.lvsName()));
            }
        }
        for (const auto& n : o.lvsServiceNames) {
            ++g_fieldsCompared;
            QVERIFY2(ourServiceNames.count(n) == 1,
                     qPrintable(QStringLiteral("keepalived names a service %1; ours: %2")
                                    .arg(n, QStringList(ourServiceNames.begin(), ourServiceNames.end())
                                                .join(QStringLiteral(", ")))));
        }
        for (const auto& n : o.lvsRealServerNames) {
            ++g_fieldsCompared;
            QVERIFY2(ourRealServerNames.count(n) == 1,
                     qPrintable(QStringLiteral("keepalived names a real server %1; ours: %2")
                                    .arg(n, QStringList(ourRealServerNames.begin(), ourRealServerNames.end())
                                                .join(QStringLiteral(", ")))));
        }
    } else {
        ++g_fieldsCompared;
        QVERIFY2(cfg->virtualServers.empty(), "keepalived's checker loaded nothing, we show virtual servers");
    }
}

void TestKeepalivedOracle::oracleCount()
{
    const auto confs = QDir(oracleDir()).entryList({QStringLiteral("*.conf")}, QDir::Files);
    qInfo("oracle: %lld configurations, %d fields compared", static_cast<long long>(confs.size()), g_fieldsCompared);
    QVERIFY(confs.size() >= 30);
    QVERIFY(g_fieldsCompared > 0);
}

void TestKeepalivedOracle::messagesStillKeepalivedsOwn_data() { oracle_data(); }

void TestKeepalivedOracle::messagesStillKeepalivedsOwn()
{
    QFETCH(QString, name);
    const QString ka = QStandardPaths::findExecutable(QStringLiteral("keepalived"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
    if (ka.isEmpty()) {
        QSKIP("keepalived is not installed");
    }
    const auto r =
        hadeck::test::runProgram(ka,
                                 {QStringLiteral("-t"), QStringLiteral("-i"), QStringLiteral("dir1"),
                                  QStringLiteral("-f"), name + QStringLiteral(".conf")},
                                 {.timeoutMs = 10000, .workingDirectory = oracleDir(), .mergeChannels = true});
    if (r.timedOut) {
        // Seen with a track_file block naming an undefined track file: the daemon loads it.
        QSKIP("keepalived -t does not return on this file (keepalived 2.2.7)");
    }
    Oracle now;
    readDiagnostics(QString::fromUtf8(r.out).split(QLatin1Char('\n')), now);
    Oracle captured;
    readDiagnostics(readLines(oracleDir() + QLatin1Char('/') + name + QStringLiteral(".test.txt")), captured);
    QCOMPARE(now.diagnosticLines, captured.diagnosticLines);
}

QTEST_GUILESS_MAIN(TestKeepalivedOracle)
#include "tst_keepalived_oracle.moc"
