// The failover dialog on the lab's real directors, offscreen: dir2's keepalived
// configuration loses the hadeck track file, the failover is refused with the
// lines to add, "Add track file and reload" fixes dir2 (keepalived -t, reload),
// the preflight runs again and passes, and "Fail over now" hands over to dir2.

#include "directorlab.h"
#include "labtestutil.h"
#include "dialogs/failoverdialog.h"

#include "hadeck/console/actions/cluster_rpc.h"
#include "hadeck/console/actions/failover_job.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/console/credentialprompter.h"
#include "hadeck/console/inventory.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <hadeck/protocol/methods.h>

#include <QTreeWidget>
#include <QtTest>

#include <memory>

using namespace hadeck;
using namespace hadeck::console;

namespace {

const QString kInstance = QStringLiteral("VI_CACHE");
const QString kConf = QStringLiteral("/etc/keepalived/keepalived.conf");
const QString kOrig = QStringLiteral("/etc/keepalived/keepalived.conf.lab-orig");

using labtest::labExecArgv;

/// What the dialog says: its result line and each step with its state, for a failure message.
QString dialogText(const QWidget* dialog)
{
    QString text;
    if (const auto* result = dialog->findChild<QLabel*>(QStringLiteral("failoverResult"))) {
        text += result->text();
    }
    if (const auto* steps = dialog->findChild<QTreeWidget*>(QStringLiteral("failoverSteps"))) {
        for (int i = 0; i < steps->topLevelItemCount(); ++i) {
            const QTreeWidgetItem* item = steps->topLevelItem(i);
            text += QLatin1Char('\n');
            for (int c = 0; c < item->columnCount(); ++c) {
                text += item->text(c) + QLatin1Char(' ');
            }
        }
    }
    return text;
}

} // namespace

class TestFailoverDialogLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void addTrackFileFromTheDialog();
    void cleanupTestCase();

private:
    std::optional<proto::VrrpState> stateOn(const QString& director);
    void restoreVrrp();

    std::unique_ptr<RefusingPrompter> m_prompter;
    std::unique_ptr<ConnectionPool> m_pool;
    std::unique_ptr<PoolRpc> m_rpc;
};

void TestFailoverDialogLab::initTestCase()
{
    const QString dir = qEnvironmentVariable("HADECK_LAB_DIR", QStringLiteral("/run/hadeck-lab"));
    auto inventory = loadInventory(dir + QStringLiteral("/inventory.json"));
    QVERIFY2(inventory, inventory ? "" : inventory.error().message.c_str());
    m_prompter = std::make_unique<RefusingPrompter>();
    m_pool = std::make_unique<ConnectionPool>(*inventory, m_prompter.get());
    m_pool->connectAll();
    m_rpc = std::make_unique<PoolRpc>(*m_pool);
    for (const QString& node : {QStringLiteral("dir1"), QStringLiteral("dir2")}) {
        QTRY_VERIFY_WITH_TIMEOUT(m_rpc->isOnline(node), 60000);
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_rpc->directors().size(), 2, 10000);
}

std::optional<proto::VrrpState> TestFailoverDialogLab::stateOn(const QString& director)
{
    return directorlab::vrrpStateOn(*m_rpc, director, kInstance);
}

void TestFailoverDialogLab::restoreVrrp()
{
    int left = 0;
    for (const QString& d : m_rpc->directors()) {
        ++left;
        proto::FailoverTarget target;
        target.instance = kInstance.toStdString();
        console::invoke(*m_rpc, d, proto::methods::VrrpRestore, target,
                        [&](const console::Reply<proto::FailoverWriteResult>&) { --left; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(left, 0, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(stateOn(QStringLiteral("dir1")), std::optional(proto::VrrpState::Master), 20000);
}

void TestFailoverDialogLab::addTrackFileFromTheDialog()
{
    const QString dir2 = QStringLiteral("dir2");
    const auto guard = qScopeGuard([&] {
        labExecArgv(dir2, {QStringLiteral("sh"), QStringLiteral("-c"),
                           QStringLiteral("if [ -e %1 ]; then cp %1 %2 && rm -f %1 %2.hadeck-bak %2.hadeck-new && "
                                          "kill -HUP $(cat /run/keepalived.pid); fi")
                               .arg(kOrig, kConf)});
    });
    labExecArgv(dir2, {QStringLiteral("cp"), kConf, kOrig});
    labExecArgv(dir2, {QStringLiteral("sed"), QStringLiteral("-i"),
                       QStringLiteral("/^track_file hadeck_failover {/,/^}/d;/^    track_file {/,/^    }/d"), kConf});
    // Until its VRRP process has reloaded, dir2 is BACKUP with the old configuration.
    const qsizetype vrrpStarts = directorlab::keepalivedLogCount(dir2, "VRRP sockpool");
    QVERIFY2(vrrpStarts >= 0, "dir2 has no keepalived.log");
    labExecArgv(dir2,
                {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("kill -HUP $(cat /run/keepalived.pid)")});
    QTRY_VERIFY2_WITH_TIMEOUT(directorlab::keepalivedLogCount(dir2, "VRRP sockpool") > vrrpStarts,
                              "dir2's keepalived did not log its VRRP reload", 15000);
    QTRY_COMPARE_WITH_TIMEOUT(stateOn(dir2), std::optional(proto::VrrpState::Backup), 20000);

    FailoverRequest request;
    request.instance = kInstance;
    auto* job = new FailoverJob(*m_rpc, request);
    auto* dialog = new ui::FailoverDialog(job, QStringLiteral("dir1"));
    QPointer<ui::FailoverDialog> alive(dialog);
    const auto closeDialog = qScopeGuard([&] {
        delete alive.data();
    });
    // As LiveActions does: the job goes once it has finished; the dialog keeps the record.
    connect(job, &FailoverJob::finishedWith, job, &QObject::deleteLater);
    dialog->show();
    job->start();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->jobFinished(), 30000);
    QVERIFY(!dialog->succeeded());
    QPushButton* add = dialog->addTrackButton();
    QVERIFY(add->isVisible());
    QVERIFY2(add->isEnabled(), qPrintable(add->toolTip())); // the lab's SSH user is admin
    const auto* snippet = dialog->findChild<QPlainTextEdit*>(QStringLiteral("failoverTrackSnippet"));
    QVERIFY(snippet && snippet->toPlainText().contains(QStringLiteral("# on dir2")));
    QVERIFY(snippet->toPlainText().contains(QStringLiteral("track_file hadeck_failover {")));
    QCOMPARE(stateOn(QStringLiteral("dir1")), std::optional(proto::VrrpState::Master));

    add->click();
    // keepalived -t, install, reload, then the preflight again, which now passes.
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->failoverNowButton()->isVisible(), qPrintable(dialogText(dialog)), 60000);
    const auto* status = dialog->findChild<QLabel*>(QStringLiteral("failoverTrackStatus"));
    qInfo("dialog status: %s", qPrintable(status ? status->text() : QString()));
    QVERIFY(labExecArgv(dir2, {QStringLiteral("cat"), kConf}).contains("track_file hadeck_failover {"));
    QVERIFY(!add->isVisible());

    // keepalived has reloaded on dir2; once it is BACKUP again, the failover goes through.
    QTRY_COMPARE_WITH_TIMEOUT(stateOn(dir2), std::optional(proto::VrrpState::Backup), 20000);
    dialog->failoverNowButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->jobFinished(), 60000);
    QVERIFY2(dialog->succeeded(), qPrintable(dialogText(dialog)));
    QCOMPARE(dialog->newMaster(), dir2);
    QCOMPARE(stateOn(dir2), std::optional(proto::VrrpState::Master));
    restoreVrrp();
}

void TestFailoverDialogLab::cleanupTestCase()
{
    if (m_rpc) {
        restoreVrrp();
    }
}

QTEST_MAIN(TestFailoverDialogLab)
#include "tst_failover_dialog_lab.moc"
