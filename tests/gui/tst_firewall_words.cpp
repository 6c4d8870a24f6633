// Firewall rules in words (from the agent's libnftables JSON, as captured in
// tests/data/firewall/ruleset.json) and rules built from the editor's fields.

#include "app/clustersession.h"
#include "firewall/firewalldialogs.h"
#include "firewall/rulecopy.h"
#include "app/language.h"
#include "firewall/rulewords.h"
#include "hadeck/console/firewall/linttext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace hadeck;
using hadeck::ui::fw::RuleDraft;

namespace {

/// The captured ruleset's rule with @p handle, as the agent carries it (expr only matters here).
proto::fw::Rule capturedRule(int handle)
{
    QFile f(QStringLiteral(HADECK_TEST_DATA "/firewall/ruleset.json"));
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    const auto doc = proto::fw::Json::parse(f.readAll().toStdString());
    for (const auto& item : doc["nftables"]) {
        if (item.contains("rule") && item["rule"]["handle"] == handle) {
            proto::fw::Rule r;
            r.handle = static_cast<std::uint64_t>(handle);
            r.expr = item["rule"]["expr"];
            return r;
        }
    }
    return {};
}

} // namespace

class TstFirewallWords : public QObject {
    Q_OBJECT
private slots:
    void words_data();
    void words();
    void unknownMatchIsSaid();
    void malformedRulesHaveWords_data();
    void malformedRulesHaveWords();
    void draft_data();
    void draft();
    void editorBuildsTheChange();
    void copyDialogStaysWhileCopying();
    void lintFindingsInTheConsolesLanguage();
};

void TstFirewallWords::words_data()
{
    QTest::addColumn<int>("handle");
    QTest::addColumn<QString>("expected");
    QTest::newRow("ct state") << 8 << QStringLiteral("accept all traffic in connection state established, related");
    QTest::newRow("iifname") << 9 << QStringLiteral("accept all traffic coming in on lo");
    QTest::newRow("invalid") << 10 << QStringLiteral("drop all traffic in connection state invalid");
    QTest::newRow("vrrp prefix") << 11 << QStringLiteral("accept vrrp from 198.18.1.0/24");
    QTest::newRow("ssh from set") << 12 << QStringLiteral("accept tcp from set admin_nets to port 22");
}

void TstFirewallWords::words()
{
    QFETCH(int, handle);
    QFETCH(QString, expected);
    const auto rule = capturedRule(handle);
    QVERIFY2(!rule.expr.empty(), "rule not in the fixture");
    QCOMPARE(ui::fw::ruleInWords(rule), expected);
}

void TstFirewallWords::unknownMatchIsSaid()
{
    proto::fw::Rule r;
    r.expr = proto::fw::Json::parse(R"([{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":22}},
        {"limit":{"rate":10,"per":"second"}},{"accept":null}])");
    const QString words = ui::fw::ruleInWords(r);
    QVERIFY2(words.startsWith(QStringLiteral("accept tcp to port 22")), qPrintable(words));
    QVERIFY2(words.contains(QStringLiteral("nft text")), qPrintable(words));
}

void TstFirewallWords::malformedRulesHaveWords_data()
{
    // The agent's expr is not trusted to be nft's: a value of the wrong type is a match the words
    // cannot read, said as such, never an exception out of the view that shows the ruleset.
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("expected");
    const QString more = QStringLiteral(" (and a match shown only in the nft text)");
    QTest::newRow("numeric protocol")
        << R"([{"match":{"op":"==","left":{"payload":{"protocol":6,"field":"dport"}},"right":22}},{"accept":null}])"
        << QStringLiteral("accept all traffic") + more;
    QTest::newRow("numeric field") << R"([{"match":{"left":{"payload":{"protocol":"tcp","field":7}},"right":22}}])"
                                   << QStringLiteral("continue all traffic") + more;
    QTest::newRow("match not an object") << R"([{"match":5},{"drop":null}])"
                                         << QStringLiteral("drop all traffic") + more;
    QTest::newRow("left array, right object")
        << R"([{"match":{"left":[],"right":{}}}])" << QStringLiteral("continue all traffic") + more;
    QTest::newRow("left array") << R"([{"match":{"left":[],"right":22}}])"
                                << QStringLiteral("continue all traffic") + more;
    QTest::newRow("numeric op")
        << R"([{"match":{"op":1,"left":{"meta":{"key":"iifname"}},"right":"eth0"}},{"accept":null}])"
        << QStringLiteral("accept all traffic") + more;
    QTest::newRow("numeric meta key") << R"([{"match":{"left":{"meta":{"key":1}},"right":"eth0"}}])"
                                      << QStringLiteral("continue all traffic") + more;
    QTest::newRow("numeric ct key") << R"([{"match":{"left":{"ct":{"key":1}},"right":"new"}},{"accept":null}])"
                                    << QStringLiteral("accept all traffic") + more;
    QTest::newRow("numeric jump target") << R"([{"jump":{"target":5}}])"
                                         << QStringLiteral("jump to ? all traffic") + more;
    QTest::newRow("goto without target") << R"([{"goto":7}])" << QStringLiteral("go to ? all traffic") + more;
    QTest::newRow("numeric log prefix") << R"([{"log":{"prefix":1}},{"accept":null}])"
                                        << QStringLiteral("log accept all traffic");
    QTest::newRow("statements not objects") << R"([5,"x",null,[],{}])" << QStringLiteral("continue all traffic") + more;
    QTest::newRow("largest port")
        << R"([{"match":{"left":{"payload":{"protocol":"tcp","field":"dport"}},"right":18446744073709551615}}])"
        << QStringLiteral("continue tcp to port 18446744073709551615");
    // A set with an element it cannot read is not shown as if it were all of the set.
    QTest::newRow("unreadable set element")
        << R"([{"match":{"left":{"payload":{"protocol":"tcp","field":"dport"}},"right":{"set":[22,{"prefix":5}]}}}])"
        << QStringLiteral("continue all traffic") + more;
    QTest::newRow("prefix of wrong types")
        << R"([{"match":{"left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":1,"len":"x"}}}}])"
        << QStringLiteral("continue all traffic") + more;
}

void TstFirewallWords::malformedRulesHaveWords()
{
    QFETCH(QString, expr);
    QFETCH(QString, expected);
    proto::fw::Rule r;
    r.expr = proto::fw::Json::parse(expr.toStdString());
    r.text = "tcp dport 22 accept";
    QString words;
    try {
        words = ui::fw::ruleInWords(r);
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
    QCOMPARE(words, expected);
}

void TstFirewallWords::draft_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("dports");
    QTest::addColumn<QString>("iif");
    QTest::addColumn<QStringList>("ct");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("comment");
    QTest::addColumn<QString>("expected"); // empty: refused
    QTest::newRow("ssh from prefix") << "tcp" << "198.18.1.0/24" << "22" << "" << QStringList{} << "accept" << ""
                                     << "ip saddr 198.18.1.0/24 tcp dport 22 counter accept";
    QTest::newRow("list, set, state") << "tcp" << "@admin_nets" << "80,443" << "eth0" << QStringList{"new", "established"}
                                      << "drop" << "web"
                                      << "iifname \"eth0\" ip saddr @admin_nets tcp dport { 80, 443 } ct state { new, established } "
                                         "counter drop comment \"web\"";
    QTest::newRow("range udp reject") << "udp" << "" << "8000-8080" << "" << QStringList{} << "reject" << ""
                                      << "udp dport 8000-8080 counter reject";
    QTest::newRow("icmp count") << "icmp" << "" << "" << "" << QStringList{} << "counter" << "" << "meta l4proto icmp counter";
    QTest::newRow("v6") << "" << "2001:db8::/32" << "" << "" << QStringList{} << "accept" << ""
                        << "ip6 saddr 2001:db8::/32 counter accept";
    QTest::newRow("bad address") << "tcp" << "198.18.1.300" << "22" << "" << QStringList{} << "accept" << "" << "";
    QTest::newRow("ports without tcp/udp") << "" << "" << "22" << "" << QStringList{} << "accept" << "" << "";
    QTest::newRow("bad port") << "tcp" << "" << "70000" << "" << QStringList{} << "accept" << "" << "";
    QTest::newRow("quote in comment") << "tcp" << "" << "22" << "" << QStringList{} << "accept" << "a\" ; flush ruleset" << "";
    QTest::newRow("bad interface") << "tcp" << "" << "22" << "eth0\"; drop" << QStringList{} << "accept" << "" << "";
}

void TstFirewallWords::draft()
{
    QFETCH(QString, protocol);
    QFETCH(QString, source);
    QFETCH(QString, dports);
    QFETCH(QString, iif);
    QFETCH(QStringList, ct);
    QFETCH(QString, action);
    QFETCH(QString, comment);
    QFETCH(QString, expected);
    RuleDraft d;
    d.protocol = protocol;
    d.source = source;
    d.destinationPorts = dports;
    d.inInterface = iif;
    d.ctStates = ct;
    d.action = action;
    d.comment = comment;
    QString error;
    const QString text = ui::fw::draftToNft(d, &error);
    QCOMPARE(text, expected);
    QCOMPARE(error.isEmpty(), !expected.isEmpty());
}

void TstFirewallWords::editorBuildsTheChange()
{
    proto::fw::Ruleset rs;
    rs.tables.push_back({"inet", "filter", 1, false});
    proto::fw::Chain input;
    input.family = "inet";
    input.table = "filter";
    input.name = "input";
    input.hook = "input";
    input.type = "filter";
    input.policy = "drop";
    rs.chains.push_back(input);
    proto::fw::Rule r;
    r.family = "inet";
    r.table = "filter";
    r.chain = "input";
    r.handle = 7;
    r.text = "ct state established accept";
    rs.rules.push_back(r);
    ui::fw::RuleEditorDialog d(rs, QStringLiteral("inet/filter/input"));
    d.protocolBox()->setCurrentIndex(d.protocolBox()->findData(QStringLiteral("tcp")));
    d.destinationPortsEdit()->setText(QStringLiteral("22"));
    d.positionBox()->setCurrentIndex(d.positionBox()->findData(QStringLiteral("before:7")));
    auto c = d.change();
    QVERIFY(c);
    QVERIFY(c->op == proto::fw::ChangeOp::InsertRule);
    QCOMPARE(c->position, std::uint64_t(7));
    QCOMPARE(QString::fromStdString(c->chain), QStringLiteral("input"));
    QCOMPARE(QString::fromStdString(c->rule), QStringLiteral("tcp dport 22 counter accept"));
    // Expert mode starts from the fields' rule and sends the text as written.
    d.rawBox()->setChecked(true);
    QCOMPARE(d.rawEdit()->toPlainText(), QStringLiteral("tcp dport 22 counter accept"));
    d.rawEdit()->setPlainText(QStringLiteral("tcp dport 2222 accept"));
    c = d.change();
    QVERIFY(c);
    QCOMPARE(QString::fromStdString(c->rule), QStringLiteral("tcp dport 2222 accept"));
    // Bad fields: no change.
    d.rawBox()->setChecked(false);
    d.sourceEdit()->setText(QStringLiteral("not-an-address"));
    QString error;
    QVERIFY(!d.change(&error));
    QVERIFY(error.contains(QStringLiteral("not-an-address")));
}

/// Escape or the window's close button during a copy (QDialog::reject) must not close the
/// dialog: the job is its child, so closing would end the copy between a node's apply and its
/// confirmation, with no per-node result shown.
void TstFirewallWords::copyDialogStaysWhileCopying()
{
    QTemporaryDir dir;
    console::ClusterInventory inv;
    inv.name = QStringLiteral("copy");
    for (const auto& name : {QStringLiteral("web1"), QStringLiteral("web2"), QStringLiteral("db1")}) {
        console::NodeSpec n;
        n.name = name;
        n.transport = console::NodeSpec::TransportKind::Local;
        n.socket = dir.filePath(name + QStringLiteral(".sock")); // no agent: never connected
        n.roles = {name.startsWith(QLatin1String("web")) ? QStringLiteral("realserver") : QStringLiteral("db")};
        inv.nodes.push_back(n);
    }
    ui::ClusterSession session(inv, nullptr);
    proto::fw::Rule rule;
    rule.family = "inet";
    rule.table = "filter";
    rule.chain = "input";
    rule.handle = 7;
    rule.text = "tcp dport 8081 accept";
    ui::fw::RuleCopyDialog dialog(&session, QStringLiteral("web1"), rule);
    dialog.show();
    QCOMPARE(dialog.nodesList()->count(), 1);
    QCOMPARE(dialog.nodesList()->item(0)->text(), QStringLiteral("web2"));
    dialog.buttons()->button(QDialogButtonBox::Ok)->click();
    QVERIFY(!dialog.finished());
    dialog.reject(); // Escape while the copy runs
    QVERIFY2(dialog.isVisible(), "the copy dialog closed while its copy was running");
    QTRY_VERIFY_WITH_TIMEOUT(dialog.finished(), 5000);
    QCOMPARE(dialog.results()->topLevelItemCount(), 1);
    const auto* row = dialog.results()->topLevelItem(0);
    QCOMPARE(row->text(0), QStringLiteral("web2"));
    QCOMPARE(row->data(0, Qt::UserRole).toInt(), int(ui::fw::RuleCopyJob::Outcome::Failed));
    QVERIFY2(row->text(1).contains(QStringLiteral("nothing changed")), qPrintable(row->text(1)));
    dialog.reject(); // once it ended, it closes
    QVERIFY(!dialog.isVisible());
}

// The lockout lint's findings: in English exactly as the audit log keeps them (Finding::text()),
// and in zh_CN with the packet's words, the reason the cluster needs it and the deciding rule
// translated (they were English inside the Chinese dialog), and Qt's own buttons too.
void TstFirewallWords::lintFindingsInTheConsolesLanguage()
{
    using namespace console::fw;
    ClusterFacts facts;
    facts.nodes = {{"web1", "198.18.0.21", {proto::Role::RealServer}},
                   {"web%2", "198.18.0.22", {proto::Role::RealServer}},
                   {"db1", "198.18.0.31", {proto::Role::Db}}};
    facts.consoleAddresses = {"198.18.0.254"};
    facts.interfaces = {{"eth0", {"198.18.0.31/15"}}};
    facts.defaultInterface = "eth0";
    const auto needs = neededPackets(facts, "db1");
    QCOMPARE(needs.size(), std::size_t(3)); // SSH, and MariaDB from each web node
    std::vector<Finding> findings;
    for (const auto& n : needs) {
        Decision d;
        d.verdict = Verdict::Drop;
        d.family = "inet";
        d.table = "filter";
        d.chain = "input";
        d.handle = 7;
        d.ruleText = "tcp dport { 22, 3306 } drop comment \"%1\"";
        findings.push_back(Finding{n, d});
    }
    Decision policy;
    policy.verdict = Verdict::CannotJudge;
    policy.family = "inet";
    policy.table = "filter";
    policy.chain = "input";
    policy.why = {QT_TRANSLATE_NOOP("FirewallLint", "policy %1"), {"drop"}};
    findings.push_back(Finding{needs[1], policy});
    Decision unread = findings[1].decision; // rule #7 has a match the evaluator cannot read
    unread.verdict = Verdict::CannotJudge;
    unread.why = {QT_TRANSLATE_NOOP("FirewallLint", "the match %1 %2"), {"tcp", "flags"}};
    findings.push_back(Finding{needs[1], unread});

    ui::Language language;
    QVERIFY(language.apply(QStringLiteral("en")));
    for (const auto& f : findings) {
        QCOMPARE(findingText(f), QString::fromStdString(f.text()));
    }
    QCOMPARE(needText(needs[2]), QStringLiteral("MariaDB from the web node web%2")); // a name is not a placeholder

    QVERIFY(language.apply(QStringLiteral("zh_CN")));
    const QString zh = findingText(findings[1]);
    QVERIFY2(zh != QString::fromStdString(findings[1].text()), qPrintable(zh));
    QVERIFY2(!zh.contains(QLatin1String("blocked")) && !zh.contains(QLatin1String("MariaDB from the web node")) &&
                 !zh.contains(QLatin1String("by rule")) && !zh.contains(QLatin1String(", in eth0")),
             qPrintable(zh));
    // What the admin must match against nft stays as nft writes it.
    QVERIFY2(zh.contains(QLatin1String("tcp 198.18.0.21 -> 198.18.0.31:3306")) && zh.contains(QLatin1String("web1")) &&
                 zh.contains(QLatin1String("inet filter input #7")) && zh.contains(QLatin1String("comment \"%1\"")),
             qPrintable(zh));
    QVERIFY2(!needText(needs[0]).contains(QLatin1String("SSH from the console")), qPrintable(needText(needs[0])));
    QVERIFY2(!findingText(findings[3]).startsWith(QLatin1String("cannot judge")), qPrintable(findingText(findings[3])));
    // The evaluator's own reasons: translated, with nft's words as they are.
    const QString policyZh = findingText(findings[3]);
    QVERIFY2(!policyZh.contains(QLatin1String("policy drop")) && policyZh.contains(QLatin1String("drop")),
             qPrintable(policyZh));
    const QString unreadZh = findingText(findings[4]);
    QVERIFY2(!unreadZh.contains(QLatin1String("the match")) && unreadZh.contains(QLatin1String("tcp flags")),
             qPrintable(unreadZh));
    // The preview dialog's own text and Qt's standard buttons.
    const QString explained = ui::fw::ChangePreviewDialog::explain(findings[1]);
    QVERIFY2(!explained.contains(QLatin1String("MariaDB from the web node")) &&
                 !explained.contains(QLatin1String("in eth0")),
             qPrintable(explained));
    for (const auto* f : {&findings[3], &findings[4]}) { // the evaluator's reasons there too
        const QString e = ui::fw::ChangePreviewDialog::explain(*f);
        QVERIFY2(!e.contains(QLatin1String("policy drop")) && !e.contains(QLatin1String("the match")), qPrintable(e));
    }
    QDialogButtonBox box(QDialogButtonBox::Cancel);
    QVERIFY2(box.button(QDialogButtonBox::Cancel)->text() != QLatin1String("Cancel"),
             "Qt's own catalog (qtbase_zh_CN) is not loaded");
    QVERIFY(language.apply(QStringLiteral("en")));
}

QTEST_MAIN(TstFirewallWords)
#include "tst_firewall_words.moc"
