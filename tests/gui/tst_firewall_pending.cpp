// A change pending on a node that the Firewall tab did not make, applied with
// hadeckctl --no-confirm as a second admin would: the tab shows it (from the
// subscription's snapshot when opened later, from the agent's event when open),
// with whose it is and its time left, holds back edits meanwhile, and offers to
// keep it (confirmed over a new connection) or to roll it back now. The tab's own
// apply whose answer never comes (the agent stalled) is reported as maybe live,
// and shown the same way once the agent goes on. A real sshd, agent and nft in a
// private network namespace (root).

#include "app/clustersession.h"
#include "app/mainwindow.h"
#include "dialogs/modal.h"
#include "firewall/firewalldialogs.h"
#include "firewall/firewallview.h"
#include "sshtestenv.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

#include <unistd.h>

using namespace hadeck;
using namespace hadeck::test;
using hadeck::ui::MainWindow;

namespace {

QByteArray inputChain()
{
    return runProgram(QStringLiteral("nft"), {QStringLiteral("list"), QStringLiteral("chain"), QStringLiteral("inet"),
                                              QStringLiteral("hadeck_filter"), QStringLiteral("input")})
        .out;
}

bool rulesetHas(const proto::fw::Ruleset& rs, const std::string& comment)
{
    return std::any_of(rs.rules.begin(), rs.rules.end(),
                       [&](const proto::fw::Rule& r) { return r.comment == comment; });
}

} // namespace

class TstFirewallPending : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void pendingAtOpenIsShownAndRolledBack();
    void pendingByEventIsShownAndKept();
    void ownApplyWithoutAnswerIsShownWhenTheAgentGoesOn();

private:
    ProcessResult ctl(const QStringList& args)
    {
        return runProgram(
            hadeckctlBinary(), QStringList{QStringLiteral("--cluster"), m_inventory, QStringLiteral("--batch")} + args,
            {.timeoutMs = 120000, .environment = {{QStringLiteral("HADECK_LANG"), QStringLiteral("en")}}});
    }
    /// Applies a rule with this comment through hadeckctl and leaves it pending; its id.
    QString applyElsewhere(const QString& comment, int port);
    void openWindow();

    FirewallNode m_node;
    QString m_inventory;
    std::unique_ptr<MainWindow> m_window;
    ui::FirewallView* m_view = nullptr;
};

void TstFirewallPending::initTestCase()
{
    if (const QString why = FirewallNode::cannotRun(); !why.isEmpty()) {
        QSKIP(qPrintable(why));
    }
    QString error;
    QVERIFY2(m_node.start(QStringLiteral(HADECK_TEST_DATA "/firewall/node.nft"), &error), qPrintable(error));
    m_inventory = m_node.inventory();
}

void TstFirewallPending::cleanupTestCase()
{
    ui::Modal::setNextAnswer(QMessageBox::NoButton);
    ui::Modal::setDialogDriver({});
    if (m_node.started()) {
        ::kill(m_node.agent().pid(), SIGCONT); // a failed check may have left it stopped
    }
    m_window.reset();
    m_node.stop();
}

QString TstFirewallPending::applyElsewhere(const QString& comment, int port)
{
    const auto r =
        ctl({QStringLiteral("fw"), QStringLiteral("apply"), QStringLiteral("web1"), QStringLiteral("--add-rule"),
             QStringLiteral("tcp dport %1 accept comment \"%2\"").arg(port).arg(comment), QStringLiteral("--chain"),
             QStringLiteral("inet/hadeck_filter/input"), QStringLiteral("--no-confirm"),
             QStringLiteral("--confirm-within"), QStringLiteral("300")});
    const auto m =
        QRegularExpression(QStringLiteral("applied (\\S+) on web1, not confirmed")).match(QString::fromUtf8(r.out));
    if (r.code != 0 || !m.hasMatch()) {
        qWarning("hadeckctl: %s%s", r.out.constData(), r.err.constData());
        return {};
    }
    return m.captured(1);
}

void TstFirewallPending::openWindow()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1200, 800);
    m_window->show();
    QCOMPARE(m_window->openClusterFile(m_inventory), QString());
    m_view = m_window->firewallView();
    QVERIFY(m_view != nullptr);
    m_window->tabs()->setCurrentIndex(MainWindow::FirewallTab);
    m_window->currentSession()->selection().select(QStringLiteral("web1"));
    QTRY_COMPARE_WITH_TIMEOUT(m_view->node(), QStringLiteral("web1"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->ruleset().has_value(), 20000);
}

/// Applied before the console looked: the subscription's snapshot brings it. Rolled back from the tab.
void TstFirewallPending::pendingAtOpenIsShownAndRolledBack()
{
    const QString id = applyElsewhere(QStringLiteral("gui-other-1"), 8601);
    QVERIFY(!id.isEmpty());
    QVERIFY(inputChain().contains("gui-other-1"));
    openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(m_view->otherPending() && m_view->otherPending()->id == id.toStdString(), 20000);
    QVERIFY(m_view->otherPendingLabel()->isVisible());
    const QString text = m_view->otherPendingLabel()->text();
    QVERIFY2(text.contains(id) && text.contains(QStringLiteral("by root")) &&
                 text.contains(QStringLiteral("rolls it back in")),
             qPrintable(text));
    QTRY_VERIFY_WITH_TIMEOUT(m_view->rollbackOtherButton()->isEnabled(), 10000);
    QVERIFY(m_view->keepOtherButton()->isEnabled());
    // No edit on top of a change that may still be rolled back.
    QVERIFY(!m_view->addButton()->isEnabled());
    QVERIFY2(m_view->addButton()->toolTip().contains(QStringLiteral("waiting for its confirmation")),
             qPrintable(m_view->addButton()->toolTip()));
    QSignalSpy changed(m_view, &ui::FirewallView::otherPendingChanged);
    ui::Modal::setNextAnswer(QMessageBox::Yes);
    m_view->rollbackOtherButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->otherPending(), 20000);
    QVERIFY(changed.count() >= 1);
    QVERIFY(!m_view->otherPendingLabel()->isVisible());
    QVERIFY(!inputChain().contains("gui-other-1"));
    QVERIFY(ctl({QStringLiteral("fw"), QStringLiteral("pending"), QStringLiteral("web1")})
                .out.contains("nothing is waiting"));
    // Rolled back as asked: the answer says so, and the agent's event (which comes before the
    // read of the ruleset without the rule) raises no alarm over it.
    QTRY_VERIFY_WITH_TIMEOUT(m_view->ruleset() && !rulesetHas(*m_view->ruleset(), "gui-other-1"), 20000);
    QVERIFY2(m_view->noticeLabel()->text().contains(QStringLiteral("web1: change %1 rolled back; restored").arg(id)),
             qPrintable(m_view->noticeLabel()->text()));
    QTRY_VERIFY2_WITH_TIMEOUT(m_view->addButton()->isEnabled(), qPrintable(m_view->addButton()->toolTip()), 20000);
}

/// Applied while the tab is open: the agent's event brings it. Kept from the tab, over a new connection.
void TstFirewallPending::pendingByEventIsShownAndKept()
{
    QVERIFY(m_view != nullptr);
    const QString id = applyElsewhere(QStringLiteral("gui-other-2"), 8602);
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_view->otherPending() && m_view->otherPending()->id == id.toStdString(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->keepOtherButton()->isEnabled(), 10000);
    const QString artifacts = qEnvironmentVariable("HADECK_ARTIFACTS");
    if (!artifacts.isEmpty()) {
        m_window->grab().save(artifacts + QStringLiteral("/firewall-other-pending-en.png"));
    }
    QSignalSpy confirmed(m_view, &ui::FirewallView::changeConfirmed);
    ui::Modal::setNextAnswer(QMessageBox::Yes);
    m_view->keepOtherButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(confirmed.count(), 1, 30000);
    QCOMPARE(confirmed.first().first().toString(), id);
    QVERIFY(!m_view->otherPending());
    QVERIFY(!m_view->countdownLabel()->isVisible());
    // Once the tab has read the kept ruleset, its notice still says so (the first case's rollback
    // notice lasts only until the admin's next act, and keeping this change is one).
    QTRY_VERIFY_WITH_TIMEOUT(m_view->ruleset() && rulesetHas(*m_view->ruleset(), "gui-other-2"), 20000);
    QVERIFY2(m_view->noticeLabel()->text().contains(QStringLiteral("Confirmed change %1").arg(id)),
             qPrintable(m_view->noticeLabel()->text()));
    QVERIFY(inputChain().contains("gui-other-2"));
    QVERIFY(ctl({QStringLiteral("fw"), QStringLiteral("pending"), QStringLiteral("web1")})
                .out.contains("nothing is waiting"));
    QFile persisted(m_node.filePath(QStringLiteral("nftables.conf")));
    QVERIFY(persisted.open(QIODevice::ReadOnly));
    QVERIFY(persisted.readAll().contains("gui-other-2"));
}

/// The tab's own apply goes out while the agent is stopped: no answer comes, and the tab says the
/// change may be live instead of "not applied". When the agent goes on, it carries the change out,
/// and the tab shows it as pending (from the event, or the snapshot after a reconnect), to be kept.
void TstFirewallPending::ownApplyWithoutAnswerIsShownWhenTheAgentGoesOn()
{
    QVERIFY(m_view != nullptr);
    QTRY_VERIFY2_WITH_TIMEOUT(m_view->addButton()->isEnabled(), qPrintable(m_view->addButton()->toolTip()), 20000);
    m_view->select(QStringLiteral("inet/hadeck_filter/input"));
    bool stopped = false;
    ui::Modal::setDialogDriver([&](QDialog& d) {
        if (auto* editor = dynamic_cast<ui::fw::RuleEditorDialog*>(&d)) {
            editor->chainBox()->setCurrentIndex(
                editor->chainBox()->findData(QStringLiteral("inet/hadeck_filter/input")));
            editor->rawBox()->setChecked(true);
            editor->rawEdit()->setPlainText(QStringLiteral("tcp dport 8603 accept comment \"gui-lost\""));
            editor->accept();
        } else if (auto* preview = dynamic_cast<ui::fw::ChangePreviewDialog*>(&d)) {
            preview->confirmBox()->setValue(120);
            if (preview->blocked()) {
                preview->forceBox()->setChecked(true);
            }
            stopped = ::kill(m_node.agent().pid(), SIGSTOP) == 0; // the request goes out, the answer never comes
            preview->buttons()->button(QDialogButtonBox::Ok)->click();
        }
    });
    m_view->addButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(stopped, 30000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_view->noticeLabel()->text().contains(QStringLiteral("No answer from web1 to the change")),
        qPrintable(m_view->noticeLabel()->text()), 60000);
    QVERIFY2(m_view->noticeLabel()->text().contains(QStringLiteral("it may be live")),
             qPrintable(m_view->noticeLabel()->text()));
    QVERIFY(!m_view->otherPending());
    ui::Modal::setDialogDriver({});
    QCOMPARE(::kill(m_node.agent().pid(), SIGCONT), 0);
    QTRY_VERIFY_WITH_TIMEOUT(inputChain().contains("gui-lost"), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->otherPending().has_value(), 60000);
    QVERIFY(!m_view->otherPending()->diff.empty());
    QVERIFY(QString::fromStdString(m_view->otherPending()->diff.front()).contains(QStringLiteral("gui-lost")));
    QSignalSpy confirmed(m_view, &ui::FirewallView::changeConfirmed);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->keepOtherButton()->isEnabled(), 30000);
    ui::Modal::setNextAnswer(QMessageBox::Yes);
    m_view->keepOtherButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(confirmed.count(), 1, 30000);
    QVERIFY(ctl({QStringLiteral("fw"), QStringLiteral("pending"), QStringLiteral("web1")})
                .out.contains("nothing is waiting"));
    QVERIFY(inputChain().contains("gui-lost"));
}

QTEST_MAIN(TstFirewallPending)
#include "tst_firewall_pending.moc"
