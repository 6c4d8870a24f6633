// The drain panel on a real DrainJob whose cluster is the synthetic one: the
// directors' IPVS tables answer ipvs.list and change with drain.apply and
// drain.restore, as the agents' do. No lab is needed for the admin's choices:
// a refusal (last healthy real server), cancel, and what to do at the timeout.

#include "dialogs/drainpanel.h"
#include "synthetic/syntheticcluster.h"

#include <QProgressBar>
#include <QPushButton>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

#include <cstdlib>

using namespace hadeck;
using namespace hadeck::console;
using hadeck::ui::DrainPanel;

namespace {

/// ClusterRpc over the synthetic directors' tables.
class SyntheticRpc final : public ClusterRpc {
public:
    explicit SyntheticRpc(const testing::SyntheticCluster& source)
    {
        for (int d = 0; d < source.options().directors; ++d) {
            m_tables.insert(testing::SyntheticCluster::directorName(d), source.ipvsOf(d));
        }
        for (int r = 0; r < source.options().realServers; ++r) {
            m_nodes.insert(testing::SyntheticCluster::realServerAddress(r), testing::SyntheticCluster::realServerName(r));
        }
    }
    QStringList directors() const override { return m_tables.keys(); }
    QString nodeForAddress(const QString& address) const override { return m_nodes.value(address); }
    bool isOnline(const QString&) const override { return true; }
    QString userOn(const QString&) const override { return QStringLiteral("ops"); }
    std::optional<proto::PermissionLevel> permissionOn(const QString&) const override
    {
        return proto::PermissionLevel::Operate;
    }
    void call(const QString& node, const QString& method, rpc::Json params, Handler handler, int) override
    {
        calls << node + QLatin1Char(' ') + method;
        RpcResult result = rpc::Json::object();
        const QString address =
            QString::fromStdString(params.is_object() ? params.value("address", std::string()) : std::string());
        using namespace hadeck::proto::methods;
        if (method == methodName(IpvsList)) {
            result = proto::toJson(proto::IpvsListResult{"synthetic", m_tables.value(node)});
        } else if (method == methodName(DrainList)) {
            result = proto::toJson(proto::DrainBookState{});
        } else if (method == methodName(DrainApply) && node == refuseApplyOn) {
            const RpcResult refused = Unexpected<rpc::Error>{rpc::Error{rpc::ActionFailed, refusal, nullptr}};
            QTimer::singleShot(0, [handler = std::move(handler), refused] { handler(refused); });
            return;
        } else if (method == methodName(DrainApply) || method == methodName(DrainRestore)) {
            const bool drain = method == methodName(DrainApply);
            result = drain ? proto::toJson(proto::DrainApplyResult{"synthetic", 1, {}, false})
                           : proto::toJson(proto::DrainRestoreResult{"synthetic", {}, {}});
            for (auto& vs : m_tables[node]) {
                for (auto& rs : vs.realServers) {
                    if (QString::fromStdString(rs.address) == address) {
                        rs.weight = drain ? 0 : 100;
                    }
                }
            }
        } else if (method == methodName(DrainLocal)) {
            result = proto::toJson(proto::DrainLocalResult{"198.18.0.100", 80, established, std::nullopt, {}});
        }
        // Answers come later, as over a socket.
        QTimer::singleShot(0, [handler = std::move(handler), result] { handler(result); });
    }
    /// Live connections on every director's rows for @p address.
    void setActive(const QString& address, std::uint32_t active)
    {
        for (auto& table : m_tables) {
            for (auto& vs : table) {
                for (auto& rs : vs.realServers) {
                    if (QString::fromStdString(rs.address) == address) {
                        rs.activeConns = active;
                    }
                }
            }
        }
    }
    std::uint32_t weightOn(const QString& director, const QString& address) const
    {
        for (const auto& vs : m_tables.value(director)) {
            for (const auto& rs : vs.realServers) {
                if (QString::fromStdString(rs.address) == address) {
                    return rs.weight;
                }
            }
        }
        return 0;
    }

    QStringList calls;
    quint32 established = 0;
    /// A director whose agent refuses drain.apply with @c refusal.
    QString refuseApplyOn;
    std::string refusal;

private:
    QMap<QString, std::vector<proto::VirtualService>> m_tables;
    QMap<QString, QString> m_nodes;
};

QPushButton* button(QWidget& w, const QString& text)
{
    for (auto* b : w.findChildren<QPushButton*>()) {
        if (b->text() == text) {
            return b;
        }
    }
    return nullptr;
}

DrainRequest requestFor(const QString& address, int timeoutSec)
{
    DrainRequest r;
    r.target.address = address;
    r.timeoutSec = timeoutSec;
    r.pollIntervalMs = 50;
    return r;
}

} // namespace

class TstDrainPanel : public QObject {
    Q_OBJECT
private slots:
    void refusesTheLastHealthyRealServer();
    void cancelGivesTheWeightBack();
    void timeoutOffersKeepWaitingAndForce();
    void countsPastAnIntAreShownAsTheyAre();
    void agentErrorInTooltipsIsText();
};

void TstDrainPanel::refusesTheLastHealthyRealServer()
{
    testing::SyntheticOptions o;
    o.realServers = 2;
    testing::SyntheticCluster source(o);
    ClusterModel model(QStringLiteral("t"));
    // web2 already at weight 0 on both directors and both services: web1 is the last one serving.
    for (int d = 0; d < o.directors; ++d) {
        for (int s = 0; s < o.services; ++s) {
            source.setWeight(model, d, s, 1, 0);
        }
    }
    SyntheticRpc rpc(source);
    const QString web1 = testing::SyntheticCluster::realServerAddress(0);
    auto* job = new DrainJob(rpc, requestFor(web1, 600));
    DrainPanel panel(job, QStringLiteral("web1"));
    panel.show();
    job->start();
    QTRY_VERIFY(panel.jobFinished());
    QCOMPARE(panel.phase(), DrainJob::Phase::Failed);
    QVERIFY2(panel.message().contains(QStringLiteral("last real server")), qPrintable(panel.message()));
    // Nothing was applied anywhere.
    QVERIFY(!rpc.calls.filter(methodName(hadeck::proto::methods::DrainApply)).size());
    QCOMPARE(rpc.weightOn(QStringLiteral("lb1"), web1), 100U);
    // The refusing check is on screen, marked as failed.
    auto* checks = panel.findChildren<QTreeWidget*>().last();
    bool failShown = false;
    for (int i = 0; i < checks->topLevelItemCount(); ++i) {
        failShown = failShown || checks->topLevelItem(i)->text(0) == QStringLiteral("Fail");
    }
    QVERIFY(failShown);
    QVERIFY(!button(panel, QStringLiteral("Cancel drain"))->isEnabled());
    delete job;
}

void TstDrainPanel::cancelGivesTheWeightBack()
{
    testing::SyntheticCluster source;
    SyntheticRpc rpc(source);
    const QString web1 = testing::SyntheticCluster::realServerAddress(0);
    rpc.setActive(web1, 40); // clients that stay: the drain keeps waiting
    rpc.established = 40;
    auto* job = new DrainJob(rpc, requestFor(web1, 600));
    DrainPanel panel(job, QStringLiteral("web1"));
    panel.show();
    job->start();
    QTRY_COMPARE(panel.phase(), DrainJob::Phase::Draining);
    QCOMPARE(rpc.weightOn(QStringLiteral("lb1"), web1), 0U);
    QCOMPARE(rpc.weightOn(QStringLiteral("lb2"), web1), 0U);
    auto* cancel = button(panel, QStringLiteral("Cancel drain"));
    QVERIFY(cancel && cancel->isEnabled());
    cancel->click();
    QTRY_VERIFY(panel.jobFinished());
    QCOMPARE(panel.phase(), DrainJob::Phase::Cancelled);
    // Back in rotation on every director, not only where the click was seen.
    QCOMPARE(rpc.weightOn(QStringLiteral("lb1"), web1), 100U);
    QCOMPARE(rpc.weightOn(QStringLiteral("lb2"), web1), 100U);
    QVERIFY(!cancel->isEnabled());
    delete job;
}

void TstDrainPanel::timeoutOffersKeepWaitingAndForce()
{
    testing::SyntheticCluster source;
    SyntheticRpc rpc(source);
    const QString web1 = testing::SyntheticCluster::realServerAddress(0);
    rpc.setActive(web1, 7);
    rpc.established = 7;
    auto* job = new DrainJob(rpc, requestFor(web1, 1));
    DrainPanel panel(job, QStringLiteral("web1"));
    panel.show();
    job->start();
    auto* keepWaiting = button(panel, QStringLiteral("Keep waiting"));
    auto* force = button(panel, QStringLiteral("Force finish"));
    QVERIFY(keepWaiting && force);
    QVERIFY(!keepWaiting->isVisible()); // not a choice while the drain is on time
    QTRY_COMPARE_WITH_TIMEOUT(panel.phase(), DrainJob::Phase::TimedOut, 10000);
    QVERIFY(keepWaiting->isVisible() && keepWaiting->isEnabled());
    QVERIFY(force->isVisible() && force->isEnabled());

    keepWaiting->click();
    QCOMPARE(panel.phase(), DrainJob::Phase::Draining);
    QVERIFY(!keepWaiting->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(panel.phase(), DrainJob::Phase::TimedOut, 10000); // another period, still busy

    force->click();
    QTRY_VERIFY(panel.jobFinished());
    QCOMPARE(panel.phase(), DrainJob::Phase::Completed);
    QVERIFY(job->progress().forced);
    QCOMPARE(rpc.weightOn(QStringLiteral("lb1"), web1), 0U); // forced done: it stays drained
    delete job;
}

/// The bar counts down from the most connections seen. It took the count of the drain's first
/// progress, which comes before the first count: 40 connections were "1 connections left of 1".
/// And the counts come from agents: past an int they were made ints they do not fit (undefined
/// behaviour; "0 connections left of 1"), and the real server's, summed over the ports, wrapped.
void TstDrainPanel::countsPastAnIntAreShownAsTheyAre()
{
    testing::SyntheticCluster source;
    SyntheticRpc rpc(source);
    const QString web1 = testing::SyntheticCluster::realServerAddress(0);
    // Its two ports (80, 443): 1.5 and 0.5 billion each.
    rpc.setActive(web1, 1500000000U);
    rpc.established = 1500000000U;
    auto* job = new DrainJob(rpc, requestFor(web1, 600));
    DrainPanel panel(job, QStringLiteral("web1"));
    panel.show();
    job->start();
    QTRY_COMPARE(panel.phase(), DrainJob::Phase::Draining);
    auto* bar = panel.findChild<QProgressBar*>();
    QVERIFY(bar != nullptr);
    QTRY_COMPARE(bar->format(), QStringLiteral("3000000000 connections left of 3000000000"));
    QVERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());
    rpc.setActive(web1, 500000000U);
    rpc.established = 500000000U;
    QTRY_COMPARE(bar->format(), QStringLiteral("1000000000 connections left of 3000000000"));
    QVERIFY2(std::abs(bar->value() - bar->maximum() / 3) <= 1, qPrintable(QString::number(bar->value())));
    // The real server's count over both ports saturates at the quint32 the progress holds (it
    // wrapped to 3705032704).
    rpc.setActive(web1, 4000000000U);
    rpc.established = 4000000000U;
    QTRY_COMPARE(bar->format(), QStringLiteral("4294967295 connections left of 4294967295"));
    job->cancel();
    QTRY_VERIFY(panel.jobFinished());
    delete job;
}

/// A director's refusal is agent text: markup in it is shown as text in the tooltips (the
/// directors' list and the checks), never rendered as rich text.
void TstDrainPanel::agentErrorInTooltipsIsText()
{
    testing::SyntheticCluster source;
    SyntheticRpc rpc(source);
    rpc.refuseApplyOn = QStringLiteral("lb2");
    rpc.refusal = "<img src=\"file:///dev/zero\"><b>refused</b>";
    const QString web1 = testing::SyntheticCluster::realServerAddress(0);
    auto* job = new DrainJob(rpc, requestFor(web1, 600));
    DrainPanel panel(job, QStringLiteral("web1"));
    panel.show();
    job->start();
    QTRY_COMPARE(panel.phase(), DrainJob::Phase::PartiallyApplied);
    int literal = 0;
    for (auto* tree : panel.findChildren<QTreeWidget*>()) {
        for (QTreeWidgetItemIterator it(tree); *it != nullptr; ++it) {
            for (int c = 0; c < tree->columnCount(); ++c) {
                const QString tip = (*it)->toolTip(c);
                QVERIFY2(!tip.contains(QLatin1String("<img")) && !tip.contains(QLatin1String("<b>")), qPrintable(tip));
                literal += tip.contains(QLatin1String("&lt;img")) ? 1 : 0;
            }
        }
    }
    QVERIFY(literal > 0);
    job->cancel();
    QTRY_VERIFY(panel.jobFinished());
    delete job;
}

QTEST_MAIN(TstDrainPanel)
#include "tst_drainpanel.moc"
