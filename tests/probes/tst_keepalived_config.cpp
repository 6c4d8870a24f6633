// keepalived.conf parser: every sample keepalived ships, the configuration of a
// real VRRP pair, and hand-written edge cases that keepalived -t itself accepts
// or rejects (tests/data/keepalived).

#include "hadeck/probes/keepalived_config.h"

#include "fixture.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <set>

using namespace hadeck;
using namespace hadeck::probes;

namespace {

QString dataDir(const QString& rel) { return QStringLiteral(HADECK_TEST_DATA "/keepalived/") + rel; }

Expected<KeepalivedConfig> load(const QString& rel, std::optional<std::string> id = std::string("none"))
{
    ConfParseOptions o;
    o.configId = std::move(id);
    return loadKeepalivedConfig(dataDir(rel).toStdString(), o);
}

Expected<ConfTree> parseText(const std::string& text, std::optional<std::string> id = std::string("none"),
                             bool keepalivedKeywords = true)
{
    ConfParseOptions o;
    o.configId = std::move(id);
    o.keepalivedKeywords = keepalivedKeywords;
    return parseKeepalivedConfText(text, "inline.conf", nullptr, o);
}

const KaVrrpInstance* instance(const KeepalivedConfig& c, const std::string& name)
{
    const auto it = std::find_if(c.instances.begin(), c.instances.end(),
                                 [&](const KaVrrpInstance& i) { return i.name == name; });
    return it == c.instances.end() ? nullptr : &*it;
}

/// Independent count of top-level statements starting with @p keyword, for cross-checking.
int countLines(const QString& text, const QString& keyword)
{
    const QRegularExpression re(QStringLiteral("^\\s*(@\\S+\\s+)?") + keyword + QStringLiteral("\\s+"),
                                QRegularExpression::MultilineOption);
    int n = 0;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

QStringList diagnostics(const KeepalivedConfig& c)
{
    QStringList out;
    for (const auto& d : c.diagnostics) {
        out << q(d.toString());
    }
    return out;
}

bool haveKeepalived() { return !QStandardPaths::findExecutable(QStringLiteral("keepalived"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"), QStringLiteral("/usr/local/sbin")}).isEmpty() || !QStandardPaths::findExecutable(QStringLiteral("keepalived")).isEmpty(); }

} // namespace

class TestKeepalivedConfig : public QObject {
    Q_OBJECT
private slots:
    void samples_data();
    void samples();
    void samplesValidByKeepalived_data();
    void samplesValidByKeepalived();
    void ownConfigValidByKeepalived();
    void includesAndParameters();
    void conditionalOtherId();
    void realServers();
    void conditionalSample_data();
    void conditionalSample();
    void pairConfig();
    void structuralErrors_data();
    void structuralErrors();
    void badValues();
    void validationReportsErrors();
    void grammar_data();
    void grammar();
    void keepalivedRecovery_data();
    void keepalivedRecovery();
    void extraBraceReadOn();
    void predefinedParameters();
    void selfDoublingDefinitionIsBounded();
    void advertIntOutOfRangeKeepsTheDefault();
    void ipvsServicesOfGroupsAndFwmarks();
    void lvsNamesAsInKeepalivedsFifo();
    void editDuringTheReadIsSeenNextTime();
    void includedFileAddedIsSeen();
};

void TestKeepalivedConfig::samples_data()
{
    QTest::addColumn<QString>("file");
    const QDir dir(dataDir(QStringLiteral("samples")));
    const auto files = dir.entryList(QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 25);
    for (const auto& f : files) {
        QTest::newRow(qPrintable(f)) << f;
    }
}

void TestKeepalivedConfig::samples()
{
    QFETCH(QString, file);
    const auto cfg = load(QStringLiteral("samples/") + file, std::nullopt);
    QVERIFY2(cfg.hasValue(), cfg.hasValue() ? "" : cfg.error().message.c_str());
    QVERIFY(!cfg->tree.nodes.empty());
    const QString text = q(fixture(QStringLiteral("keepalived/samples/") + file));
    // Conditional samples may hold the same instance twice; count those that are enabled.
    int enabledInstances = 0;
    int enabledServers = 0;
    for (const auto& n : cfg->tree.nodes) {
        enabledInstances += n.keyword == "vrrp_instance" ? 1 : 0;
        enabledServers += n.keyword == "virtual_server" ? 1 : 0;
    }
    QCOMPARE(enabledInstances, countLines(text, QStringLiteral("vrrp_instance")));
    QCOMPARE(enabledServers, countLines(text, QStringLiteral("virtual_server")));
    int typedInstances = 0;
    for (const auto& n : cfg->tree.nodes) {
        typedInstances += n.keyword == "vrrp_instance" && n.enabled ? 1 : 0;
    }
    QCOMPARE(static_cast<int>(cfg->instances.size()), typedInstances);
    for (const auto& i : cfg->instances) {
        QVERIFY2(i.vrid >= 1 && i.vrid <= 255, i.where.c_str());
        QVERIFY2(!i.interface.empty(), i.where.c_str());
    }
    for (const auto& vs : cfg->virtualServers) {
        QVERIFY2(!vs.address.empty() || vs.fwmark != 0 || !vs.group.empty(), vs.where.c_str());
        for (const auto& rs : vs.realServers) {
            QVERIFY2(!rs.address.empty(), rs.where.c_str());
        }
    }
}

void TestKeepalivedConfig::samplesValidByKeepalived_data() { samples_data(); }

void TestKeepalivedConfig::samplesValidByKeepalived()
{
    // Not every shipped sample passes -t on any host (they name eth1..eth3, and some carry
    // mistakes keepalived itself reports). What must hold: keepalived runs, and every line it
    // complains about is a statement this parser also found on that line.
    if (!haveKeepalived()) {
        QSKIP("keepalived is not installed");
    }
    QFETCH(QString, file);
    const auto path = dataDir(QStringLiteral("samples/") + file).toStdString();
    const auto v = validateWithKeepalived(path);
    QVERIFY(v.ran);
    QVERIFY(v.exitCode >= 0);
    const auto cfg = load(QStringLiteral("samples/") + file, std::nullopt);
    QVERIFY(cfg.hasValue());
    std::set<int> lines;
    std::function<void(const std::vector<ConfNode>&)> walk = [&](const std::vector<ConfNode>& nodes) {
        for (const auto& n : nodes) {
            lines.insert(n.line);
            lines.insert(n.endLine); // keepalived reports some block problems at the closing brace
            walk(n.children);
        }
    };
    walk(cfg->tree.nodes);
    const QRegularExpression re(QStringLiteral("\\((?:[^()]*: )?Line (\\d+)\\)"));
    int checked = 0;
    for (const auto& m : v.messages) {
        const auto match = re.match(q(m));
        if (match.hasMatch()) {
            QVERIFY2(lines.count(match.captured(1).toInt()) == 1, m.c_str());
            ++checked;
        }
    }
    QVERIFY(v.valid || checked > 0 || !v.messages.empty());
}

void TestKeepalivedConfig::ownConfigValidByKeepalived()
{
    if (!haveKeepalived()) {
        QSKIP("keepalived is not installed");
    }
    const auto v = validateWithKeepalived(dataDir(QStringLiteral("conf/main.conf")).toStdString());
    QVERIFY(v.ran);
    QVERIFY2(v.valid, qPrintable(QStringLiteral("exit %1").arg(v.exitCode)));
}

void TestKeepalivedConfig::includesAndParameters()
{
    const auto cfg = load(QStringLiteral("conf/main.conf"), std::string("dir1"));
    QVERIFY2(cfg.hasValue(), cfg.hasValue() ? "" : cfg.error().message.c_str());
    QVERIFY2(cfg->diagnostics.empty(), qPrintable(diagnostics(*cfg).join(QLatin1Char('\n'))));
    // Includes: conf.d/*.conf in name order, and sub/*.conf relative to conf.d/10-vrrp.conf.
    QStringList files;
    for (const auto& f : cfg->tree.files) {
        files << QDir(dataDir(QStringLiteral("conf"))).relativeFilePath(q(f));
    }
    QCOMPARE(files, (QStringList{QStringLiteral("main.conf"), QStringLiteral("conf.d/10-vrrp.conf"),
                                 QStringLiteral("conf.d/sub/v6.conf"), QStringLiteral("conf.d/20-lvs.conf")}));
    QCOMPARE(q(cfg->global.routerId), QStringLiteral("hadeck dir"));
    QCOMPARE(q(cfg->global.notifyFifo), QStringLiteral("/run/keepalived/notify.fifo"));
    QCOMPARE(q(cfg->global.lvsNotifyFifo), QStringLiteral("/run/keepalived/lvs.fifo"));
    QCOMPARE(q(cfg->global.vrrpNotifyFifo), QStringLiteral("/run/keepalived/vrrp.fifo"));
    QVERIFY(cfg->global.enableScriptSecurity);

    QCOMPARE(cfg->instances.size(), std::size_t{2});
    const auto* web = instance(*cfg, "VI_WEB");
    QVERIFY(web);
    QCOMPARE(q(web->interface), QStringLiteral("eth0"));
    QCOMPARE(web->priority, 150);
    QCOMPARE(web->vrid, 51);
    QCOMPARE(web->advertIntMs, 500);
    QVERIFY(web->nopreempt);
    QCOMPARE(q(web->state), QStringLiteral("BACKUP"));
    QCOMPARE(q(web->syncGroup), QStringLiteral("G_WEB"));
    QCOMPARE(web->virtualIpAddresses.size(), std::size_t{2});
    QCOMPARE(q(web->virtualIpAddresses[0]), QStringLiteral("198.18.0.100/24 dev eth0 label eth0:web"));
    QCOMPARE(web->vipAddresses(), (std::vector<std::string>{"198.18.0.100/24", "198.18.0.101/32"}));
    QCOMPARE(web->trackFiles.size(), std::size_t{1});
    QCOMPARE(q(web->trackFiles[0].name), QStringLiteral("drain_dir"));
    QCOMPARE(web->trackFiles[0].weight.value_or(-1), 0);
    QCOMPARE(web->trackInterfaces.size(), std::size_t{1});
    QCOMPARE(q(web->notify.at("notify")), QStringLiteral("/usr/local/bin/notify.sh"));
    QVERIFY(q(web->where).endsWith(QStringLiteral("conf.d/10-vrrp.conf:14")));

    const auto* v6 = instance(*cfg, "VI_WEB6");
    QVERIFY(v6);
    QCOMPARE(q(v6->syncGroup), QStringLiteral("G_WEB"));
    QCOMPARE(v6->vipAddresses(), (std::vector<std::string>{"2001:db8::100/64"}));

    QCOMPARE(cfg->syncGroups.size(), std::size_t{1});
    QCOMPARE(cfg->syncGroups[0].members, (std::vector<std::string>{"VI_WEB", "VI_WEB6"}));
    QCOMPARE(q(cfg->syncGroups[0].notify.at("notify_master")),
             QStringLiteral("/usr/local/bin/notify.sh master 'two words'"));

    QCOMPARE(cfg->trackFiles.size(), std::size_t{1});
    QCOMPARE(q(cfg->trackFiles[0].path), QStringLiteral("/var/lib/hadeck/drain dir"));
    QCOMPARE(cfg->trackFiles[0].weight, 0);
    QCOMPARE(cfg->trackFiles[0].initValue.value_or(-1), 0);
    QVERIFY(cfg->trackFiles[0].overwrite);
}

void TestKeepalivedConfig::conditionalOtherId()
{
    const auto cfg = load(QStringLiteral("conf/main.conf"), std::string("dir2"));
    QVERIFY(cfg.hasValue());
    QCOMPARE(instance(*cfg, "VI_WEB")->priority, 100);
    QVERIFY(cfg->global.vrrpNotifyFifo.empty());
    // The excluded line stays in the tree, marked.
    const auto& g = cfg->tree.nodes.front();
    QCOMPARE(q(g.keyword), QStringLiteral("global_defs"));
    const auto it = std::find_if(g.children.begin(), g.children.end(),
                                 [](const ConfNode& n) { return n.keyword == "vrrp_notify_fifo"; });
    QVERIFY(it != g.children.end());
    QCOMPARE(q(it->condition), QStringLiteral("dir1"));
    QVERIFY(!it->enabled);
}

void TestKeepalivedConfig::realServers()
{
    const auto cfg = load(QStringLiteral("conf/main.conf"), std::string("dir1"));
    QVERIFY(cfg.hasValue());
    QCOMPARE(cfg->virtualServers.size(), std::size_t{3});
    const auto& vs = cfg->virtualServers[0];
    QCOMPARE(q(vs.address), QStringLiteral("198.18.0.100"));
    QCOMPARE(vs.port, 80);
    QCOMPARE(q(vs.lbAlgo), QStringLiteral("wlc"));
    QCOMPARE(q(vs.lbKind), QStringLiteral("DR"));
    QCOMPARE(q(vs.protocol), QStringLiteral("TCP"));
    QCOMPARE(vs.persistenceTimeout.value_or(0), 300u);
    QCOMPARE(vs.realServers.size(), std::size_t{3});

    const auto& rs1 = vs.realServers[0];
    QCOMPARE(rs1.weight, 3);
    QVERIFY(rs1.inhibitOnFailure);
    QCOMPARE(rs1.checks.size(), std::size_t{1}); // from the multi-line $CHECK parameter
    QCOMPARE(q(rs1.checks[0].type), QStringLiteral("TCP_CHECK"));
    QCOMPARE(q(rs1.checks[0].params.at("connect_port")), QStringLiteral("80"));

    const auto& rs2 = vs.realServers[1];
    QCOMPARE(rs2.weight, 0);
    QVERIFY(!rs2.inhibitOnFailure);
    QCOMPARE(q(rs2.checks.at(0).type), QStringLiteral("HTTP_GET"));
    QCOMPARE(rs2.checks[0].urlPaths, (std::vector<std::string>{"/health", "/status"}));

    const auto& rs3 = vs.realServers[2];
    QCOMPARE(rs3.weight, 1);
    QCOMPARE(rs3.checks.size(), std::size_t{2});
    QCOMPARE(q(rs3.checks[0].params.at("misc_path")), QStringLiteral("/usr/local/bin/check.sh 198.18.1.13"));
    QCOMPARE(q(rs3.checks[1].type), QStringLiteral("FILE_CHECK"));
    QCOMPARE(q(rs3.checks[1].params.at("track_file")), QStringLiteral("drain_dir"));

    QCOMPARE(cfg->virtualServers[1].fwmark, 7u);
    QCOMPARE(cfg->virtualServers[1].realServers.at(0).port, 0);
    QCOMPARE(q(cfg->virtualServers[2].address), QStringLiteral("2001:db8::100"));
    QCOMPARE(q(cfg->virtualServers[2].lbKind), QStringLiteral("TUN"));
}

void TestKeepalivedConfig::conditionalSample_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("priority");
    QTest::addColumn<QString>("script");
    QTest::newRow("high") << "high" << 170 << "/etc/keepalived/scripts/check_high_VI_0.sh";
    QTest::newRow("low") << "low" << 85 << "/etc/keepalived/scripts/check_low_VI_0.sh";
    QTest::newRow("neither") << "other" << 100 << "";
}

void TestKeepalivedConfig::conditionalSample()
{
    QFETCH(QString, id);
    const auto cfg = load(QStringLiteral("samples/keepalived.conf.conditional_conf"), id.toStdString());
    QVERIFY(cfg.hasValue());
    QTEST(instance(*cfg, "VI_0")->priority, "priority");
    const auto& first = cfg->tree.nodes.at(0);
    QCOMPARE(q(first.keyword), QStringLiteral("net_namespace")); // "@high net_namespace high", kept either way
    const ConfNode* s = nullptr;
    for (const auto& n : cfg->tree.nodes) {
        if (n.keyword == "vrrp_script") {
            s = &n;
        }
    }
    QVERIFY(s);
    const auto* path = s->child("script");
    QFETCH(QString, script);
    QCOMPARE(path ? q(path->arg(0)) : QString(), script);
}

void TestKeepalivedConfig::pairConfig()
{
    const auto cfg = load(QStringLiteral("pair-a.conf"));
    QVERIFY(cfg.hasValue());
    QCOMPARE(cfg->instances.size(), std::size_t{2});
    QCOMPARE(instance(*cfg, "VI_1")->priority, 150); // $PRIO=150
    QCOMPARE(q(instance(*cfg, "VI_1")->syncGroup), QStringLiteral("G1"));
    QVERIFY(instance(*cfg, "VI_2")->nopreempt);
    QCOMPARE(instance(*cfg, "VI_2")->vipAddresses(), (std::vector<std::string>{"198.18.0.101/32", "198.18.0.102/32"}));
    QCOMPARE(q(cfg->trackFiles.at(0).path), QStringLiteral("/tmp/probes-vrrp/a/track"));
    QVERIFY(cfg->diagnostics.empty());
}

void TestKeepalivedConfig::structuralErrors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error");
    QTest::newRow("missing brace") << "conf/unclosed.conf"
                                   << "unclosed.conf: block \"vrrp_instance\" opened at *unclosed.conf:4 is never closed";
    QTest::newRow("quote") << "conf/bad-quote.conf" << "bad-quote.conf:2: unterminated double quote";
    QTest::newRow("include loop") << "conf/loop.conf" << "loop.conf:3: includes nested deeper than 32 levels";
    QTest::newRow("missing file") << "conf/nonexistent.conf" << "cannot read *nonexistent.conf";
}

void TestKeepalivedConfig::structuralErrors()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    const auto cfg = load(file);
    QVERIFY(!cfg.hasValue());
    // The expected text's parts, split at '*', must appear in order.
    const QString msg = q(cfg.error().message);
    qsizetype at = 0;
    for (const auto& part : error.split(QLatin1Char('*'))) {
        at = msg.indexOf(part, at);
        QVERIFY2(at >= 0, qPrintable(msg));
        at += part.size();
    }
}

void TestKeepalivedConfig::badValues()
{
    const auto cfg = load(QStringLiteral("conf/bad-values.conf"));
    QVERIFY(cfg.hasValue()); // bad values are diagnostics, not failures
    const auto d = diagnostics(*cfg);
    const auto has = [&](const QString& s) {
        return std::any_of(d.begin(), d.end(), [&](const QString& x) { return x.contains(s); });
    };
    QVERIFY2(has(QStringLiteral("bad-values.conf:2: state must be MASTER or BACKUP, got \"PRIMARY\"")), qPrintable(d.join('\n')));
    QVERIFY(has(QStringLiteral("bad-values.conf:4: (VI_1) virtual_router_id 300 not valid - must be between 1 & 255")));
    QVERIFY(!has(QStringLiteral("VI_1 has no virtual_router_id"))); // one diagnostic for one fault
    QVERIFY(has(QStringLiteral("bad-values.conf:5: priority needs a number, got \"high\"")));
    QVERIFY(has(QStringLiteral("bad-values.conf:6: advert_int needs a number of seconds above 0 and up to 255")));
    QVERIFY(has(QStringLiteral("bad-values.conf:12: vrrp_instance VI_2 has no interface")));
    QVERIFY(has(QStringLiteral("bad-values.conf:12: vrrp_instance VI_2 has no virtual_router_id")));
    QVERIFY(has(QStringLiteral("bad-values.conf:17: vrrp_sync_group G names unknown vrrp_instance VI_MISSING")));
    // The unknown keyword is kept in the tree, marked as keepalived sees it, and named.
    QVERIFY(has(QStringLiteral("bad-values.conf:7: Unknown keyword 'unknown_keyword'")));
    QVERIFY(!cfg->tree.nodes.at(0).child("unknown_keyword"));
    const auto& kids = cfg->tree.nodes.at(0).children;
    const auto it = std::find_if(kids.begin(), kids.end(), [](const ConfNode& c) { return c.keyword == "unknown_keyword"; });
    QVERIFY(it != kids.end());
    const auto* unknown = &*it;
    QVERIFY(!unknown->known);
    QCOMPARE(unknown->args, (std::vector<std::string>{"1", "2", "3"}));
    QCOMPARE(unknown->line, 7);
}

void TestKeepalivedConfig::validationReportsErrors()
{
    if (!haveKeepalived()) {
        QSKIP("keepalived is not installed");
    }
    const auto bad = validateWithKeepalived(dataDir(QStringLiteral("conf/bad-values.conf")).toStdString());
    QVERIFY(bad.ran);
    QVERIFY(!bad.valid);
    QVERIFY(std::any_of(bad.messages.begin(), bad.messages.end(),
                        [](const std::string& m) { return m.find("VRID '300' not valid") != std::string::npos; }));
    const auto missing = validateWithKeepalived(dataDir(QStringLiteral("conf/main.conf")).toStdString(),
                                                "/nonexistent/keepalived");
    QVERIFY(!missing.ran);
    QVERIFY(!missing.messages.empty());
}

void TestKeepalivedConfig::grammar_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("tree"); // keyword[args](children) in order
    QTest::newRow("brace on the next line") << "a x\n{\n b 1\n}\n" << "a[x](b[1])";
    QTest::newRow("one-line block") << "g { VI_1 VI_2 }\nh\n" << "g(VI_1[VI_2]) h";
    QTest::newRow("glued braces") << "a{b}\n" << "a(b)";
    QTest::newRow("comments") << "a 1 ! note\n# all comment\nb \"x # y\" # z\n" << "a[1] b[x # y]";
    QTest::newRow("quote joins") << "s abcd\" efg h jkl \"mnop\n" << "s[abcd efg h jkl mnop]";
    QTest::newRow("single quotes") << "s 'a b' \"c'd\"\n" << "s[a b|c'd]";
    QTest::newRow("escape in quotes") << "s \"a\\\"b\"\n" << "s[a\"b]";
    QTest::newRow("parameter") << "$X=10\np $X\n" << "p[10]";
    QTest::newRow("braced parameter") << "$X=10\np ${X}.1\n" << "p[10.1]";
    QTest::newRow("unterminated name not substituted") << "$X=10\np $X.1\n" << "p[$X.1]";
    QTest::newRow("undefined kept") << "p $NOPE\n" << "p[$NOPE]";
    QTest::newRow("recursive, at use time")
        << "$B=10.2.${S}\n$S=0\na ${B}.100/32\n$S=10\nb ${B}.100/32\n" << "a[10.2.0.100/32] b[10.2.10.100/32]";
    QTest::newRow("multi-line definition") << "$I= \\\nx { \\\n y 1 \\\n}\n$I\n$I\n" << "x(y[1]) x(y[1])";
    QTest::newRow("condition kept, not enabled") << "@other a 1\n@^other b 2\n" << "a[1]! b[2]";
    QTest::newRow("conditional block") << "@other a {\n b\n}\n" << "a!(b!)";
    QTest::newRow("conditional definition") << "@other $P=1\n@^other $P=2\np $P\n" << "p[2]";
    QTest::newRow("parameter expands to a condition") << "$IF=@other\n$IF q 1\nr\n" << "q[1]! r";
}

namespace {
QString render(const std::vector<ConfNode>& nodes)
{
    QStringList parts;
    for (const auto& n : nodes) {
        QString s = q(n.keyword);
        if (!n.args.empty()) {
            QStringList a;
            for (const auto& x : n.args) {
                a << q(x);
            }
            s += QLatin1Char('[') + a.join(QLatin1Char('|')) + QLatin1Char(']');
        }
        if (!n.enabled) {
            s += QLatin1Char('!');
        }
        if (n.block) {
            s += QLatin1Char('(') + render(n.children) + QLatin1Char(')');
        }
        parts << s;
    }
    return parts.join(QLatin1Char(' '));
}
} // namespace

void TestKeepalivedConfig::grammar()
{
    QFETCH(QString, text);
    QFETCH(QString, tree);
    // The plain grammar, without keepalived's keyword tree.
    const auto t = parseText(text.toStdString(), std::string("none"), false);
    QVERIFY2(t.hasValue(), t.hasValue() ? "" : t.error().message.c_str());
    QCOMPARE(render(t->nodes), tree);
}

void TestKeepalivedConfig::keepalivedRecovery_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("tree");        // keyword[args](children); ? marks a keyword keepalived does not know there
    // (connect_timeout and weight are real_server and virtual_server keywords too, so they are read there)
    QTest::addColumn<QString>("diagnostics"); // line:message, joined by |
    QTest::newRow("unknown block in a real_server: its } closes the real_server")
        << "virtual_server 198.18.0.1 80 {\n real_server 198.18.1.1 80 {\n  HTTP_CHEK {\n   connect_timeout 3\n  }\n  weight 2\n }\n}\n"
        << "virtual_server[198.18.0.1|80](real_server[198.18.1.1|80](HTTP_CHEK? connect_timeout[3]) weight[2]) ?"
        << "3:Unknown keyword 'HTTP_CHEK'|3:Unexpected '{' - ignoring|8:Extra '}' found (unknown keyword '}')";
    QTest::newRow("glued =") << "vrrp_instance V {\n mcast_src_ip=10.9.9.5\n}\n"
                             << "vrrp_instance[V](mcast_src_ip=10.9.9.5?)" << "2:Unknown keyword 'mcast_src_ip=10.9.9.5'";
    QTest::newRow("known keyword in the wrong block") << "real_server 198.18.1.1 80\n"
                                                      << "real_server?[198.18.1.1|80]" << "1:Unknown keyword 'real_server'";
    QTest::newRow("lists are read as they are") << "vrrp_instance V {\n virtual_ipaddress {\n  anything at all\n }\n}\n"
                                                << "vrrp_instance[V](virtual_ipaddress(anything[at|all]))" << "";
    QTest::newRow("one-line unknown block")
        << "global_defs {\n}\nTCP_CHECK { connect_timeout 3 }\n"
        << "global_defs() TCP_CHECK? connect_timeout?[3] ?"
        << "3:Unknown keyword 'TCP_CHECK'|3:Unexpected '{' - ignoring|3:Unknown keyword 'connect_timeout'|3:Extra '}' found (unknown keyword '}')";
}

namespace {
QString renderKnown(const std::vector<ConfNode>& nodes)
{
    QStringList parts;
    for (const auto& n : nodes) {
        QString s = q(n.keyword) + (n.known ? QString() : QStringLiteral("?"));
        if (!n.args.empty()) {
            QStringList a;
            for (const auto& x : n.args) {
                a << q(x);
            }
            s += QLatin1Char('[') + a.join(QLatin1Char('|')) + QLatin1Char(']');
        }
        if (n.block) {
            s += QLatin1Char('(') + renderKnown(n.children) + QLatin1Char(')');
        }
        parts << s;
    }
    return parts.join(QLatin1Char(' '));
}
} // namespace

void TestKeepalivedConfig::keepalivedRecovery()
{
    QFETCH(QString, text);
    QFETCH(QString, tree);
    QFETCH(QString, diagnostics);
    const auto t = parseText(text.toStdString());
    QVERIFY2(t.hasValue(), t.hasValue() ? "" : t.error().message.c_str());
    // A stray top-level } is no node: it shows as "?" at the end.
    QString rendered = renderKnown(t->nodes);
    QStringList d;
    for (const auto& x : t->diagnostics) {
        d << QString::number(x.line) + QLatin1Char(':') + q(x.message);
        if (x.message.rfind("Extra", 0) == 0) {
            rendered += QStringLiteral(" ?");
        }
    }
    QCOMPARE(rendered, tree);
    QCOMPARE(d.join(QLatin1Char('|')), diagnostics);
}

void TestKeepalivedConfig::extraBraceReadOn()
{
    // keepalived says "Extra '}' found" and reads on; so do we, naming the line.
    const auto cfg = load(QStringLiteral("conf/extra-brace.conf"));
    QVERIFY(cfg.hasValue());
    QCOMPARE(cfg->global.routerId, std::string("x"));
    const auto d = diagnostics(*cfg);
    QVERIFY2(std::any_of(d.begin(), d.end(),
                         [](const QString& s) { return s.contains(QStringLiteral("extra-brace.conf:4: Extra")); }),
             qPrintable(d.join(QLatin1Char('\n'))));
}

void TestKeepalivedConfig::predefinedParameters()
{
    ConfParseOptions o;
    o.configId = "dir1";
    const auto t = parseKeepalivedConfText("vrrp_instance VI_${_INSTANCE} {\n notify \"${_PWD}/n.sh ${_HASH}x ${_BANG}y\"\n"
                                           " priority ${_RANDOM 7 9}\n advert_int ${_RANDOM}\n}\n",
                                           "/etc/keepalived/conf.d/a.conf", nullptr, o);
    QVERIFY(t.hasValue());
    const auto& vi = t->nodes.at(0);
    QCOMPARE(vi.arg(0), std::string("VI_dir1"));
    QCOMPARE(vi.child("notify")->arg(0), std::string("/etc/keepalived/conf.d/n.sh #x !y"));
    const int prio = std::stoi(vi.child("priority")->arg(0));
    QVERIFY(prio >= 7 && prio <= 9);
    const int r = std::stoi(vi.child("advert_int")->arg(0));
    QVERIFY(r >= 0 && r <= 32767);
}

/// A definition that refers to itself more than once doubles (or triples) the line each time it is
/// read again: found by the fuzzer as 103 bytes that took over 100 s, and 261 that took 2.4 GB. The
/// line is read as written, with a diagnostic, and the rest of the file as usual.
void TestKeepalivedConfig::selfDoublingDefinitionIsBounded()
{
    const auto tree = parseText("$A=x $A $A\n$B=$C $C $C\n$C=$B $B\nvrrp_instance VI_1 {\n state BACKUP\n"
                                " notify $A\n smtp_alert $B\n interface eth0\n virtual_router_id 51\n}\n");
    QVERIFY2(tree.hasValue(), tree ? "" : tree.error().message.c_str());
    const auto cfg = typedView(*tree);
    const auto d = diagnostics(cfg);
    QCOMPARE(d.filter(QStringLiteral("parameter substitution would make this line longer than 65536 bytes")).size(), 2);
    QVERIFY2(d.filter(QStringLiteral(":6: parameter substitution")).size() == 1, qPrintable(d.join('\n')));
    const auto* vi = instance(cfg, "VI_1");
    QVERIFY(vi != nullptr);
    QCOMPARE(vi->vrid, 51);
    QCOMPARE(cfg.tree.nodes.at(0).child("notify")->arg(0), std::string("$A"));
    // A long file of such lines stays bounded in all (16 MiB added by substitution).
    std::string many = "$A=$B $B $B $B\n$B=$C $C $C $C\n$C=$D $D $D $D\n$D=" + std::string(400, 'x') +
                       "\n"; // over 25,600 bytes a line
    for (int i = 0; i < 2000; ++i) {
        many += "notify $A\n";
    }
    const auto big = parseText(many);
    QVERIFY(big.hasValue());
    // Said once, on the first line past the total; no line past the line limit.
    QCOMPARE(std::count_if(big->diagnostics.begin(), big->diagnostics.end(),
                           [](const auto& x) {
                               return x.message.find("would add more than 16777216 bytes to the configuration's "
                                                     "lines in all") != std::string::npos;
                           }),
             1L);
    QCOMPARE(std::count_if(big->diagnostics.begin(), big->diagnostics.end(),
                           [](const auto& x) { return x.message.find("parameter substitution") != std::string::npos; }),
             1L);
    // A long line that substitution does not lengthen is never flagged, with or without a '$'.
    const auto plain = parseText("notify \"" + std::string(70000, 'x') + " $NOT_DEFINED\"\n");
    QVERIFY(plain.hasValue());
    QVERIFY(std::none_of(plain->diagnostics.begin(), plain->diagnostics.end(),
                         [](const auto& x) { return x.message.find("parameter substitution") != std::string::npos; }));
}

void TestKeepalivedConfig::advertIntOutOfRangeKeepsTheDefault()
{
    // 1e30 seconds was converted to int (undefined), found by the fuzzer; NaN as well.
    for (const char* value : {"1e30", "nan", "256", "-inf"}) {
        const auto tree = parseText(std::string("vrrp_instance VI_1 {\n state BACKUP\n interface eth0\n"
                                                " virtual_router_id 51\n advert_int ") +
                                    value + "\n}\n");
        QVERIFY(tree.hasValue());
        const auto cfg = typedView(*tree);
        QCOMPARE(instance(cfg, "VI_1")->advertIntMs, 1000);
        QVERIFY2(diagnostics(cfg).filter(QStringLiteral("advert_int needs a number of seconds")).size() == 1, value);
    }
    const auto ok = parseText("vrrp_instance VI_1 {\n state BACKUP\n interface eth0\n virtual_router_id 51\n"
                              " advert_int 255\n}\n");
    QVERIFY(ok.hasValue());
    QCOMPARE(instance(typedView(*ok), "VI_1")->advertIntMs, 255000);
}

void TestKeepalivedConfig::ipvsServicesOfGroupsAndFwmarks()
{
    const auto tree = parseText("virtual_server_group G {\n 198.18.0.8-10 80\n fwmark 3\n}\n"
                                "virtual_server group G {\n protocol TCP\n real_server 198.18.1.1 80 {\n  weight 5\n }\n}\n"
                                "virtual_server fwmark 4 {\n real_server 198.18.1.2 443 {\n }\n}\n");
    QVERIFY(tree.hasValue());
    const auto cfg = typedView(*tree);
    QCOMPARE(cfg.virtualServers.size(), std::size_t(2));
    const auto g = cfg.virtualServers[0].ipvsServices();
    QCOMPARE(g.size(), std::size_t(4));
    QCOMPARE(g[0].address, std::string("198.18.0.8"));
    QCOMPARE(g[2].address, std::string("198.18.0.10"));
    QCOMPARE(g[2].protocol, std::string("TCP"));
    QCOMPARE(g[2].realServerPort(80), std::uint16_t(80));
    QCOMPARE(g[3].fwmark, std::uint32_t(3));
    QCOMPARE(g[3].realServerPort(80), std::uint16_t(0));
    const auto& f = cfg.virtualServers[1];
    QCOMPARE(f.protocol, std::string());
    QCOMPARE(f.realServers.at(0).port, std::uint16_t(0)); // keepalived clears it
    QCOMPARE(f.ipvsServices().at(0).fwmark, std::uint32_t(4));
}

void TestKeepalivedConfig::lvsNamesAsInKeepalivedsFifo()
{
    // Every RS and VS line keepalived 2.2.7 wrote to its lvs_notify_fifo for this configuration
    // (a fwmark service, a virtual_server_group, a plain one) names one of ours exactly.
    const auto cfg = load(QStringLiteral("lvs-fifo-services.conf"), std::string("dir1"));
    QVERIFY(cfg.hasValue());
    QCOMPARE(cfg->virtualServers.size(), std::size_t(3));
    std::set<std::string> services;
    std::set<std::string> realServers;
    for (const auto& vs : cfg->virtualServers) {
        services.insert(vs.lvsName());
        for (const auto& rs : vs.realServers) {
            realServers.insert(vs.lvsName(rs) + " " + vs.lvsName());
        }
    }
    int rsLines = 0;
    for (const auto& line : q(fixture(QStringLiteral("keepalived/notify_fifo-lvs-services.txt")))
                                .split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const auto w = line.split(QLatin1Char(' '));
        const QString what = w.mid(1, w.size() - 2).join(QLatin1Char(' ')); // without the type and the state
        if (w.first() == QStringLiteral("VS")) {
            QVERIFY2(services.count(what.toStdString()) == 1, qPrintable(line));
        } else {
            QVERIFY2(realServers.count(what.toStdString()) == 1, qPrintable(line));
            ++rsLines;
        }
    }
    QCOMPARE(rsLines, 3);
    // IPv6 as inet_ntop writes it, whatever the file's spelling; UDP by default.
    const auto tree = parseText("virtual_server 2001:DB8:0::10 53 {\n real_server 2001:db8::0:11 53 {\n }\n}\n");
    QVERIFY(tree.hasValue());
    const auto v6 = typedView(*tree);
    QCOMPARE(v6.virtualServers.at(0).lvsName(), std::string("[2001:db8::10]:udp:53"));
    QCOMPARE(v6.virtualServers.at(0).lvsName(v6.virtualServers.at(0).realServers.at(0)),
             std::string("[2001:db8::11]:udp:53"));
}

namespace {

/// The file system, and one more virtual server appended to the top file right after it was
/// read: the `cat >>keepalived.conf` of an admin that lands while the agent reads the file.
class AppendAfterRead final : public ConfigSource {
public:
    explicit AppendAfterRead(std::string top) : m_top(std::move(top)) {}
    Expected<std::string> read(const std::string& path) override
    {
        auto text = m_files->read(path);
        if (path == m_top && !m_appended) {
            m_appended = true;
            QFile f(QString::fromStdString(path));
            if (!f.open(QIODevice::Append) ||
                f.write("virtual_server 198.18.0.101 80 {\n    real_server 198.18.0.21 80 {\n    }\n}\n") <= 0) {
                return Unexpected<Failure>{Failure{"the test could not append to " + path}};
            }
        }
        return text;
    }
    std::vector<std::string> glob(const std::string& pattern) override { return m_files->glob(pattern); }

private:
    std::string m_top;
    std::unique_ptr<ConfigSource> m_files = makeFileConfigSource();
    bool m_appended = false;
};

bool writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

} // namespace

void TestKeepalivedConfig::editDuringTheReadIsSeenNextTime()
{
    // The agent's keepalived.config once answered, for good, with a file read before an append
    // that landed during the read: the stamp was taken after the read, so it matched the new file.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString conf = dir.filePath(QStringLiteral("keepalived.conf"));
    QVERIFY(writeFile(conf, "virtual_server 198.18.0.100 80 {\n    real_server 198.18.0.21 80 {\n    }\n}\n"));

    KeepalivedConfigFiles files;
    AppendAfterRead appender(conf.toStdString());
    auto first = files.load(conf.toStdString(), &appender);
    QVERIFY2(first, first ? "" : first.error().message.c_str());
    QCOMPARE(first->virtualServers.size(), std::size_t{1}); // read before the append
    QVERIFY(files.changed());

    auto second = files.load(conf.toStdString());
    QVERIFY(second);
    QCOMPARE(second->virtualServers.size(), std::size_t{2});
    QVERIFY(!files.changed());
    QCOMPARE(files.files(), std::vector<std::string>{conf.toStdString()});
}

void TestKeepalivedConfig::includedFileAddedIsSeen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("conf.d")));
    const QString conf = dir.filePath(QStringLiteral("keepalived.conf"));
    QVERIFY(writeFile(conf, "include " + dir.filePath(QStringLiteral("conf.d/*.conf")).toUtf8() + "\n"));

    KeepalivedConfigFiles files;
    auto empty = files.load(conf.toStdString());
    QVERIFY2(empty, empty ? "" : empty.error().message.c_str());
    QVERIFY(empty->virtualServers.empty());
    QVERIFY(!files.changed());

    // A new file where the include looks: no file read so far changed, the directory did.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("conf.d/web.conf")),
                      "virtual_server 198.18.0.100 80 {\n    real_server 198.18.0.21 80 {\n    }\n}\n"));
    QVERIFY(files.changed());
    auto withWeb = files.load(conf.toStdString());
    QVERIFY(withWeb);
    QCOMPARE(withWeb->virtualServers.size(), std::size_t{1});
    QCOMPARE(files.files().size(), std::size_t{2});
    QVERIFY(!files.changed());

    // An edit of the included file.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("conf.d/web.conf")), "# emptied\n"));
    QVERIFY(files.changed());

    // A top file that cannot be read: its appearance is a change too.
    KeepalivedConfigFiles missing;
    const QString absent = dir.filePath(QStringLiteral("absent.conf"));
    QVERIFY(!missing.load(absent.toStdString()));
    QCOMPARE(missing.files(), std::vector<std::string>{absent.toStdString()});
    QVERIFY(!missing.changed());
    QVERIFY(writeFile(absent, "# now here\n"));
    QVERIFY(missing.changed());
}

QTEST_GUILESS_MAIN(TestKeepalivedConfig)
#include "tst_keepalived_config.moc"
