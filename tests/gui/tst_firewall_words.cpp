// Firewall rules in words (from the agent's libnftables JSON, as captured in
// tests/data/firewall/ruleset.json) and rules built from the editor's fields.

#include "firewall/firewalldialogs.h"
#include "firewall/rulewords.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>

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
    void draft_data();
    void draft();
    void editorBuildsTheChange();
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

QTEST_MAIN(TstFirewallWords)
#include "tst_firewall_words.moc"
