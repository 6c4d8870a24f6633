// The Hosts and Database tabs on a real ClusterSession over well-behaved application
// agents (hadeck-fakeagent --app web / --app db, on unix sockets), offscreen:
// - the Hosts tab's Apache and database metrics, live from the apache and db topics the
//   session subscribes to, from each node's history, and "no data" on a node without the layer;
// - the Database tab's read_only button pressed for real: the preflight (dry run) shown in
//   the confirmation, the call made only on "yes", with the declared method and typed
//   params, and the button following the new read_only value.

#include "sshtestenv.h"

#include "app/clustersession.h"
#include "charts/timechart.h"
#include "database/databaseview.h"
#include "database/replicationmodel.h"
#include "hosts/hostsview.h"

#include "hadeck/console/inventory.h"
#include "hadeck/protocol/methods.h"

#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <memory>

using namespace hadeck;
using Metric = hadeck::ui::HostsView::Metric;
using Range = hadeck::ui::HostsView::Range;

namespace {

using hadeck::test::FakeAgent;

/// The requests the fake agents logged (--log), one JSON object a line.
std::vector<nlohmann::json> requests(const QString& path)
{
    std::vector<nlohmann::json> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const auto& line : f.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            out.push_back(nlohmann::json::parse(line.toStdString()));
    }
    return out;
}

std::vector<nlohmann::json> requestsOf(const QString& path, std::string_view method)
{
    std::vector<nlohmann::json> out;
    for (auto& r : requests(path)) {
        if (r.value("method", std::string()) == method)
            out.push_back(std::move(r));
    }
    return out;
}

/// The history.get requests for @p series.
std::vector<nlohmann::json> historyAsked(const QString& path, const std::string& series)
{
    std::vector<nlohmann::json> out;
    for (auto& r : requestsOf(path, hadeck::proto::methods::HistoryGet.name)) {
        if (r["params"].value("series", std::string()) == series)
            out.push_back(std::move(r));
    }
    return out;
}

} // namespace

class TstAppdataFake : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_log;
    std::unique_ptr<FakeAgent> m_web;
    std::unique_ptr<FakeAgent> m_db;
    std::unique_ptr<ui::ClusterSession> m_session;

private slots:
    void initTestCase()
    {
        if (!QFile::exists(QStringLiteral(HADECK_BINARY_DIR "/bin/hadeck-fakeagent")))
            QSKIP("hadeck-fakeagent is not built");
        m_log = m_dir.filePath(QStringLiteral("requests.log"));
        m_web = std::make_unique<FakeAgent>(m_dir.filePath(QStringLiteral("web1.sock")),
                                            QStringList{QStringLiteral("--app"), QStringLiteral("web"),
                                                        QStringLiteral("--node"), QStringLiteral("web1"),
                                                        QStringLiteral("--log"), m_log});
        m_db = std::make_unique<FakeAgent>(m_dir.filePath(QStringLiteral("db1.sock")),
                                           QStringList{QStringLiteral("--app"), QStringLiteral("db"),
                                                       QStringLiteral("--node"), QStringLiteral("db1"),
                                                       QStringLiteral("--log"), m_log});
        QVERIFY(m_web->start());
        QVERIFY(m_db->start());
        console::ClusterInventory inv;
        inv.name = QStringLiteral("appdata-fake");
        for (const auto& [name, socket, role] :
             {std::tuple{QStringLiteral("web1"), m_web->socket(), QStringLiteral("web")},
              std::tuple{QStringLiteral("db1"), m_db->socket(), QStringLiteral("db")}}) {
            console::NodeSpec n;
            n.name = name;
            n.transport = console::NodeSpec::TransportKind::Local;
            n.socket = socket;
            n.roles = {role};
            inv.nodes << n;
        }
        m_session = std::make_unique<ui::ClusterSession>(inv, nullptr);
        m_session->start();
        // The topics the session subscribes to reach its store (Apache's: hostsAppMetrics).
        QTRY_VERIFY_WITH_TIMEOUT(m_session->appData().node(QStringLiteral("web1")) != nullptr &&
                                     m_session->appData().node(QStringLiteral("db1"))->db.has_value() &&
                                     m_session->appData().node(QStringLiteral("web1"))->host.has_value() &&
                                     m_session->appData().node(QStringLiteral("db1"))->host.has_value(),
                                 10000);
    }

    void cleanupTestCase()
    {
        m_session.reset();
        m_web.reset();
        m_db.reset();
    }

    /// Apache's busy workers and requests/s, and queries/s: live from the topics, 1 h from each
    /// node's history, several nodes on one chart, and "no data" (a gap, not 0) on a node
    /// without the layer.
    void hostsAppMetrics()
    {
        // The session subscribes to the apache topic: web1's reaches the store.
        QTRY_VERIFY_WITH_TIMEOUT(m_session->appData().node(QStringLiteral("web1"))->apache.has_value(), 5000);
        ui::HostsView view;
        view.resize(900, 500);
        view.setSession(m_session.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QStringList checked = view.checkedNodes();
        checked.sort();
        QCOMPARE(checked, (QStringList{QStringLiteral("db1"), QStringLiteral("web1")}));
        auto* chart = view.chart();
        const QString web = QStringLiteral("web1");
        const QString db = QStringLiteral("db1");
        const auto label = [chart](const QString& node) { return chart->lineSeries(node)->name(); };

        QSignalSpy loaded(&view, &ui::HostsView::historyLoaded);
        view.setRange(Range::Hour);
        view.setMetric(Metric::ApacheRequestsPerSec); // a sample of each node at once (the tab is shown)
        QCOMPARE(view.metric(), Metric::ApacheRequestsPerSec);
        // Live: web1's Apache says 12.5 requests/s; db1 has no Apache: a gap, named so.
        QCOMPARE(chart->lastValue(web), std::optional<double>(12.5));
        QCOMPARE(label(web), web);
        QVERIFY(!chart->lastValue(db));
        QVERIFY(chart->rawCount(db) >= 1);
        QVERIFY2(label(db).contains(QStringLiteral("no data")), qPrintable(label(db)));
        // History: each node asked for the series the agent records, over the hour, at 1 s.
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 2, 10000);
        const auto asked = historyAsked(m_log, "apache.requestsPerSec");
        QCOMPARE(asked.size(), std::size_t{2});
        for (const auto& r : asked) {
            QCOMPARE(r["params"]["series"].get<std::string>(), std::string("apache.requestsPerSec"));
            QCOMPARE(r["params"]["step"].get<int>(), 1);
            QVERIFY(r["params"]["since"].get<std::int64_t>() < QDateTime::currentSecsSinceEpoch() - 3500);
        }
        // The three rows of the reply are under the live sample.
        QCOMPARE(chart->rawCount(web), 4);
        QCOMPARE(chart->lastValue(web), std::optional<double>(12.5));
        chart->flush();
        bool sawHistory = false;
        for (const auto& seg : chart->drawnSegments(web)) {
            for (const auto& p : seg) {
                sawHistory = sawHistory || p.y() == 11.0;
            }
        }
        QVERIFY(sawHistory);

        // Busy workers: 7 on web1; db1 still no data.
        view.setMetric(Metric::ApacheBusyWorkers);
        QCOMPARE(chart->lastValue(web), std::optional<double>(7));
        QVERIFY(!chart->lastValue(db));
        QVERIFY(label(db).contains(QStringLiteral("no data")));
        QTRY_COMPARE_WITH_TIMEOUT(historyAsked(m_log, "apache.busyWorkers").size(), std::size_t{2}, 10000);

        // Queries/s over 24 h: db1's 42, web1 (no database server) no data; history at 1 min.
        loaded.clear();
        view.setRange(Range::Day);
        view.setMetric(Metric::DbQueriesPerSec);
        QCOMPARE(chart->lastValue(db), std::optional<double>(42));
        QCOMPARE(label(db), db);
        QVERIFY(!chart->lastValue(web));
        QVERIFY(label(web).contains(QStringLiteral("no data")));
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 2, 10000);
        QCOMPARE(historyAsked(m_log, "db.queriesPerSec").size(), std::size_t{2});
        for (const auto& r : historyAsked(m_log, "db.queriesPerSec")) {
            QCOMPARE(r["params"]["step"].get<int>(), 60);
        }
        QCOMPARE(chart->rawCount(db), 4);

        // Back to a host metric: both nodes have one, neither says "no data".
        view.setMetric(Metric::Load);
        QCOMPARE(chart->lastValue(web), std::optional<double>(0.5));
        QCOMPARE(chart->lastValue(db), std::optional<double>(1.5));
        QCOMPARE(label(web), web);
        QCOMPARE(label(db), db);
    }

    /// The read_only button, pressed: the preflight is shown, "no" makes no call, "yes" makes
    /// db.setReadOnly with on=true and dryRun=false, and the button then offers to turn it off.
    void databaseReadOnlyButton()
    {
        ui::DatabaseView view;
        view.resize(900, 500);
        view.setSession(m_session.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->rowOf(QStringLiteral("db1")) >= 0, 10000);
        QCOMPARE(view.model()->rowCount(), 1); // web1 has no database server
        auto* button = view.findChild<QPushButton*>(QStringLiteral("dbReadOnly"));
        QVERIFY(button != nullptr);
        QVERIFY(!button->isEnabled()); // nothing selected
        view.selectNode(QStringLiteral("db1"));
        QCOMPARE(view.selectedNode(), QStringLiteral("db1"));
        QVERIFY(button->isEnabled());
        QCOMPARE(button->text(), QStringLiteral("Turn read_only on…"));

        QStringList asked;
        bool answer = false;
        view.confirmHook = [&](const QString& title, const QString& text) {
            asked << title + QLatin1Char('|') + text;
            return answer;
        };
        QSignalSpy finished(&view, &ui::DatabaseView::actionFinished);
        const auto calls = [this] { return requestsOf(m_log, proto::methods::DbSetReadOnly.name); };

        // "No": the preflight was asked and shown, nothing else.
        QFile::remove(m_log);
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked[0].contains(QStringLiteral("read_only is OFF")), qPrintable(asked[0]));
        QVERIFY(asked[0].contains(QStringLiteral("would run SET GLOBAL read_only = ON")));
        QVERIFY(asked[0].contains(QStringLiteral("Warning: writes from the web nodes will fail")));
        QVERIFY(asked[0].contains(QStringLiteral("db1")));
        QVERIFY(!finished[0][1].toBool());
        QVERIFY(finished[0][2].toString().startsWith(QStringLiteral("Cancelled")));
        auto made = calls();
        QCOMPARE(made.size(), std::size_t{1});
        auto p = proto::fromJson<proto::ReadOnlyParams>(made[0]["params"]);
        QVERIFY(p);
        QVERIFY(p->on);
        QVERIFY(p->dryRun);
        QCOMPARE(button->text(), QStringLiteral("Turn read_only on…"));
        QVERIFY(!view.model()->status(QStringLiteral("db1"))->readOnly);

        // "Yes": the dry run, then the call itself; the db topic the agent pushes after it
        // turns the button into "off".
        QFile::remove(m_log);
        answer = true;
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
        QCOMPARE(asked.size(), 2);
        QVERIFY2(finished[1][1].toBool(), qPrintable(finished[1][2].toString()));
        QCOMPARE(finished[1][2].toString(), QStringLiteral("read_only is now ON"));
        made = calls();
        QCOMPARE(made.size(), std::size_t{2});
        p = proto::fromJson<proto::ReadOnlyParams>(made[0]["params"]);
        QVERIFY(p && p->on && p->dryRun);
        p = proto::fromJson<proto::ReadOnlyParams>(made[1]["params"]);
        QVERIFY(p && p->on && !p->dryRun);
        QTRY_COMPARE_WITH_TIMEOUT(button->text(), QStringLiteral("Turn read_only off…"), 10000);
        QVERIFY(view.model()->status(QStringLiteral("db1"))->readOnly);
        QCOMPARE(view.noticeLabel()->text(), QStringLiteral("read_only is now ON"));

        // And back: the call asks for off.
        QFile::remove(m_log);
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 10000);
        QVERIFY(asked[2].contains(QStringLiteral("read_only is ON")));
        made = calls();
        QCOMPARE(made.size(), std::size_t{2});
        p = proto::fromJson<proto::ReadOnlyParams>(made[1]["params"]);
        QVERIFY(p && !p->on && !p->dryRun);
        QTRY_COMPARE_WITH_TIMEOUT(button->text(), QStringLiteral("Turn read_only on…"), 10000);
    }
};

QTEST_MAIN(TstAppdataFake)
#include "tst_appdata_fake.moc"
