// A node the console marks Degraded (connected, but an answer came back slower than the pool's
// threshold) still takes calls: on a loaded cluster that is when an admin needs the Audit and
// Logs tabs most. The agent is really slow: it is stopped with SIGSTOP while a call is out, so
// the answer comes late. A real sshd and agent in a private network namespace (root).

#include "app/clustersession.h"
#include "app/mainwindow.h"
#include "logs/auditview.h"
#include "logs/logmodel.h"
#include "logs/logsview.h"
#include "sshtestenv.h"

#include "hadeck/console/agentclient.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/protocol/method_list.h"

#include <QFile>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QtTest>

#include <csignal>
#include <functional>
#include <memory>

using namespace hadeck;
using namespace hadeck::test;
using hadeck::ui::MainWindow;

namespace {
const QString kNode = QStringLiteral("web1");
const QString kMarker = QStringLiteral("degraded-node-marker");
} // namespace

class TstDegradedNode : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void auditTabAsksADegradedNode();
    void logsTabAsksADegradedNode();

private:
    /// Makes the node Degraded for real: the agent is stopped, an agent.ping goes out, and the
    /// agent is let go after longer than the threshold. Returns once the pool has said Degraded.
    void makeDegraded();
    /// Calls @p ask once the node is Degraded (up to 5 tries: the next fast ping makes it Online
    /// again, so it is asked at once); false if no try caught it Degraded.
    bool askWhileDegraded(const std::function<void()>& ask);

    FirewallNode m_node;
    std::unique_ptr<MainWindow> m_window;
};

void TstDegradedNode::initTestCase()
{
    if (const QString why = FirewallNode::cannotRun(); !why.isEmpty()) {
        QSKIP(qPrintable(why));
    }
    // A log of the node's own, as the syslog source.
    const QString syslog = m_node.filePath(QStringLiteral("syslog"));
    QFile f(syslog);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QString now = QDateTime::currentDateTime().toString(QStringLiteral("MMM dd hh:mm:ss"));
    for (int i = 0; i < 5; ++i) {
        f.write(QStringLiteral("%1 web1 test[1]: %2 %3\n").arg(now, kMarker).arg(i).toUtf8());
    }
    f.close();
    m_node.setExtraConfig(QStringLiteral("[modules.logs]\nsyslog = \"%1\"\n").arg(syslog));
    QString error;
    QVERIFY2(m_node.start(QStringLiteral(HADECK_TEST_DATA "/firewall/node.nft"), &error), qPrintable(error));
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1200, 800);
    m_window->show();
    QCOMPARE(m_window->openClusterFile(m_node.inventory()), QString());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentSession()->pool()->state(kNode), console::NodeState::Online, 20000);
}

void TstDegradedNode::cleanupTestCase()
{
    if (m_node.started()) {
        ::kill(m_node.agent().pid(), SIGCONT); // a failed check may have left it stopped
    }
    m_window.reset();
    m_node.stop();
}

void TstDegradedNode::makeDegraded()
{
    auto* pool = m_window->currentSession()->pool();
    QSignalSpy states(pool, &console::ConnectionPool::nodeStateChanged);
    QTRY_COMPARE_WITH_TIMEOUT(pool->state(kNode), console::NodeState::Online, 20000);
    // Shared with the handler, which may run after a failed check has returned.
    const auto answered = std::make_shared<bool>(false);
    // Stopped first: a request sent before could be answered before the stop takes hold.
    QCOMPARE(::kill(m_node.agent().pid(), SIGSTOP), 0);
    pool->client(kNode)->call(proto::methods::Ping, proto::Empty{},
                              std::function<void(const Expected<proto::PingResult>&)>(
                                  [answered](const Expected<proto::PingResult>&) { *answered = true; }),
                              10000);
    // Longer than the 1 s threshold, shorter than the ping timeout (2.5 s) that would drop the link.
    QTest::qWait(1300);
    QCOMPARE(::kill(m_node.agent().pid(), SIGCONT), 0);
    QTRY_VERIFY_WITH_TIMEOUT(*answered, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(states.begin(), states.end(),
                                         [](const QList<QVariant>& a) {
                                             return a.at(0).toString() == kNode &&
                                                    a.at(1).value<console::NodeState>() == console::NodeState::Degraded;
                                         }),
                             10000);
}

bool TstDegradedNode::askWhileDegraded(const std::function<void()>& ask)
{
    for (int attempt = 0; attempt < 5; ++attempt) {
        makeDegraded();
        if (QTest::currentTestFailed()) {
            return false;
        }
        if (m_window->currentSession()->pool()->state(kNode) == console::NodeState::Degraded) {
            ask();
            return true;
        }
    }
    return false;
}

/// The Audit tab verifies a Degraded node's chain rather than calling it "not online".
void TstDegradedNode::auditTabAsksADegradedNode()
{
    auto* view = m_window->auditView();
    m_window->tabs()->setCurrentIndex(MainWindow::AuditTab);
    QSignalSpy loaded(view, &ui::AuditView::loaded);
    QVERIFY(askWhileDegraded([&] {
        loaded.clear(); // the reload of the tab's first showing may have answered meanwhile
        view->reload();
    }));
    QCOMPARE(view->chainState(kNode), QString()); // asked, not refused
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 20000);
    QCOMPARE(view->chainState(kNode), QStringLiteral("ok"));
}

/// The Logs tab reads a Degraded node's log.
void TstDegradedNode::logsTabAsksADegradedNode()
{
    auto* view = m_window->logsView();
    m_window->tabs()->setCurrentIndex(MainWindow::LogsTab);
    view->setNodeChecked(kNode, true);
    for (const auto& s : ui::LogsView::knownSources()) {
        view->setSourceChecked(s, s == QStringLiteral("syslog"));
    }
    view->setFilterText(kMarker);
    QSignalSpy loaded(view, &ui::LogsView::loaded);
    QVERIFY(askWhileDegraded([&] {
        loaded.clear();
        view->reload();
    }));
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(view->filtered()->rowCount(), 5, 10000);
}

QTEST_MAIN(TstDegradedNode)
#include "tst_degraded_node.moc"
