// The Firewall tab on the running lab (web1): a rule added through the structured
// editor, its preview (diff, lint clean), applied, confirmed over a new connection
// and listed; then a rule that drops SSH applied with force: the lint names the SSH
// packet and the rule, the countdown runs out, the agent rolls back, and the tab
// says so. In English and Chinese, with screenshots as test artifacts.

#include "guitest.h"

#include "app/clustersession.h"
#include "app/mainwindow.h"
#include "firewall/firewalldialogs.h"
#include "firewall/firewallview.h"

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
#include <QTest>
#include <QTreeWidget>

using namespace hadeck;
using hadeck::ui::MainWindow;

namespace {

const QString kInventory = QStringLiteral("/run/hadeck-lab/inventory.json");
const QString kChain = QStringLiteral("inet/hadeck_guitest/input");

QString artifacts() { return testing::artifactsDir(QStringLiteral("gui-firewall-lab")); }

bool save(QWidget* w, const QString& name, const QString& lang)
{
    QCoreApplication::processEvents();
    const QImage image = w->grab().toImage();
    return !image.isNull() && image.save(QStringLiteral("%1/%2_%3.png").arg(artifacts(), name, lang));
}

QByteArray labExec(const QString& node, const QStringList& cmd)
{
    QProcess p;
    p.start(qEnvironmentVariable("HADECK_LAB"), QStringList{QStringLiteral("exec"), node} + cmd);
    p.waitForFinished(60000);
    return p.readAllStandardOutput();
}

QByteArray web1(const QStringList& cmd) { return labExec(QStringLiteral("web1"), cmd); }

QByteArray web1Ruleset() { return web1({QStringLiteral("nft"), QStringLiteral("list"), QStringLiteral("ruleset")}); }

bool treeHas(QTreeWidget* tree, const QString& text)
{
    return !tree->findItems(text, Qt::MatchContains | Qt::MatchRecursive, 0).isEmpty();
}

} // namespace

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
};

void TstFirewallLab::initTestCase()
{
    if (!QFile::exists(kInventory)) {
        QSKIP("the lab is not up (no /run/hadeck-lab/inventory.json)");
    }
    // A table of the test's own on web1, so the tab has a chain to add to.
    web1({QStringLiteral("nft"), QStringLiteral("add table inet hadeck_guitest; add chain inet hadeck_guitest input "
                                                "{ type filter hook input priority 0 ; policy accept ; }")});
    QVERIFY(web1Ruleset().contains("hadeck_guitest"));
    m_window = std::make_unique<MainWindow>();
    m_window->setLanguage(QStringLiteral("en"));
    m_window->resize(1440, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const QString error = m_window->openClusterFile(kInventory);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_session = m_window->sessions().back();
    const auto online = [this](const char* node) {
        const auto* s = m_session->model().node(QString::fromLatin1(node));
        return s != nullptr && s->link == console::NodeState::Online;
    };
    QTRY_VERIFY_WITH_TIMEOUT(online("dir1") && online("dir2") && online("web1"), 30000);
    // The lint knows the virtual services from the directors' tables.
    QTRY_VERIFY_WITH_TIMEOUT(!m_session->model().node(QStringLiteral("dir1"))->ipvs.empty(), 30000);
}

void TstFirewallLab::cleanupTestCase()
{
    m_window.reset();
    if (QFile::exists(kInventory)) {
        web1({QStringLiteral("nft"), QStringLiteral("delete table inet hadeck_guitest")});
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
    view->editorHook = [&](ui::fw::RuleEditorDialog& d) {
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
    view->previewHook = [&](ui::fw::ChangePreviewDialog& d) {
        const auto closeOnFailure = closeWhenLeftOpen(d);
        findings = d.findingsList()->count();
        diff = d.diffView()->toPlainText();
        d.confirmBox()->setValue(30);
        QVERIFY(save(&d, QStringLiteral("02-preview"), lang));
        d.buttons()->button(QDialogButtonBox::Ok)->click();
    };
    QSignalSpy confirmed(view, &ui::FirewallView::changeConfirmed);
    QSignalSpy applied(view, &ui::FirewallView::changeApplied);
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

    // --- A rule that drops SSH, applied with force: the agent rolls it back ---
    view->editorHook = [&](ui::fw::RuleEditorDialog& d) {
        const auto closeOnFailure = closeWhenLeftOpen(d);
        d.chainBox()->setCurrentIndex(d.chainBox()->findData(kChain));
        d.positionBox()->setCurrentIndex(1); // at the start
        d.rawBox()->setChecked(true);
        d.rawEdit()->setPlainText(QStringLiteral("tcp dport 22 drop comment \"gui-lockout\""));
        d.accept();
    };
    QStringList findingTexts;
    view->previewHook = [&](ui::fw::ChangePreviewDialog& d) {
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
    QTRY_VERIFY_WITH_TIMEOUT(view->addButton()->isEnabled(), 10000);
    view->addButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!findingTexts.isEmpty(), 30000);
    const QString all = findingTexts.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QStringLiteral(":22")) && all.contains(QStringLiteral("gui-lockout")), qPrintable(all));
    QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 2, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(view->countdownLabel()->isVisible(), 5000);
    QTest::qWait(2500); // the countdown visibly counting, for the picture
    QVERIFY(save(m_window.get(), QStringLiteral("05-countdown"), lang));
    QTRY_COMPARE_WITH_TIMEOUT(rolledBack.count(), 1, 60000);
    QVERIFY(view->noticeLabel()->isVisible());
    QVERIFY(!view->countdownLabel()->isVisible());
    QVERIFY(!web1Ruleset().contains("gui-lockout"));
    QVERIFY(web1Ruleset().contains(comment.toUtf8())); // the confirmed rule stays
    QTRY_VERIFY_WITH_TIMEOUT(view->ruleset() && !treeHas(view->tree(), QStringLiteral("gui-lockout")), 30000);
    QVERIFY(save(m_window.get(), QStringLiteral("06-rolled-back"), lang));
    qInfo("rollback notice: %s", qPrintable(view->noticeLabel()->text()));
    view->editorHook = nullptr;
    view->previewHook = nullptr;
}

QTEST_MAIN(TstFirewallLab)
#include "tst_firewall_lab.moc"
