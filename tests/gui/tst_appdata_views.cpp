// The Database, Storage and Hosts tabs' parts without a lab: the models under
// QAbstractItemModelTester, fed with what the agent's own parsers make of the
// captured mariadb and mfscli output (tests/data); the chart's decimation to the
// pixel width; CSV export.

#include "fixture.h"
#include "guitest.h"

#include "charts/timechart.h"
#include "database/replicationmodel.h"
#include "export/tableexport.h"
#include "hosts/hostsview.h"
#include "storage/storagemodels.h"

#include "hadeck/probes/appdata/mfscli.h"
#include "hadeck/probes/appdata/mysql_status.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QFile>
#include <QLineSeries>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace hadeck;
using hadeck::ui::ChunkDiskModel;
using hadeck::ui::ChunkserverModel;
using hadeck::ui::ReplicationModel;
using hadeck::ui::TimeChart;

namespace {

using hadeck::test::fixture;

probes::SqlRow firstRow(const std::string& tsv)
{
    const QStringList lines = QString::fromStdString(tsv).split(QLatin1Char('\n'));
    probes::SqlRow row;
    const QStringList names = lines.value(0).split(QLatin1Char('\t'));
    const QStringList values = lines.value(1).split(QLatin1Char('\t'));
    for (int i = 0; i < names.size() && i < values.size(); ++i) {
        row[names[i].toStdString()] = values[i] == QLatin1String("NULL") ? std::nullopt : std::optional(values[i].toStdString());
    }
    return row;
}

proto::DbStatus replica(const QString& file)
{
    proto::DbStatus s;
    s.state = proto::DbState::Ok;
    s.role = "replica";
    s.readOnly = true;
    s.gtidCurrentPos = "0-1-42";
    auto r = probes::replicaFromRow(firstRow(fixture(file)));
    if (!r) {
        qFatal("%s", r.error().message.c_str());
    }
    s.replica = *r;
    return s;
}

proto::DbStatus master()
{
    proto::DbStatus s;
    s.state = proto::DbState::Ok;
    s.role = "master";
    s.gtidCurrentPos = "0-1-42";
    return s;
}

std::vector<proto::MfsChunkserver> chunkservers(const QString& file)
{
    auto r = probes::parseMfsChunkservers(fixture(file));
    if (!r) {
        qFatal("%s", r.error().message.c_str());
    }
    return *r;
}

} // namespace

class TstAppdataViews : public QObject {
    Q_OBJECT
private slots:
    void replicationModel();
    void replicationModelDropsNodesWithoutServer();
    void chunkserverModel();
    void diskModel();
    void agentTextInTooltipsIsNeverMarkup();
    void decimateKeepsExtremesAndGaps();
    void chartDrawsAtMostTwoPointsPerPixel();
    void chartMergesHistoryUnderLiveSamples();
    void chartTicksDrawWhatOneDrawDraws();
    void chartTakesNoTimeOrValueNoNodeCouldGive();
    void csvQuotes();
    void hostMetrics();
    void spaceBarTextOnOneLine();
    void sixtySeriesTickTime();
    void masterNamedFromInventoryBeforeItAnswers();
    void hostsDropsAnswersForUncheckedNodes();
};

void TstAppdataViews::replicationModel()
{
    ReplicationModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto running = replica(QStringLiteral("mariadb/replica-status-running.tsv"));
    QVERIFY(running.replica->lagSeconds.has_value());
    const QString masterAddress = QString::fromStdString(running.replica->masterHost);
    m.setStatus(QStringLiteral("db2"), QStringLiteral("198.18.0.32"), running);
    QCOMPARE(m.rowCount(), 1);
    // The master is not known yet: its address is shown as outside the inventory.
    QVERIFY(m.index(0, ReplicationModel::Master).data().toString().contains(masterAddress));
    QVERIFY(m.masterNodeOf(QStringLiteral("db2")).isEmpty());
    m.setStatus(QStringLiteral("db1"), masterAddress, master());
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.masterNodeOf(QStringLiteral("db2")), QStringLiteral("db1"));
    QVERIFY(m.index(0, ReplicationModel::Master).data().toString().startsWith(QStringLiteral("db1 (")));
    QCOMPARE(m.index(0, ReplicationModel::IoThread).data().toString(), QStringLiteral("Yes"));
    QCOMPARE(m.index(0, ReplicationModel::SqlThread).data().toString(), QStringLiteral("Yes"));
    QCOMPARE(m.index(0, ReplicationModel::Lag).data().toString(), QStringLiteral("%1 s").arg(*running.replica->lagSeconds));
    QCOMPARE(m.index(0, ReplicationModel::Gtid).data().toString(),
             QStringLiteral("executed 0-1-42, received %1").arg(QString::fromStdString(running.replica->gtidIoPos)));
    QVERIFY(m.index(0, 0).data(ReplicationModel::IsReplicaRole).toBool());
    QCOMPARE(m.index(1, ReplicationModel::Role).data().toString(), QStringLiteral("master"));
    QVERIFY(m.index(1, ReplicationModel::Lag).data().toString().isEmpty());

    // A replica still connecting: no lag, the IO thread in red, its error shown.
    const auto connecting = replica(QStringLiteral("mariadb/replica-status-connecting.tsv"));
    m.setStatus(QStringLiteral("db2"), QStringLiteral("198.18.0.32"), connecting);
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.index(0, ReplicationModel::Lag).data().toString(), QStringLiteral("unknown"));
    QCOMPARE(m.index(0, ReplicationModel::IoThread).data().toString(), QString::fromStdString(connecting.replica->ioRunning));
    QVERIFY(m.index(0, ReplicationModel::IoThread).data(Qt::ForegroundRole).isValid());
    if (!connecting.replica->lastIoError.empty()) {
        QVERIFY(m.index(0, ReplicationModel::LastError).data().toString().contains(
            QString::fromStdString(connecting.replica->lastIoError)));
    }
    // A failed call keeps the row and says why.
    m.setError(QStringLiteral("db1"), QStringLiteral("Timeout"));
    QCOMPARE(m.index(1, ReplicationModel::LastError).data().toString(), QStringLiteral("no answer: Timeout"));
    m.setStatus(QStringLiteral("db1"), masterAddress, master());
    QVERIFY(m.index(1, ReplicationModel::LastError).data().toString().isEmpty());
}

void TstAppdataViews::replicationModelDropsNodesWithoutServer()
{
    ReplicationModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proto::DbStatus none;
    none.state = proto::DbState::NotInstalled;
    m.setStatus(QStringLiteral("web1"), QStringLiteral("198.18.0.21"), none);
    QCOMPARE(m.rowCount(), 0);
    m.setStatus(QStringLiteral("db1"), QStringLiteral("198.18.0.31"), master());
    proto::DbStatus down;
    down.state = proto::DbState::Unreachable;
    down.reason = "connection refused";
    m.setStatus(QStringLiteral("db3"), QStringLiteral("198.18.0.33"), down);
    QCOMPARE(m.rowCount(), 2);
    QVERIFY(m.index(1, ReplicationModel::Role).data().toString().contains(QStringLiteral("connection refused")));
    m.setStatus(QStringLiteral("db1"), QStringLiteral("198.18.0.31"), none); // uninstalled since
    QCOMPARE(m.rowCount(), 1);
    QCOMPARE(m.index(0, 0).data(ReplicationModel::NodeNameRole).toString(), QStringLiteral("db3"));
    m.clear();
    QCOMPARE(m.rowCount(), 0);
}

void TstAppdataViews::chunkserverModel()
{
    ChunkserverModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto off = chunkservers(QStringLiteral("moosefs/mfscli-SCS.txt"));
    QVERIFY(off.size() >= 2);
    m.setChunkservers(off);
    QCOMPARE(m.rowCount(), static_cast<int>(off.size()));
    const int cs2 = m.rowOf(QStringLiteral("198.18.0.43"), 9422);
    QVERIFY(cs2 >= 0);
    QCOMPARE(m.index(cs2, ChunkserverModel::Maintenance).data().toString(), QStringLiteral("off"));
    QVERIFY(!m.index(cs2, 0).data(ChunkserverModel::MaintenanceOnRole).toBool());
    const double fraction = m.index(cs2, ChunkserverModel::Space).data(ChunkserverModel::FractionRole).toDouble();
    QVERIFY(fraction > 0 && fraction < 1);
    QVERIFY(!m.index(cs2, ChunkserverModel::Chunks).data(ChunkserverModel::FractionRole).isValid());

    // Maintenance on cs2 (captured from mfscli): the same rows, updated in place.
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    m.setChunkservers(chunkservers(QStringLiteral("moosefs/mfscli-SCS-maintenance.txt")));
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(m.index(cs2, ChunkserverModel::Maintenance).data().toString(), QStringLiteral("on"));
    QVERIFY(m.index(cs2, 0).data(ChunkserverModel::MaintenanceOnRole).toBool());

    // A disconnected chunkserver stays listed, in red.
    const auto disc = chunkservers(QStringLiteral("moosefs/mfscli-SCS-disconnected.txt"));
    m.setChunkservers(disc);
    QCOMPARE(m.rowCount(), static_cast<int>(disc.size()));
    bool sawDisconnected = false;
    for (int r = 0; r < m.rowCount(); ++r) {
        if (m.index(r, ChunkserverModel::State).data().toString() == QStringLiteral("disconnected")) {
            sawDisconnected = true;
            QVERIFY(m.index(r, ChunkserverModel::State).data(Qt::ForegroundRole).isValid());
        }
    }
    QVERIFY(sawDisconnected);
    m.setChunkservers({});
    QCOMPARE(m.rowCount(), 0);
}

void TstAppdataViews::diskModel()
{
    ChunkDiskModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto disks = probes::parseMfsDisks(fixture(QStringLiteral("moosefs/mfscli-SHD.txt")));
    QVERIFY(disks);
    QVERIFY(disks->size() >= 2);
    m.setDisks(*disks);
    QCOMPARE(m.rowCount(), static_cast<int>(disks->size()));
    QCOMPARE(m.index(1, ChunkDiskModel::Server).data(ChunkDiskModel::ServerRole).toString(), QStringLiteral("198.18.0.43:9422"));
    QVERIFY(m.index(1, ChunkDiskModel::Path).data().toString().contains(QStringLiteral("cs2")));
    (*disks)[1].errors = 3;
    m.setDisks(*disks);
    QCOMPARE(m.index(1, ChunkDiskModel::Errors).data().toString(), QStringLiteral("3"));
    QVERIFY(m.index(1, ChunkDiskModel::Errors).data(Qt::ForegroundRole).isValid());
    disks->pop_back();
    m.setDisks(*disks);
    QCOMPARE(m.rowCount(), static_cast<int>(disks->size()));
}

/// A replica's error, a chunkserver's labels and a disk's path come from the nodes (a SQL error
/// quotes the statement's data): markup in them is shown as text in the tooltips, never rendered.
void TstAppdataViews::agentTextInTooltipsIsNeverMarkup()
{
    const std::string markup = "<img src=\"file:///dev/zero\"><b>bold</b>";
    const auto literalEverywhere = [](const QAbstractItemModel& m) {
        int shown = 0;
        for (int r = 0; r < m.rowCount(); ++r) {
            for (int c = 0; c < m.columnCount(); ++c) {
                const QString tip = m.index(r, c).data(Qt::ToolTipRole).toString();
                if (tip.contains(QLatin1String("<img")) || tip.contains(QLatin1String("<b>"))) {
                    qWarning("row %d column %d: %s", r, c, qPrintable(tip));
                    return -1;
                }
                shown += tip.contains(QLatin1String("&lt;img")) ? 1 : 0;
            }
        }
        return shown;
    };

    ReplicationModel replication;
    auto stopped = replica(QStringLiteral("mariadb/replica-status-connecting.tsv"));
    stopped.replica->lastSqlError = "Duplicate entry '" + markup + "' for key 'PRIMARY'";
    replication.setStatus(QStringLiteral("db2"), QStringLiteral("198.18.0.32"), stopped);
    proto::DbStatus down;
    down.state = proto::DbState::Unreachable;
    down.reason = markup;
    replication.setStatus(QStringLiteral("db3"), QStringLiteral("198.18.0.33"), down);
    QCOMPARE(replication.rowCount(), 2);
    QVERIFY(literalEverywhere(replication) >= 2);

    ChunkserverModel servers;
    auto cs = chunkservers(QStringLiteral("moosefs/mfscli-SCS.txt"));
    cs.front().labels = markup;
    servers.setChunkservers(cs);
    QVERIFY(literalEverywhere(servers) >= 1);

    ChunkDiskModel disks;
    auto d = probes::parseMfsDisks(fixture(QStringLiteral("moosefs/mfscli-SHD.txt")));
    QVERIFY(d && !d->empty());
    d->front().path = "/srv/" + markup;
    disks.setDisks(*d);
    QVERIFY(literalEverywhere(disks) >= 1);
}

void TstAppdataViews::decimateKeepsExtremesAndGaps()
{
    // 24 h at 1 Hz with one spike and one dip, into 800 pixel columns.
    std::vector<QPointF> pts;
    const double t0 = 1.7e12;
    for (int i = 0; i < 86400; ++i) {
        double v = std::sin(i / 600.0);
        if (i == 40000) {
            v = 50;
        }
        if (i == 70000) {
            v = -50;
        }
        pts.emplace_back(t0 + i * 1000.0, v);
    }
    auto segs = TimeChart::decimate(pts, t0, t0 + 86399 * 1000.0, 800);
    QCOMPARE(segs.size(), 1);
    QVERIFY2(segs[0].size() <= 1600, qPrintable(QString::number(segs[0].size())));
    QVERIFY(segs[0].size() >= 800);
    double lo = 0;
    double hi = 0;
    for (int i = 0; i < segs[0].size(); ++i) {
        lo = std::min(lo, segs[0][i].y());
        hi = std::max(hi, segs[0][i].y());
        if (i > 0) {
            QVERIFY(segs[0][i].x() > segs[0][i - 1].x());
        }
    }
    QCOMPARE(hi, 50.0);
    QCOMPARE(lo, -50.0);

    // A gap (no value while a replica's threads were stopped) splits the line.
    pts[1000].setY(std::numeric_limits<double>::quiet_NaN());
    pts[1001].setY(std::numeric_limits<double>::quiet_NaN());
    segs = TimeChart::decimate(pts, t0, t0 + 86399 * 1000.0, 800);
    QCOMPARE(segs.size(), 2);
    QVERIFY(segs[0].back().x() < t0 + 1000 * 1000.0);
    QVERIFY(segs[1].front().x() > t0 + 1001 * 1000.0);
    // Points outside the range are left out; no buckets, no points.
    segs = TimeChart::decimate(pts, t0 + 2000 * 1000.0, t0 + 2010 * 1000.0, 100);
    QCOMPARE(segs.size(), 1);
    QCOMPARE(segs[0].size(), 11);
    QVERIFY(TimeChart::decimate(pts, t0, t0, 100).isEmpty());
}

void TstAppdataViews::chartDrawsAtMostTwoPointsPerPixel()
{
    TimeChart chart;
    chart.resize(640, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setWindowSeconds(3600);
    chart.ensureSeries(QStringLiteral("web1"), QStringLiteral("web1"));
    const double now = 1.7e9;
    for (int i = 0; i < 3600; ++i) {
        chart.append(QStringLiteral("web1"), now - 3600 + i, (i % 7) * 1.0);
    }
    chart.flush();
    // The plot area moves a little as the axis labels change; the widget bounds it.
    const int width = chart.viewport()->width();
    QVERIFY(width > 100);
    QCOMPARE(chart.rawCount(QStringLiteral("web1")), 3600);
    QVERIFY2(chart.drawnPoints(QStringLiteral("web1")) <= 2 * width,
             qPrintable(QStringLiteral("%1 points for %2 px").arg(chart.drawnPoints(QStringLiteral("web1"))).arg(width)));
    QVERIFY(chart.drawnPoints(QStringLiteral("web1")) > width / 2);
    QCOMPARE(chart.lastValue(QStringLiteral("web1")), std::optional<double>(3599 % 7));
    // A null sample ends the line; the next value starts a second segment.
    chart.append(QStringLiteral("web1"), now + 1, std::nullopt);
    QVERIFY(!chart.lastValue(QStringLiteral("web1")));
    chart.append(QStringLiteral("web1"), now + 2, 4.0);
    chart.flush();
    QCOMPARE(chart.segmentCount(QStringLiteral("web1")), 2);
    // Samples older than what is kept are dropped.
    chart.append(QStringLiteral("web1"), now + 7200, 1.0);
    QVERIFY(chart.rawCount(QStringLiteral("web1")) < 3600);
    chart.removeSeries(QStringLiteral("web1"));
    QVERIFY(chart.seriesKeys().isEmpty());
    QVERIFY(chart.chart()->series().isEmpty());
}

void TstAppdataViews::chartMergesHistoryUnderLiveSamples()
{
    TimeChart chart;
    chart.ensureSeries(QStringLiteral("db2"), QStringLiteral("db2"));
    chart.append(QStringLiteral("db2"), 1000, 5.0);
    chart.append(QStringLiteral("db2"), 1001, 6.0);
    chart.merge(QStringLiteral("db2"), {990, 995, 1000}, {1.0, 2.0, 99.0});
    QCOMPARE(chart.rawCount(QStringLiteral("db2")), 4); // 990, 995, 1000 (live kept), 1001
    QCOMPARE(chart.lastValue(QStringLiteral("db2")), std::optional<double>(6.0));
    chart.flush();
    auto* s = chart.lineSeries(QStringLiteral("db2"));
    QVERIFY(s != nullptr);
    bool sawLive = false;
    for (const auto& p : chart.drawnSegments(QStringLiteral("db2")).value(0)) {
        QVERIFY(p.y() != 99.0);
        sawLive = sawLive || (p.x() == 1000000.0 && p.y() == 5.0);
    }
    QVERIFY(sawLive);
    // Unknown series are ignored.
    chart.append(QStringLiteral("nope"), 1002, 1.0);
    QCOMPARE(chart.rawCount(QStringLiteral("nope")), 0);
}

/// The window ends with the newest sample of any series, and each series keeps what is newer than
/// its newest minus the kept span. One agent's history with a time a century ahead (a wrong clock
/// or a bad agent) moved the window there: every other node's line left the plot, and that node's
/// own samples were dropped. Times past the int64 range or before 1970, and values no metric has
/// (infinite, 1e300), are not taken either: no sample is drawn, and no scale is made, from them.
void TstAppdataViews::chartTakesNoTimeOrValueNoNodeCouldGive()
{
    TimeChart chart;
    chart.resize(640, 300);
    chart.setWindowSeconds(600);
    chart.ensureSeries(QStringLiteral("a"), QStringLiteral("a"));
    chart.ensureSeries(QStringLiteral("b"), QStringLiteral("b"));
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const std::int64_t now = QDateTime::currentSecsSinceEpoch();
    for (std::int64_t i = 0; i < 200; ++i) {
        chart.append(QStringLiteral("a"), static_cast<double>(now - 199 + i), 10.0 + static_cast<double>(i % 5));
        chart.append(QStringLiteral("b"), static_cast<double>(now - 199 + i), 20.0);
    }
    chart.flush();
    QVERIFY(chart.drawnPoints(QStringLiteral("a")) > 100);
    // b's history: 100 good samples before its live ones, and the times and values of a bad agent.
    std::vector<std::int64_t> times;
    std::vector<double> values;
    for (std::int64_t i = 0; i < 100; ++i) {
        times.push_back(now - 300 + i);
        values.push_back(30.0);
    }
    const double inf = std::numeric_limits<double>::infinity();
    for (const auto& [t, v] :
         std::vector<std::pair<std::int64_t, double>>{{now + 100LL * 365 * 86400, 1.0}, // a century ahead
                                                      {std::numeric_limits<std::int64_t>::max(), 2.0},
                                                      {std::numeric_limits<std::int64_t>::min(), 3.0},
                                                      {-5, 4.0},
                                                      {now - 310, inf},
                                                      {now - 305, -inf},
                                                      {now - 302, 1e300}}) {
        times.push_back(t);
        values.push_back(v);
    }
    chart.merge(QStringLiteral("b"), times, values);
    chart.flush();
    QCOMPARE(chart.rawCount(QStringLiteral("a")), 200);
    QVERIFY2(chart.drawnPoints(QStringLiteral("a")) > 100,
             qPrintable(QString::number(chart.drawnPoints(QStringLiteral("a")))));
    // b keeps its live samples and its good history; the three bad values are gaps.
    QCOMPARE(chart.rawCount(QStringLiteral("b")), 303);
    QVERIFY(chart.drawnPoints(QStringLiteral("b")) > 100);
    for (const auto& key : {QStringLiteral("a"), QStringLiteral("b")}) {
        for (const auto& seg : chart.drawnSegments(key)) {
            for (const auto& p : seg) {
                QVERIFY2(p.y() >= 10.0 && p.y() <= 30.0, qPrintable(QStringLiteral("%1: %2").arg(key).arg(p.y())));
                QVERIFY(p.x() <= static_cast<double>(now + 1) * 1000.0);
            }
        }
    }
    // Live samples alike: a time far ahead is not taken, an infinite value is no data.
    chart.append(QStringLiteral("a"), static_cast<double>(now) + 1e9, 1.0);
    chart.append(QStringLiteral("a"), std::numeric_limits<double>::quiet_NaN(), 1.0);
    QCOMPARE(chart.rawCount(QStringLiteral("a")), 200);
    chart.append(QStringLiteral("a"), static_cast<double>(now + 1), inf);
    QCOMPARE(chart.rawCount(QStringLiteral("a")), 201);
    QVERIFY(!chart.lastValue(QStringLiteral("a")));
    chart.flush();
    QVERIFY(chart.drawnPoints(QStringLiteral("a")) > 100);
}

/// The lines are rasterised a column per bucket and, tick by tick, only where they changed
/// (the image scrolls with the window). After many ticks the chart must show exactly what a
/// chart given the same samples at once shows; a one-sample spike stays visible (its column's
/// maximum) and a gap (null samples) leaves its columns empty.
void TstAppdataViews::chartTicksDrawWhatOneDrawDraws()
{
    TimeChart live;
    TimeChart once;
    for (auto* c : {&live, &once}) {
        c->resize(640, 300);
        c->setWindowSeconds(600);
        c->ensureSeries(QStringLiteral("a"), QStringLiteral("a"));
        c->ensureSeries(QStringLiteral("b"), QStringLiteral("b"));
        c->show();
        QVERIFY(QTest::qWaitForWindowExposed(c));
    }
    const double t0 = 1.7e9;
    const auto value = [](int i, int s) -> std::optional<double> {
        if (s == 1 && i >= 700 && i < 760) {
            return std::nullopt; // b's gap
        }
        if (s == 0 && i == 1000) {
            return 95.0; // a's spike
        }
        return 20 + 10 * s + 8 * std::sin(i / 17.0);
    };
    const QStringList keys{QStringLiteral("a"), QStringLiteral("b")};
    for (int i = 0; i < 1100; ++i) {
        for (int s = 0; s < 2; ++s) {
            live.append(keys[s], t0 + i, value(i, s));
            once.append(keys[s], t0 + i, value(i, s));
        }
        if (i >= 400) { // a tick: redrawn and painted, as the Hosts tab does each second
            live.flush();
            live.viewport()->repaint();
        }
    }
    // Both settle: a layout that moves the plot area's width redraws (the buckets follow it).
    for (int round = 0; round < 3; ++round) {
        for (auto* c : {&live, &once}) {
            c->flush();
            c->viewport()->repaint();
            QCoreApplication::processEvents();
        }
    }
    const QImage ticked = live.viewport()->grab().toImage();
    const QImage drawnOnce = once.viewport()->grab().toImage();
    QCOMPARE(ticked.size(), drawnOnce.size());
    QVERIFY2(ticked == drawnOnce, "the chart drawn tick by tick differs from the chart drawn once");

    const auto colourOf = [&](const QString& key) { return live.lineSeries(key)->color().rgb(); };
    const auto at = [&](double seconds, double v, const QString& key) {
        return live.mapFromScene(live.chart()->mapToPosition(QPointF(seconds * 1000.0, v), live.lineSeries(key)));
    };
    const QRect plot = live.mapFromScene(live.chart()->mapRectToScene(live.chart()->plotArea())).boundingRect();
    // The spike: a's colour near the point (t0 + 1000, 95), far above a's other values.
    const QPoint spike = at(t0 + 1000, 95.0, keys[0]);
    bool spikeShown = false;
    for (int dx = -2; dx <= 2; ++dx) {
        for (int dy = -2; dy <= 2; ++dy) {
            spikeShown = spikeShown || ticked.pixel(spike + QPoint(dx, dy)) == colourOf(keys[0]);
        }
    }
    QVERIFY2(spikeShown, qPrintable(QStringLiteral("no spike at %1,%2").arg(spike.x()).arg(spike.y())));
    // The gap: no pixel of b's colour in the columns of its null samples, and some on either side.
    const auto bIn = [&](int x) {
        for (int y = plot.top(); y <= plot.bottom(); ++y) {
            if (ticked.pixel(x, y) == colourOf(keys[1])) {
                return true;
            }
        }
        return false;
    };
    for (int i = 705; i <= 755; i += 5) {
        QVERIFY2(!bIn(at(t0 + i, 30, keys[1]).x()), qPrintable(QString::number(i)));
    }
    QVERIFY(bIn(at(t0 + 650, 30, keys[1]).x()));
    QVERIFY(bIn(at(t0 + 800, 30, keys[1]).x()));
}

void TstAppdataViews::csvQuotes()
{
    QStandardItemModel m(0, 3);
    m.setHorizontalHeaderLabels({QStringLiteral("Node"), QStringLiteral("Last error"), QStringLiteral("GTID")});
    m.appendRow({new QStandardItem(QStringLiteral("db2")), new QStandardItem(QStringLiteral("error \"1045\", access denied")),
                 new QStandardItem(QStringLiteral("0-1-42"))});
    auto* parent = new QStandardItem(QStringLiteral("db1"));
    parent->appendRow({new QStandardItem(QStringLiteral("child")), new QStandardItem(QStringLiteral("line1\nline2")),
                       new QStandardItem()});
    m.appendRow({parent, new QStandardItem(), new QStandardItem(QStringLiteral("0-1-43"))});
    const QString csv = ui::TableExport::toCsv(m);
    QCOMPARE(csv, QStringLiteral("Node,Last error,GTID\r\n"
                                 "db2,\"error \"\"1045\"\", access denied\",0-1-42\r\n"
                                 "db1,,0-1-43\r\n"
                                 "child,\"line1\nline2\",\r\n"));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.csv"));
    QString error;
    QVERIFY(ui::TableExport::saveCsv(m, path, &error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()), csv);
    QVERIFY(!ui::TableExport::saveCsv(m, dir.filePath(QStringLiteral("no/such/dir/t.csv")), &error));
    QVERIFY(error.contains(QStringLiteral("no/such/dir")));
}

void TstAppdataViews::hostMetrics()
{
    using M = ui::HostsView::Metric;
    proto::HostStatus s;
    QVERIFY(!ui::HostsView::value(M::Cpu, s));
    QVERIFY(!ui::HostsView::value(M::Memory, s));
    QVERIFY(!ui::HostsView::value(M::DiskIo, s));
    s.cpus.push_back({"cpu", 37.5, 2, 0});
    s.cpus.push_back({"cpu0", 90, 0, 0});
    s.memTotalKiB = 1000;
    s.memAvailableKiB = 250;
    s.load1 = 1.25;
    s.interfaces.push_back({"lo", 1e6, 1e6, 0, 0, 0, 0, 0, 0});
    s.interfaces.push_back({"eth0", 100, 50, 0, 0, 0, 0, 0, 0});
    s.interfaces.push_back({"eth1", 10, 5, 0, 0, 0, 0, 0, 0});
    s.disks.push_back({"vda", 0, 0, 0, 0, 12});
    s.disks.push_back({"vdb", 0, 0, 0, 0, 40});
    QCOMPARE(*ui::HostsView::value(M::Cpu, s), 37.5);
    QCOMPARE(*ui::HostsView::value(M::Memory, s), 75.0);
    QCOMPARE(*ui::HostsView::value(M::Load, s), 1.25);
    QCOMPARE(*ui::HostsView::value(M::Network, s), 165.0); // lo left out
    QCOMPARE(*ui::HostsView::value(M::DiskIo, s), 40.0);
    // The history series are the ones the agent records (appdata_host.cpp).
    QCOMPARE(ui::HostsView::historySeries(M::Cpu, s), QStringList{QStringLiteral("host.cpuBusyPct")});
    QCOMPARE(ui::HostsView::historySeries(M::Memory, s), QStringList{QStringLiteral("host.memUsedPct")});
    QCOMPARE(ui::HostsView::historySeries(M::Load, s), QStringList{QStringLiteral("host.load1")});
    QCOMPARE(ui::HostsView::historySeries(M::Network, s),
             (QStringList{QStringLiteral("net.eth0.rxBytesPerSec"), QStringLiteral("net.eth0.txBytesPerSec"),
                          QStringLiteral("net.eth1.rxBytesPerSec"), QStringLiteral("net.eth1.txBytesPerSec")}));
    QCOMPARE(ui::HostsView::historySeries(M::DiskIo, s),
             (QStringList{QStringLiteral("disk.vda.busyPct"), QStringLiteral("disk.vdb.busyPct")}));

    // Apache on the real servers, queries/s on the database nodes: from the node's last apache
    // and db topics, with the series the agent records (appdata_apache.cpp, appdata_mysql.cpp).
    QCOMPARE(ui::HostsView::historySeries(M::ApacheBusyWorkers, s), QStringList{QStringLiteral("apache.busyWorkers")});
    QCOMPARE(ui::HostsView::historySeries(M::ApacheRequestsPerSec, s),
             QStringList{QStringLiteral("apache.requestsPerSec")});
    QCOMPARE(ui::HostsView::historySeries(M::DbQueriesPerSec, s), QStringList{QStringLiteral("db.queriesPerSec")});
    console::AppNode web;
    web.name = QStringLiteral("web1");
    web.host = s;
    web.apache = proto::ApacheStatus{};
    web.apache->state = proto::ApacheState::Ok;
    web.apache->busyWorkers = 7;
    web.apache->requestsPerSec = 12.5;
    web.db = proto::DbStatus{};
    web.db->state = proto::DbState::NotInstalled;
    console::AppNode db;
    db.name = QStringLiteral("db1");
    db.host = s;
    db.apache = proto::ApacheStatus{};
    db.apache->state = proto::ApacheState::NotRunning; // the agent's answer on a node without Apache
    db.db = proto::DbStatus{};
    db.db->state = proto::DbState::Ok;
    db.db->queriesPerSec = 42;
    QCOMPARE(ui::HostsView::value(M::ApacheBusyWorkers, web), std::optional<double>(7));
    QCOMPARE(ui::HostsView::value(M::ApacheRequestsPerSec, web), std::optional<double>(12.5));
    QVERIFY(!ui::HostsView::value(M::DbQueriesPerSec, web));
    QVERIFY(!ui::HostsView::hasLayer(M::DbQueriesPerSec, web));
    QCOMPARE(ui::HostsView::value(M::DbQueriesPerSec, db), std::optional<double>(42));
    QVERIFY(!ui::HostsView::value(M::ApacheBusyWorkers, db));
    QVERIFY(!ui::HostsView::value(M::ApacheRequestsPerSec, db));
    QVERIFY(!ui::HostsView::hasLayer(M::ApacheBusyWorkers, db));
    QCOMPARE(ui::HostsView::value(M::Load, db), std::optional<double>(1.25));
    console::AppNode silent; // no topic yet: no layer at all
    QVERIFY(!ui::HostsView::value(M::ApacheRequestsPerSec, silent));
    QVERIFY(!ui::HostsView::value(M::Cpu, silent));

    // Fed samples reach the chart: web1's requests/s, db1 a gap (not 0) named "no data".
    ui::HostsView view;
    auto* chart = view.chart();
    view.setMetric(M::ApacheRequestsPerSec);
    QCOMPARE(view.metric(), M::ApacheRequestsPerSec);
    chart->ensureSeries(web.name, web.name);
    chart->ensureSeries(db.name, db.name);
    const double t = 1700000000;
    view.applySample(web.name, view.generation(), t, web);
    view.applySample(db.name, view.generation(), t, db);
    QCOMPARE(chart->lastValue(web.name), std::optional<double>(12.5));
    QCOMPARE(chart->rawCount(db.name), 1);
    QVERIFY(!chart->lastValue(db.name));
    QCOMPARE(chart->lineSeries(web.name)->name(), web.name);
    QVERIFY2(chart->lineSeries(db.name)->name().contains(QStringLiteral("no data")),
             qPrintable(chart->lineSeries(db.name)->name()));
    // Apache answering again on db1: its name comes back.
    db.apache->state = proto::ApacheState::Ok;
    db.apache->requestsPerSec = 3;
    view.applySample(db.name, view.generation(), t + 1, db);
    QCOMPARE(chart->lastValue(db.name), std::optional<double>(3));
    QCOMPARE(chart->lineSeries(db.name)->name(), db.name);
}

/// 60 series of 24 h at 1 Hz on one chart, one new sample each per tick: the GUI
/// thread's time per tick (append 60 samples and redraw) stays bounded.
void TstAppdataViews::sixtySeriesTickTime()
{
    TimeChart chart;
    chart.resize(1200, 500);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setWindowSeconds(86400);
    const double t0 = 1.7e9;
    for (int s = 0; s < 60; ++s) {
        const QString key = QStringLiteral("node%1").arg(s);
        chart.ensureSeries(key, key);
        std::vector<std::int64_t> times(86400);
        std::vector<double> values(86400);
        for (int i = 0; i < 86400; ++i) {
            times[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(t0) + i;
            values[static_cast<std::size_t>(i)] = std::sin((i + s * 97) / 300.0) * 50 + 50;
        }
        chart.merge(key, times, values);
    }
    chart.flush();
    QCoreApplication::processEvents();
    std::vector<double> ms;
    for (int tick = 0; tick < 30; ++tick) {
        QElapsedTimer timer;
        timer.start();
        for (int s = 0; s < 60; ++s) {
            chart.append(QStringLiteral("node%1").arg(s), t0 + 86400 + tick, 50.0);
        }
        chart.flush();
        chart.viewport()->repaint();
        ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms[ms.size() / 2];
    const double p99 = ms.back();
    qInfo("60 series x 86400 points: per tick median %.1f ms, max %.1f ms; %d points drawn for the widest series",
          median, p99, chart.drawnPointsMax());
    QVERIFY(chart.drawnPointsMax() <= 2 * chart.viewport()->width());
    QString error;
    QVERIFY2(ui::TableExport::savePng(&chart, testing::artifactsDir(QStringLiteral("gui-appdata")) + QStringLiteral("/sixty-series.png"), &error),
             qPrintable(error));
    // The time depends on the machine and the build (Debug here): printed, not judged.
    Q_UNUSED(p99);
}

/// In the lab the replica's answer often comes before its master's: the replica's master
/// is named from the inventory at once, not only once the master's own row exists.
void TstAppdataViews::masterNamedFromInventoryBeforeItAnswers()
{
    ReplicationModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto running = replica(QStringLiteral("mariadb/replica-status-running.tsv"));
    const QString masterAddress = QString::fromStdString(running.replica->masterHost);
    m.setInventoryAddresses(
        {{masterAddress, QStringLiteral("db1")}, {QStringLiteral("198.18.0.32"), QStringLiteral("db2")}});
    m.setStatus(QStringLiteral("db2"), QStringLiteral("198.18.0.32"), running);
    QCOMPARE(m.rowCount(), 1);
    QCOMPARE(m.masterNodeOf(QStringLiteral("db2")), QStringLiteral("db1"));
    QVERIFY(m.index(0, ReplicationModel::Master).data().toString().startsWith(QStringLiteral("db1 (")));
    // An address outside the inventory stays shown as such.
    m.setInventoryAddresses({{QStringLiteral("198.18.0.99"), QStringLiteral("other")}});
    QVERIFY(m.masterNodeOf(QStringLiteral("db2")).isEmpty());
    QVERIFY(m.index(0, ReplicationModel::Master).data().toString().contains(masterAddress));
}

/// History asked for a node that is unchecked before the answer comes is not merged and
/// not signalled as loaded (the lab test counted such answers as its nodes' history).
void TstAppdataViews::hostsDropsAnswersForUncheckedNodes()
{
    ui::HostsView view;
    QSignalSpy loaded(&view, &ui::HostsView::historyLoaded);
    auto* chart = view.chart();
    chart->ensureSeries(QStringLiteral("web1"), QStringLiteral("web1"));
    const std::vector<std::int64_t> times{1700000000, 1700000001, 1700000002};
    const std::vector<double> values{1, 2, 3};
    // Not asked (or unchecked since): dropped.
    view.applyHistory(QStringLiteral("web1"), view.generation(), times, values);
    QCOMPARE(loaded.count(), 0);
    QCOMPARE(chart->rawCount(QStringLiteral("web1")), 0);
    QVERIFY(!chart->hasSeries(QStringLiteral("dir1")));
    view.applyHistory(QStringLiteral("dir1"), view.generation(), times, values);
    QCOMPARE(loaded.count(), 0);
    // A live answer for an unchecked node adds no series.
    proto::HostStatus st;
    st.load1 = 0.5;
    view.applyStatus(QStringLiteral("dir1"), view.generation(), 1700000003, st);
    QVERIFY(!chart->hasSeries(QStringLiteral("dir1")));
    view.applyStatus(QStringLiteral("web1"), view.generation(), 1700000003, st);
    // An answer from before a metric change is not drawn as the new metric.
    const int before = view.generation();
    view.setMetric(ui::HostsView::Metric::Memory);
    QVERIFY(view.generation() != before);
}

// A chunkserver's space bar in a column narrower than its text: the text stays on one line
// (elided), as the admin reads it, instead of wrapping into a second, clipped line.
void TstAppdataViews::spaceBarTextOnOneLine()
{
    QStandardItemModel model(1, 1);
    const QString text = QStringLiteral("47.5 GiB / 95.7 GiB (49.6 %)");
    model.setData(model.index(0, 0), text, Qt::DisplayRole);
    model.setData(model.index(0, 0), 0.0, ChunkserverModel::FractionRole); // no chunk: only the frame and the text
    ui::SpaceBarDelegate delegate;
    QStyleOptionViewItem option;
    option.font = QApplication::font();
    option.fontMetrics = QFontMetrics(option.font);
    option.palette = QApplication::palette();
    const int lineHeight = option.fontMetrics.height();
    option.rect = QRect(0, 0, option.fontMetrics.horizontalAdvance(text) / 2, lineHeight * 4);
    // The whole text is what the column asks for.
    QVERIFY(delegate.sizeHint(option, model.index(0, 0)).width() > option.fontMetrics.horizontalAdvance(text));

    QImage image(option.rect.size(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        delegate.paint(&painter, option, model.index(0, 0));
    }
    // The rows holding text (dark pixels away from the frame) span at most one line.
    const QColor textColor = option.palette.color(QPalette::Text);
    int first = -1;
    int last = -1;
    for (int y = 4; y < image.height() - 4; ++y) {
        for (int x = 4; x < image.width() - 4; ++x) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.lightness() - textColor.lightness()) < 60) {
                first = first < 0 ? y : first;
                last = y;
                break;
            }
        }
    }
    QVERIFY2(first >= 0, "no text drawn");
    QVERIFY2(last - first < lineHeight + 2,
             qPrintable(QStringLiteral("text spans %1 px, a line is %2 px").arg(last - first + 1).arg(lineHeight)));
}

QTEST_MAIN(TstAppdataViews)
#include "tst_appdata_views.moc"
