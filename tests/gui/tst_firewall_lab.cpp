// The Firewall tab on the running lab (web1): a rule added through the structured
// editor, its preview (diff, lint clean), applied, confirmed over a new connection
// and listed; then a rule that drops SSH applied with force: the lint names the SSH
// packet and the rule, the countdown runs out, the agent rolls back, and the tab
// says so. In English and Chinese, with screenshots as test artifacts.

#include "guilab.h"

#include "firewall/firewalldialogs.h"
#include "firewall/firewallview.h"
#include "firewall/rulecopy.h"
#include "dialogs/modal.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTextDocumentFragment>
#include <QTest>
#include <QTreeWidget>

using namespace hadeck;
using hadeck::ui::MainWindow;

namespace {

const QString kChain = QStringLiteral("inet/hadeck_guitest/input");

QString artifacts() { return testing::artifactsDir(QStringLiteral("gui-firewall-lab")); }

bool save(QWidget* w, const QString& name, const QString& lang)
{
    return testing::saveShot(w, artifacts(), name, lang);
}

using testing::labExec;

QByteArray web1(const QStringList& cmd) { return labExec(QStringLiteral("web1"), cmd); }

QByteArray web1Ruleset() { return web1({QStringLiteral("nft"), QStringLiteral("list"), QStringLiteral("ruleset")}); }

QByteArray web1List(const QString& what, const QString& name)
{
    return web1({QStringLiteral("nft"), QStringLiteral("list"), what, QStringLiteral("inet"),
                 QStringLiteral("hadeck_guitest"), name});
}

QByteArray web2Ruleset()
{
    return labExec(QStringLiteral("web2"), {QStringLiteral("nft"), QStringLiteral("list"), QStringLiteral("ruleset")});
}

const QString kTableScript = QStringLiteral("add table inet hadeck_guitest; add chain inet hadeck_guitest input "
                                            "{ type filter hook input priority 0 ; policy accept ; }; "
                                            "add chain inet hadeck_guitest forward "
                                            "{ type filter hook forward priority 0 ; policy accept ; }; "
                                            "add set inet hadeck_guitest admins { type ipv4_addr ; }");

bool treeHas(QTreeWidget* tree, const QString& text)
{
    return !tree->findItems(text, Qt::MatchContains | Qt::MatchRecursive, 0).isEmpty();
}

} // namespace

/// Hands @p d to @p f when it is a dialog of the type @p f takes (and the test set @p f).
template <typename Dialog>
void driveIf(QDialog& d, const std::function<void(Dialog&)>& f)
{
    if (auto* dialog = dynamic_cast<Dialog*>(&d); dialog != nullptr && f) {
        f(*dialog);
    }
}

class TstFirewallLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void addRuleThenLockout_data();
    void addRuleThenLockout();

private:
    std::unique_ptr<MainWindow> m_window;
    ui::ClusterSession* m_session = nullptr;
    /// What the test does in each of the tab's dialogs when the view shows it (ui::Modal).
    struct Dialogs {
        std::function<void(ui::fw::RuleEditorDialog&)> editor;
        std::function<void(ui::fw::ChangePreviewDialog&)> preview;
        std::function<void(ui::fw::RuleCopyDialog&)> copy;
        std::function<void(ui::fw::ChainPolicyDialog&)> policy;
        std::function<void(ui::fw::SetElementsDialog&)> elements;
    } m_drive;
};

void TstFirewallLab::initTestCase()
{
    if (!testing::labIsUp()) {
        QSKIP("the lab is not up (no /run/hadeck-lab/inventory.json)");
    }
    ui::Modal::setDialogDriver([this](QDialog& d) {
        driveIf(d, m_drive.editor);
        driveIf(d, m_drive.preview);
        driveIf(d, m_drive.copy);
        driveIf(d, m_drive.policy);
        driveIf(d, m_drive.elements);
    });
    // A table of the test's own on web1 and web2 (the same role), so the tab has a chain to add
    // to, a chain to copy into, and a set to edit.
    web1({QStringLiteral("nft"), kTableScript});
    labExec(QStringLiteral("web2"), {QStringLiteral("nft"), kTableScript});
    QVERIFY(web1Ruleset().contains("hadeck_guitest"));
    QVERIFY(web2Ruleset().contains("hadeck_guitest"));
    auto lab = testing::openLabWindow(
        {QStringLiteral("dir1"), QStringLiteral("dir2"), QStringLiteral("web1"), QStringLiteral("web2")});
    m_window = std::move(lab.window);
    m_session = lab.session;
    QVERIFY2(lab.error.isEmpty(), qPrintable(lab.error));
    // The lint knows the virtual services from the directors' tables.
    QTRY_VERIFY_WITH_TIMEOUT(!m_session->model().node(QStringLiteral("dir1"))->ipvs.empty(), 30000);
}

void TstFirewallLab::cleanupTestCase()
{
    ui::Modal::setDialogDriver({});
    m_window.reset();
    if (testing::labIsUp()) {
        web1({QStringLiteral("nft"), QStringLiteral("delete table inet hadeck_guitest")});
        labExec(QStringLiteral("web2"), {QStringLiteral("nft"), QStringLiteral("delete table inet hadeck_guitest")});
    }
}

void TstFirewallLab::addRuleThenLockout_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
}

/// A failed check inside a hook returns early: the modal dialog is then closed, so the
/// failure is reported at once instead of the test waiting for its timeout.
static auto closeWhenLeftOpen(QDialog& d)
{
    return qScopeGuard([&d] {
        if (d.isVisible()) {
            d.reject();
        }
    });
}

void TstFirewallLab::addRuleThenLockout()
{
    QFETCH(QString, lang);
    m_window->setLanguage(lang);
    auto* view = m_window->firewallView();
    QVERIFY(view != nullptr);
    m_window->tabs()->setCurrentIndex(MainWindow::FirewallTab);
    m_session->selection().select(QStringLiteral("web1"));
    QTRY_COMPARE_WITH_TIMEOUT(view->node(), QStringLiteral("web1"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(view->ruleset() && treeHas(view->tree(), QStringLiteral("hadeck_guitest")), 20000);
    QTRY_VERIFY2_WITH_TIMEOUT(view->addButton()->isEnabled(), qPrintable(view->addButton()->toolTip()), 10000);

    // --- A good rule through the structured editor ---
    const QString comment = QStringLiteral("gui-web-%1").arg(lang);
    const QString port = lang == QLatin1String("en") ? QStringLiteral("8081") : QStringLiteral("8083");
    QString nftPreview;
    m_drive.editor = [&](ui::fw::RuleEditorDialog& d) {
        const auto closeOnFailure = closeWhenLeftOpen(d);
        d.chainBox()->setCurrentIndex(d.chainBox()->findData(kChain));
        d.protocolBox()->setCurrentIndex(d.protocolBox()->findData(QStringLiteral("tcp")));
        d.sourceEdit()->setText(QStringLiteral("198.18.0.0/15"));
        d.destinationPortsEdit()->setText(port + QStringLiteral(",8090"));
        d.actionBox()->setCurrentIndex(d.actionBox()->findData(QStringLiteral("accept")));
        d.commentEdit()->setText(comment);
        d.resize(640, d.sizeHint().height());
        QVERIFY(save(&d, QStringLiteral("01-editor"), lang));
        nftPreview = d.findChild<QLabel*>(QStringLiteral("rulePreview"))->text();
        d.accept();
    };
    int findings = -1;
    QString diff;
    m_drive.preview = [&](ui::fw::ChangePreviewDialog& d) {
        const auto closeOnFailure = closeWhenLeftOpen(d);
        findings = d.findingsList()->count();
        diff = d.diffView()->toPlainText();
        d.confirmBox()->setValue(30);
        QVERIFY(save(&d, QStringLiteral("02-preview"), lang));
        d.buttons()->button(QDialogButtonBox::Ok)->click();
    };
    QSignalSpy confirmed(view, &ui::FirewallView::changeConfirmed);
    QSignalSpy applied(view, &ui::FirewallView::changeApplied);
    // At the confirm, a screen still showing the old version must not offer edits: a change set
    // built on it would be refused as stale.
    bool editableWhileOld = false;
    const auto atConfirm = connect(view, &ui::FirewallView::changeConfirmed, this, [&] {
        editableWhileOld = editableWhileOld || (view->addButton()->isEnabled() && !treeHas(view->tree(), comment));
    });
    view->addButton()->click();
    QVERIFY2(nftPreview.contains(QStringLiteral("ip saddr 198.18.0.0/15 tcp dport { %1, 8090 } counter accept").arg(port)),
             qPrintable(nftPreview));
    QTRY_VERIFY_WITH_TIMEOUT(findings >= 0, 30000);
    QCOMPARE(findings, 0);
    QVERIFY2(diff.contains(comment), qPrintable(diff));
    QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 1, 30000);
    QVERIFY(view->countdownLabel()->isVisible() || confirmed.count() == 1);
    QTRY_COMPARE_WITH_TIMEOUT(confirmed.count(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(treeHas(view->tree(), comment), 20000);
    disconnect(atConfirm);
    QVERIFY2(!editableWhileOld, "edits were offered on the old ruleset right after the confirm");
    QTRY_VERIFY2_WITH_TIMEOUT(view->addButton()->isEnabled(), qPrintable(view->addButton()->toolTip()), 10000);
    QVERIFY(web1Ruleset().contains(comment.toUtf8()));
    QVERIFY(!view->countdownLabel()->isVisible());
    // Live counters: connection attempts from dir1 to the new rule's ports show up without a refresh.
    for (int i = 0; i < 3; ++i) {
        labExec(QStringLiteral("dir1"), {QStringLiteral("timeout"), QStringLiteral("3"), QStringLiteral("bash"), QStringLiteral("-c"),
                                         QStringLiteral("echo > /dev/tcp/198.18.0.21/") + port});
    }
    const auto packetsOf = [&] {
        const auto items = view->tree()->findItems(comment, Qt::MatchContains | Qt::MatchRecursive, 0);
        return items.isEmpty() ? 0 : items.first()->text(3).toLongLong();
    };
    QTRY_VERIFY_WITH_TIMEOUT(packetsOf() >= 3, 20000);
    QVERIFY(save(m_window.get(), QStringLiteral("03-confirmed"), lang));

    // --- The same rule copied to the other real server: its own change, checked and confirmed ---
    {
        const auto items = view->tree()->findItems(comment, Qt::MatchContains | Qt::MatchRecursive, 0);
        QVERIFY(!items.isEmpty());
        view->tree()->setCurrentItem(items.first());
    }
    QTRY_VERIFY2_WITH_TIMEOUT(view->copyButton()->isEnabled(), qPrintable(view->copyButton()->toolTip()), 10000);
    QStringList copyNodes;
    QStringList web2Steps; // what the admin sees on web2's row, step by step
    QString web2Result;
    int web2Outcome = -1;
    bool copyDone = false;
    bool stayedOpen = false;
    m_drive.copy = [&](ui::fw::RuleCopyDialog& d) {
        const auto closeOnFailure = closeWhenLeftOpen(d);
        for (int i = 0; i < d.nodesList()->count(); ++i) {
            copyNodes << d.nodesList()->item(i)->text();
        }
        d.confirmBox()->setValue(30);
        connect(d.results(), &QTreeWidget::itemChanged, &d, [&](QTreeWidgetItem* item, int column) {
            if (column == 1 && item->text(0) == QLatin1String("web2") &&
                (web2Steps.isEmpty() || web2Steps.last() != item->text(1))) {
                web2Steps << item->text(1);
            }
        });
        connect(&d, &ui::fw::RuleCopyDialog::copyFinished, &d, [&] {
            for (int i = 0; i < d.results()->topLevelItemCount(); ++i) {
                const auto* item = d.results()->topLevelItem(i);
                if (item->text(0) == QLatin1String("web2")) {
                    web2Result = item->text(1);
                    web2Outcome = item->data(0, Qt::UserRole).toInt();
                }
            }
            d.results()->resizeColumnToContents(1);
            save(&d, QStringLiteral("07-copy"), lang);
            copyDone = true;
            d.reject();
        });
        d.buttons()->button(QDialogButtonBox::Ok)->click();
        // Escape while the copy runs: the dialog stays, and the copy with it.
        d.reject();
        stayedOpen = d.isVisible();
    };
    view->copyButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(copyDone, 60000);
    QVERIFY(stayedOpen);
    QCOMPARE(copyNodes, QStringList{QStringLiteral("web2")}); // web1's role: realserver
    QVERIFY2(web2Outcome == int(ui::fw::RuleCopyJob::Outcome::Confirmed), qPrintable(web2Result));
    // Its own check (nft dry run and the lint for web2), then applied and confirmed over a new connection.
    qInfo("web2's copy, as shown: %s", qPrintable(web2Steps.join(QStringLiteral(" | "))));
    if (lang == QLatin1String("en")) {
        QVERIFY2(
            web2Steps.join(QLatin1Char('\n')).contains(QStringLiteral("lockout lint")) &&
                web2Steps.join(QLatin1Char('\n')).contains(QStringLiteral("confirming it over a new connection")) &&
                web2Result.startsWith(QStringLiteral("confirmed change")),
            qPrintable(web2Steps.join(QLatin1Char('\n'))));
    }
    QVERIFY(web2Ruleset().contains(comment.toUtf8()));
    m_drive.copy = nullptr;

    // --- Chain policy drop: the lint names the SSH packet, caused by the policy; not applied ---
    QVERIFY(view->select(kChain));
    QTRY_VERIFY_WITH_TIMEOUT(view->policyButton()->isEnabled(), 10000);
    m_drive.policy = [&](ui::fw::ChainPolicyDialog& d) {
        const auto closeOnFailure = closeWhenLeftOpen(d);
        d.policyBox()->setCurrentIndex(d.policyBox()->findData(QStringLiteral("drop")));
        d.buttons()->button(QDialogButtonBox::Ok)->click();
    };
    QStringList policyFindings;
    bool policyBlocked = false;
    m_drive.preview = [&](ui::fw::ChangePreviewDialog& d) {
        const auto closeOnFailure = closeWhenLeftOpen(d);
        for (int i = 0; i < d.findingsList()->count(); ++i) {
            // The tooltip shows the finding literally (escaped rich text): its words, as shown.
            policyFindings << QTextDocumentFragment::fromHtml(d.findingsList()->item(i)->toolTip()).toPlainText();
        }
        policyBlocked = d.blocked();
        QVERIFY(save(&d, QStringLiteral("08-policy-lint"), lang));
        d.reject();
    };
    view->policyButton()->click();
    QTRY_VERIFY2_WITH_TIMEOUT(!policyFindings.isEmpty(), qPrintable(view->noticeLabel()->text()), 30000);
    QVERIFY(policyBlocked);
    QVERIFY2(
        policyFindings.join(QLatin1Char('\n'))
                .contains(QStringLiteral("blocked: tcp 198.18.0.254 -> 198.18.0.21:22")) &&
            policyFindings.join(QLatin1Char('\n')).contains(QStringLiteral("by the inet hadeck_guitest input chain's")),
        qPrintable(policyFindings.join(QLatin1Char('\n'))));
    QVERIFY(web1Ruleset().contains("hook input priority filter; policy accept;"));

    // --- Chain policy on the forward chain (no packet the cluster needs crosses it on web1):
    //     drop, applied and confirmed, seen by nft; then accept again the same way ---
    const auto setPolicy = [&](const QString& policy, const char* shot) {
        QTRY_VERIFY_WITH_TIMEOUT(view->addButton()->isEnabled(), 10000);
        QVERIFY(view->select(QStringLiteral("inet/hadeck_guitest/forward")));
        QTRY_VERIFY_WITH_TIMEOUT(view->policyButton()->isEnabled(), 10000);
        m_drive.policy = [&, policy](ui::fw::ChainPolicyDialog& d) {
            const auto closeOnFailure = closeWhenLeftOpen(d);
            d.policyBox()->setCurrentIndex(d.policyBox()->findData(policy));
            d.buttons()->button(QDialogButtonBox::Ok)->click();
        };
        int policyFindingCount = -1;
        QString policyDiff;
        m_drive.preview = [&, shot](ui::fw::ChangePreviewDialog& d) {
            const auto closeOnFailure = closeWhenLeftOpen(d);
            policyFindingCount = d.findingsList()->count();
            policyDiff = d.diffView()->toPlainText();
            d.confirmBox()->setValue(30);
            if (shot != nullptr) {
                QVERIFY(save(&d, QString::fromLatin1(shot), lang));
            }
            d.buttons()->button(QDialogButtonBox::Ok)->click();
        };
        const int before = confirmed.count();
        view->policyButton()->click();
        QTRY_VERIFY2_WITH_TIMEOUT(policyFindingCount >= 0, qPrintable(view->noticeLabel()->text()), 30000);
        QCOMPARE(policyFindingCount, 0);
        QVERIFY2(policyDiff.contains(QStringLiteral("policy %1").arg(policy)), qPrintable(policyDiff));
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.count(), before + 1, 30000);
    };
    setPolicy(QStringLiteral("drop"), "08b-policy-preview");
    if (QTest::currentTestFailed()) {
        return;
    }
    QVERIFY2(web1List(QStringLiteral("chain"), QStringLiteral("forward"))
                 .contains("hook forward priority filter; policy drop;"),
             web1List(QStringLiteral("chain"), QStringLiteral("forward")).constData());
    const auto fwdWords = [&] {
        const auto items =
            view->tree()->findItems(QStringLiteral("chain forward"), Qt::MatchExactly | Qt::MatchRecursive, 0);
        return items.isEmpty() ? QString() : items.first()->text(1);
    };
    QTRY_VERIFY_WITH_TIMEOUT(fwdWords().endsWith(QStringLiteral("drop")), 20000); // the tab shows it too
    QVERIFY(save(m_window.get(), QStringLiteral("08c-policy-drop"), lang));
    setPolicy(QStringLiteral("accept"), nullptr);
    if (QTest::currentTestFailed()) {
        return;
    }
    QVERIFY2(web1List(QStringLiteral("chain"), QStringLiteral("forward"))
                 .contains("hook forward priority filter; policy accept;"),
             web1List(QStringLiteral("chain"), QStringLiteral("forward")).constData());
    QTRY_VERIFY_WITH_TIMEOUT(fwdWords().endsWith(QStringLiteral("accept")), 20000);
    m_drive.policy = nullptr;

    // --- Set elements: two added, then one deleted, each previewed and confirmed ---
    const QString a = lang == QLatin1String("en") ? QStringLiteral("198.18.0.250") : QStringLiteral("198.18.0.252");
    const QString b = lang == QLatin1String("en") ? QStringLiteral("198.18.0.251") : QStringLiteral("198.18.0.253");
    const auto editSet = [&](const std::function<void(ui::fw::SetElementsDialog&)>& fill, const char* shot) {
        QTRY_VERIFY_WITH_TIMEOUT(view->addButton()->isEnabled(), 10000);
        QVERIFY(view->select(QStringLiteral("inet/hadeck_guitest/admins")));
        QTRY_VERIFY_WITH_TIMEOUT(view->elementsButton()->isEnabled(), 10000);
        m_drive.elements = [&, fill, shot](ui::fw::SetElementsDialog& d) {
            const auto closeOnFailure = closeWhenLeftOpen(d);
            fill(d);
            QVERIFY(save(&d, QString::fromLatin1(shot), lang));
            d.buttons()->button(QDialogButtonBox::Ok)->click();
        };
        int setFindings = -1;
        m_drive.preview = [&](ui::fw::ChangePreviewDialog& d) {
            const auto closeOnFailure = closeWhenLeftOpen(d);
            setFindings = d.findingsList()->count();
            d.confirmBox()->setValue(30);
            d.buttons()->button(QDialogButtonBox::Ok)->click();
        };
        const int before = confirmed.count();
        view->elementsButton()->click();
        QTRY_VERIFY2_WITH_TIMEOUT(setFindings >= 0, qPrintable(view->noticeLabel()->text()), 30000);
        QCOMPARE(setFindings, 0);
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.count(), before + 1, 30000);
    };
    editSet([&](ui::fw::SetElementsDialog& d) { d.addEdit()->setText(a + QStringLiteral(", ") + b); }, "09-set-add");
    if (QTest::currentTestFailed()) {
        return;
    }
    QVERIFY(web1Ruleset().contains(a.toUtf8()) && web1Ruleset().contains(b.toUtf8()));
    const auto setShows = [&](const QString& element) {
        const auto items =
            view->tree()->findItems(QStringLiteral("set admins"), Qt::MatchContains | Qt::MatchRecursive, 0);
        return !items.isEmpty() && items.first()->text(2).contains(element);
    };
    QTRY_VERIFY_WITH_TIMEOUT(setShows(b), 20000);
    editSet(
        [&](ui::fw::SetElementsDialog& d) {
            for (int i = 0; i < d.elementsList()->count(); ++i) {
                if (d.elementsList()->item(i)->text() == b) {
                    d.elementsList()->item(i)->setCheckState(Qt::Checked);
                }
            }
        },
        "10-set-delete");
    if (QTest::currentTestFailed()) {
        return;
    }
    QVERIFY(web1Ruleset().contains(a.toUtf8()));
    QVERIFY(!web1Ruleset().contains(b.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(!setShows(b), 20000);
    // Put back: the last element deleted too, and the set is empty again on the node.
    editSet(
        [&](ui::fw::SetElementsDialog& d) {
            for (int i = 0; i < d.elementsList()->count(); ++i) {
                if (d.elementsList()->item(i)->text() == a) {
                    d.elementsList()->item(i)->setCheckState(Qt::Checked);
                }
            }
        },
        "11-set-put-back");
    if (QTest::currentTestFailed()) {
        return;
    }
    {
        const QByteArray set = web1List(QStringLiteral("set"), QStringLiteral("admins"));
        QVERIFY2(set.contains("set admins") && !set.contains(a.toUtf8()) && !set.contains("elements"), set.constData());
    }
    // The next change is made against the ruleset on screen: wait until the tab shows this one
    // (a change made against the version before it is refused as stale, by design).
    const auto setShowsNone = [&] {
        const auto items =
            view->tree()->findItems(QStringLiteral("set admins"), Qt::MatchContains | Qt::MatchRecursive, 0);
        return !items.isEmpty() && !items.first()->text(2).contains(a) && !items.first()->text(2).contains(b);
    };
    QTRY_VERIFY_WITH_TIMEOUT(setShowsNone(), 20000);
    m_drive.elements = nullptr;

    // --- A rule that drops SSH, applied with force: the agent rolls it back ---
    m_drive.editor = [&](ui::fw::RuleEditorDialog& d) {
        const auto closeOnFailure = closeWhenLeftOpen(d);
        d.chainBox()->setCurrentIndex(d.chainBox()->findData(kChain));
        d.positionBox()->setCurrentIndex(1); // at the start
        d.rawBox()->setChecked(true);
        d.rawEdit()->setPlainText(QStringLiteral("tcp dport 22 drop comment \"gui-lockout\""));
        d.accept();
    };
    QStringList findingTexts;
    m_drive.preview = [&](ui::fw::ChangePreviewDialog& d) {
        const auto closeOnFailure = closeWhenLeftOpen(d);
        for (int i = 0; i < d.findingsList()->count(); ++i) {
            findingTexts << d.findingsList()->item(i)->text();
        }
        const bool applyWithoutForce = d.buttons()->button(QDialogButtonBox::Ok)->isEnabled();
        QVERIFY(!applyWithoutForce);
        d.confirmBox()->setValue(10);
        d.forceBox()->setChecked(true);
        QVERIFY(save(&d, QStringLiteral("04-lint"), lang));
        d.buttons()->button(QDialogButtonBox::Ok)->click();
    };
    QSignalSpy rolledBack(view, &ui::FirewallView::changeRolledBack);
    const int appliedBefore = applied.count();
    QTRY_VERIFY_WITH_TIMEOUT(view->addButton()->isEnabled(), 10000);
    view->addButton()->click();
    QTRY_VERIFY2_WITH_TIMEOUT(!findingTexts.isEmpty(), qPrintable(view->noticeLabel()->text()), 30000);
    const QString all = findingTexts.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QStringLiteral(":22")) && all.contains(QStringLiteral("gui-lockout")), qPrintable(all));
    QTRY_COMPARE_WITH_TIMEOUT(applied.count(), appliedBefore + 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(view->countdownLabel()->isVisible(), 5000);
    QTest::qWait(2500); // the countdown visibly counting, for the picture
    QVERIFY(save(m_window.get(), QStringLiteral("05-countdown"), lang));
    QTRY_VERIFY2_WITH_TIMEOUT(
        rolledBack.count() == 1,
        qPrintable(view->countdownLabel()->text() + QStringLiteral(" | ") + view->noticeLabel()->text()), 60000);
    const QString rolledId = rolledBack.first().at(0).toString();
    QVERIFY(view->noticeLabel()->isVisible());
    QVERIFY(!view->countdownLabel()->isVisible());
    // The rollback notice names the change, also while the console's own link is still down
    // (a failed read of the ruleset must not replace it).
    QTest::qWait(200);
    const QString notice = view->noticeLabel()->text();
    QVERIFY2(notice.contains(rolledId), qPrintable(notice));
    QVERIFY(save(m_window.get(), QStringLiteral("06-rolled-back"), lang));
    qInfo("rollback notice: %s", qPrintable(notice));
    QVERIFY(!web1Ruleset().contains("gui-lockout"));
    QVERIFY(web1Ruleset().contains(comment.toUtf8())); // the confirmed rule stays
    // The console reconnects by itself; the notice stays, without a read error beneath it.
    QTRY_VERIFY_WITH_TIMEOUT(m_session->model().node(QStringLiteral("web1"))->link == console::NodeState::Online,
                             60000);
    QTRY_VERIFY_WITH_TIMEOUT(view->ruleset() && !treeHas(view->tree(), QStringLiteral("gui-lockout")), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(view->noticeLabel()->text(), notice.section(QLatin1Char('\n'), 0, 0), 30000);
    QVERIFY(save(m_window.get(), QStringLiteral("06b-reconnected"), lang));
    m_drive.editor = nullptr;
    m_drive.preview = nullptr;
}

QTEST_MAIN(TstFirewallLab)
#include "tst_firewall_lab.moc"
