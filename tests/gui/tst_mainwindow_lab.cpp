// Drives the real MainWindow against the running lab: drain and restore a
// real server through the GUI's action, then a forced failover of VI_CACHE,
// with the progress panel and the failover dialog on screen. Screenshots in
// English and Chinese are saved as test artifacts. The lab is put back as
// it was found (dir1 MASTER of VI_CACHE, web1 at weight 100).

#include "guilab.h"
#include "dialogs/drainpanel.h"
#include "dialogs/failoverdialog.h"
#include "hadeck/console/model/clusteractions.h"
#include "hadeck/protocol/methods.h"
#include "models/servicesmodel.h"
#include "models/timelinemodel.h"
#include "models/vrrpmodel.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QLabel>
#include <QTreeWidget>
#include <QTest>
#include <QTreeView>

using namespace hadeck;
using namespace hadeck::console;
using hadeck::testing::findRow;
using hadeck::ui::MainWindow;

namespace {

QString artifactsDir() { return testing::artifactsDir(QStringLiteral("gui-lab")); }

bool save(QWidget* w, const QString& name, const QString& lang)
{
    return testing::saveShot(w, artifactsDir(), name, lang);
}

/// Every weight of @p node's rows in the column of @p director; empty when not shown.
QList<int> weightsOf(const ui::ServicesModel& m, const QString& node, const QString& director)
{
    const auto d = m.directors().indexOf(director);
    QList<int> out;
    if (d < 0) {
        return out;
    }
    const int col = ui::ServicesModel::columnFor(static_cast<int>(d), ui::ServicesModel::Weight);
    for (int s = 0; s < m.rowCount(); ++s) {
        const auto svc = m.index(s, 0);
        for (int r = 0; r < m.rowCount(svc); ++r) {
            const auto rs = m.index(r, 0, svc);
            if (rs.data(ui::ServicesModel::NodeNameRole).toString() == node) {
                const auto v = m.index(r, col, svc).data();
                if (v.isValid() && !v.toString().isEmpty()) {
                    out << v.toInt();
                }
            }
        }
    }
    return out;
}

bool allEqual(const QList<int>& values, int expected)
{
    return !values.isEmpty() && std::all_of(values.begin(), values.end(), [&](int v) { return v == expected; });
}

/// The state of @p node's member of VRRP instance @p instance, -1 when not shown.
int vrrpState(const ui::VrrpModel& m, const QString& instance, const QString& node)
{
    for (int r = 0; r < m.rowCount(); ++r) {
        const auto inst = m.index(r, 0);
        if (inst.data(ui::VrrpModel::InstanceNameRole).toString() != instance) {
            continue;
        }
        for (int c = 0; c < m.rowCount(inst); ++c) {
            const auto member = m.index(c, 0, inst);
            if (member.data(ui::VrrpModel::NodeNameRole).toString() == node) {
                const auto v = member.data(ui::VrrpModel::VrrpStateRole);
                return v.isValid() ? v.toInt() : -1;
            }
        }
    }
    return -1;
}

constexpr int kMaster = static_cast<int>(proto::VrrpState::Master);
constexpr int kBackup = static_cast<int>(proto::VrrpState::Backup);

} // namespace

class TstMainWindowLab : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void drainRestoreAndFailover_data();
    void drainRestoreAndFailover();

private:
    void putLabBack();
    std::unique_ptr<MainWindow> m_window;
    ui::ClusterSession* m_session = nullptr;
    /// Set from the failover request until dir1 is given VI_CACHE back.
    bool m_failedOver = false;
};

void TstMainWindowLab::initTestCase()
{
    if (!testing::labIsUp()) {
        QSKIP("the lab is not up (no /run/hadeck-lab/inventory.json)");
    }
}

void TstMainWindowLab::init()
{
    auto lab = testing::openLabWindow({QStringLiteral("dir1"), QStringLiteral("dir2"), QStringLiteral("web1")});
    m_window = std::move(lab.window);
    m_session = lab.session;
    QVERIFY2(lab.error.isEmpty(), qPrintable(lab.error));
    m_window->setTheme(ui::Theme::Light);
    QVERIFY(m_session->liveActions() != nullptr);
}

void TstMainWindowLab::cleanup()
{
    if (m_session != nullptr) {
        putLabBack();
    }
    m_window.reset();
    m_session = nullptr;
}

/// Whatever happened above, leave web1 in rotation and dir1 MASTER of VI_CACHE.
void TstMainWindowLab::putLabBack()
{
    auto& services = m_session->services();
    if (!allEqual(weightsOf(services, QStringLiteral("web1"), QStringLiteral("dir1")), 100)) {
        bool done = false;
        m_session->actions().restore(QStringLiteral("web1"), [&done](bool, const QString&) { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
    }
    // The model can still show dir1 MASTER for a moment after the failover: ask by what was done.
    if (m_failedOver || vrrpState(m_session->vrrp(), QStringLiteral("VI_CACHE"), QStringLiteral("dir1")) != kMaster) {
        auto* client = m_session->pool()->client(QStringLiteral("dir1"));
        QVERIFY(client != nullptr);
        bool answered = false;
        QString error;
        proto::FailoverTarget target;
        target.instance = "VI_CACHE";
        client->call(proto::methods::VrrpRestore, target,
                     std::function<void(const Expected<proto::FailoverWriteResult>&)>(
                         [&](const Expected<proto::FailoverWriteResult>& r) {
                             answered = true;
                             if (!r) {
                                 error = QString::fromStdString(r.error().message);
                             }
                         }));
        QTRY_VERIFY_WITH_TIMEOUT(answered, 15000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(vrrpState(m_session->vrrp(), QStringLiteral("VI_CACHE"), QStringLiteral("dir1")),
                                  kMaster, 30000);
        m_failedOver = false;
    }
}

void TstMainWindowLab::drainRestoreAndFailover_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
}

void TstMainWindowLab::drainRestoreAndFailover()
{
    QFETCH(QString, lang);
    m_window->setLanguage(lang);
    const QString web1 = QStringLiteral("web1");
    const QString dir1 = QStringLiteral("dir1");
    const QString dir2 = QStringLiteral("dir2");

    // Services: both directors' columns, web1 at weight 100 everywhere.
    m_window->tabs()->setCurrentIndex(MainWindow::ServicesTab);
    auto& services = m_session->services();
    QTRY_VERIFY_WITH_TIMEOUT(services.directors().contains(dir1) && services.directors().contains(dir2), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(allEqual(weightsOf(services, web1, dir1), 100), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(allEqual(weightsOf(services, web1, dir2), 100), 30000);

    // Select web1 by clicking its row, then Drain through the window's action.
    auto* view = m_window->servicesView();
    const auto row = findRow(view->model(), ui::ServicesModel::NodeNameRole, web1);
    QVERIFY(row.isValid());
    view->expand(row.parent());
    view->scrollTo(row);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(row).center());
    QCOMPARE(m_session->selection().current(), web1);
    auto* drain = m_window->nodeAction(NodeAction::Drain);
    QTRY_VERIFY2_WITH_TIMEOUT(drain->isEnabled(), qPrintable(drain->toolTip()), 10000);
    drain->trigger();

    ui::DrainPanel* panel = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((panel = m_window->findChild<ui::DrainPanel*>()) != nullptr, 5000);
    QPointer<ui::DrainPanel> guard(panel);
    QVERIFY(panel->isVisible());
    // Directors report weight 0 before the connections are gone: the window during the drain.
    QTRY_VERIFY_WITH_TIMEOUT(allEqual(weightsOf(services, web1, dir1), 0), 30000);
    // Bring the directors' weight columns into view for the picture.
    const auto dir1Col = ui::ServicesModel::columnFor(static_cast<int>(services.directors().indexOf(dir1)),
                                                      ui::ServicesModel::Weight);
    view->scrollTo(row.siblingAtColumn(dir1Col), QAbstractItemView::PositionAtCenter);
    QVERIFY(save(m_window.get(), QStringLiteral("services_draining"), lang));
    QTRY_VERIFY2_WITH_TIMEOUT(guard && panel->jobFinished(), qPrintable(guard ? panel->message() : QString()),
                              120000);
    QVERIFY2(panel->phase() == DrainJob::Phase::Completed, qPrintable(panel->message()));
    QTRY_VERIFY_WITH_TIMEOUT(allEqual(weightsOf(services, web1, dir1), 0), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(allEqual(weightsOf(services, web1, dir2), 0), 10000);
    QVERIFY(save(panel, QStringLiteral("drain_panel"), lang));
    panel->close();

    // Restore, through the window's action as well.
    auto* restore = m_window->nodeAction(NodeAction::Restore);
    QTRY_VERIFY2_WITH_TIMEOUT(restore->isEnabled(), qPrintable(restore->toolTip()), 10000);
    restore->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(allEqual(weightsOf(services, web1, dir1), 100), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(allEqual(weightsOf(services, web1, dir2), 100), 30000);

    // VRRP: pick dir1's member of VI_CACHE (VRID 51) on the VRRP tab and fail over.
    m_window->tabs()->setCurrentIndex(MainWindow::VrrpTab);
    QTRY_COMPARE_WITH_TIMEOUT(vrrpState(m_session->vrrp(), QStringLiteral("VI_CACHE"), dir1), kMaster, 30000);
    // And dir2 back to BACKUP: right after the previous row's restore, dir1 preempts while dir2 may
    // still be MASTER for a moment, which the failover's preflight rightly refuses.
    QTRY_COMPARE_WITH_TIMEOUT(vrrpState(m_session->vrrp(), QStringLiteral("VI_CACHE"), dir2), kBackup, 30000);
    auto* vview = m_window->vrrpView();
    QModelIndex member;
    for (int r = 0; r < vview->model()->rowCount() && !member.isValid(); ++r) {
        const auto inst = vview->model()->index(r, 0);
        if (inst.data(ui::VrrpModel::InstanceNameRole).toString() != QStringLiteral("VI_CACHE")) {
            continue;
        }
        for (int c = 0; c < vview->model()->rowCount(inst); ++c) {
            const auto m = vview->model()->index(c, 0, inst);
            if (m.data(ui::VrrpModel::NodeNameRole).toString() == dir1) {
                member = m;
            }
        }
    }
    QVERIFY(member.isValid());
    QCOMPARE(member.data(ui::VrrpModel::VridRole).toInt(), 51);
    vview->expand(member.parent());
    vview->scrollTo(member);
    QTest::mouseClick(vview->viewport(), Qt::LeftButton, {}, vview->visualRect(member).center());
    QCOMPARE(m_session->selection().current(), dir1);
    QCOMPARE(vview->currentIndex().data(ui::VrrpModel::VridRole).toInt(), 51);
    auto* failover = m_window->nodeAction(NodeAction::Failover);
    QTRY_VERIFY2_WITH_TIMEOUT(failover->isEnabled(), qPrintable(failover->toolTip()), 10000);
    m_failedOver = true;
    failover->trigger();

    ui::FailoverDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<ui::FailoverDialog*>()) != nullptr, 5000);
    QPointer<ui::FailoverDialog> dguard(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dguard && dialog->jobFinished(), 60000);
    // On failure, what the dialog told the admin (the phase, the result and the preflight's checks).
    const auto said = [dialog] {
        QStringList out;
        for (const char* name : {"failoverPhase", "failoverResult", "failoverNote"}) {
            if (const auto* l = dialog->findChild<QLabel*>(QLatin1String(name))) {
                out << l->text();
            }
        }
        if (const auto* checks = dialog->findChild<QTreeWidget*>(QStringLiteral("failoverChecks"))) {
            for (int i = 0; i < checks->topLevelItemCount(); ++i) {
                out << checks->topLevelItem(i)->text(0) + QStringLiteral(": ") + checks->topLevelItem(i)->text(1);
            }
        }
        return out.join(QStringLiteral(" | "));
    };
    QVERIFY2(dialog->succeeded(), qPrintable(said()));
    QCOMPARE(dialog->newMaster(), dir2);
    QVERIFY(dialog->checkCount() > 0);
    QVERIFY(dialog->stepCount() > 0);
    QVERIFY(save(dialog, QStringLiteral("failover_dialog"), lang));
    QTRY_COMPARE_WITH_TIMEOUT(vrrpState(m_session->vrrp(), QStringLiteral("VI_CACHE"), dir2), kMaster, 30000);
    // dir1 preempts (higher priority), so it stays out until restored.
    QTRY_VERIFY_WITH_TIMEOUT(vrrpState(m_session->vrrp(), QStringLiteral("VI_CACHE"), dir1) != kMaster, 10000);
    QVERIFY(save(m_window.get(), QStringLiteral("vrrp_after_failover"), lang));
    const auto* timeline = &m_session->timeline();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < timeline->rowCount(); ++r) {
                const auto idx = timeline->index(r, ui::TimelineModel::Message);
                if (idx.data(ui::TimelineModel::NodeNameRole).toString() == dir2
                    && idx.data().toString().contains(QStringLiteral("VI_CACHE"))
                    && idx.data().toString().contains(QStringLiteral("MASTER"))) {
                    return true;
                }
            }
            return false;
        }(),
        10000);
    dialog->close();

    putLabBack();
}

QTEST_MAIN(TstMainWindowLab)
#include "tst_mainwindow_lab.moc"
