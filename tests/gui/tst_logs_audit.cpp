// The Logs and Audit tabs' models and views, offscreen, no lab: lines of several
// nodes merged in time order (late lines put in their place, lines without a time
// kept after their predecessor), a jump to a timeline moment and back, the audit
// entries merged and filtered by user, node and action. Every model runs under
// QAbstractItemModelTester.

#include "guitest.h"

#include "app/clustersession.h"
#include "dialogs/modal.h"
#include "logs/auditmodel.h"
#include "logs/auditview.h"
#include "logs/logmodel.h"
#include "logs/logsview.h"
#include "models/timelinemodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

using namespace hadeck;
using hadeck::ui::AuditFilter;
using hadeck::ui::AuditModel;
using hadeck::ui::LogModel;

namespace {

std::vector<proto::LogLine> lines(std::initializer_list<std::pair<std::int64_t, const char*>> l)
{
    std::vector<proto::LogLine> out;
    for (const auto& [t, text] : l) {
        out.push_back(proto::LogLine{t, text});
    }
    return out;
}

QStringList texts(const QAbstractItemModel& m)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r) {
        out << m.index(r, LogModel::Text).data().toString();
    }
    return out;
}

proto::AuditRecord entry(std::int64_t t, const char* user, const char* method, const char* phase = "outcome")
{
    proto::AuditRecord e;
    e.time = t;
    e.user = user;
    e.method = method;
    e.phase = phase;
    e.params = R"({"server":"198.18.0.21:80"})";
    return e;
}

} // namespace

class TstLogsAudit : public QObject {
    Q_OBJECT
private slots:
    void linesMergeInTimeOrder();
    void lateLinesGoInTheirPlace();
    void capacityDropsOldest();
    void longBatchesMergeAsLineByLine();
    void currentLineStaysThroughAMerge();
    void removeOneNodeOrSource();
    void viewJumpsToMomentAndBack();
    void timelineClickShowsTheMoment();
    void auditMergedAndFiltered();
    void auditViewFilters();
    void exportButtonWritesTheFilteredTable();
};

void TstLogsAudit::linesMergeInTimeOrder()
{
    LogModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.addLines(QStringLiteral("web1"), QStringLiteral("apache-access"),
               lines({{100, "w1 a"}, {102, "w1 b"}, {105, "w1 c"}}));
    m.addLines(QStringLiteral("web2"), QStringLiteral("apache-access"),
               lines({{101, "w2 a"}, {102, "w2 b"}, {104, "w2 c"}}));
    // Merged by time; same second: arrival order (web1's 102 came first).
    QCOMPARE(texts(m), (QStringList{QStringLiteral("w1 a"), QStringLiteral("w2 a"), QStringLiteral("w1 b"),
                                    QStringLiteral("w2 b"), QStringLiteral("w2 c"), QStringLiteral("w1 c")}));
    QCOMPARE(m.index(1, LogModel::Node).data().toString(), QStringLiteral("web2"));
    QCOMPARE(m.index(0, LogModel::Source).data().toString(), QStringLiteral("apache-access"));
    QVERIFY(!m.index(0, LogModel::Time).data().toString().isEmpty());
    QCOMPARE(m.rowAtTime(102), 2);
    QCOMPARE(m.rowAtTime(103), 4);
    QCOMPARE(m.rowAtTime(0), 0);
    QCOMPARE(m.rowAtTime(1000), 6);
    QVERIFY(!m.headerData(LogModel::Text, Qt::Horizontal).toString().isEmpty());
}

void TstLogsAudit::lateLinesGoInTheirPlace()
{
    LogModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.addLines(QStringLiteral("db1"), QStringLiteral("mariadb-error"), lines({{200, "db1 a"}, {210, "db1 b"}}));
    // A follow's new line older than the newest shown (another node's clock or a slow flush).
    m.addLines(QStringLiteral("db2"), QStringLiteral("mariadb-error"), lines({{205, "db2 a"}}));
    // A line without a time (a stack trace's continuation) stays after the one before it.
    m.addLines(QStringLiteral("db2"), QStringLiteral("mariadb-error"), lines({{0, "db2 cont"}}));
    m.addLines(QStringLiteral("db1"), QStringLiteral("mariadb-error"), lines({{220, "db1 c"}}));
    QCOMPARE(texts(m), (QStringList{QStringLiteral("db1 a"), QStringLiteral("db2 a"), QStringLiteral("db2 cont"),
                                    QStringLiteral("db1 b"), QStringLiteral("db1 c")}));
    QVERIFY(m.index(2, LogModel::Time).data().toString().isEmpty()); // no time of its own shown
    QCOMPARE(m.timeAt(2), 205);
}

void TstLogsAudit::capacityDropsOldest()
{
    LogModel m(5);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<proto::LogLine> many;
    for (int i = 0; i < 8; ++i) {
        many.push_back(proto::LogLine{1000 + i, "line " + std::to_string(i)});
    }
    m.addLines(QStringLiteral("web1"), QStringLiteral("syslog"), many);
    QCOMPARE(m.rowCount(), 5);
    QCOMPARE(m.index(0, LogModel::Text).data().toString(), QStringLiteral("line 3"));
    QCOMPARE(m.index(4, LogModel::Text).data().toString(), QStringLiteral("line 7"));
}

// A long batch among the lines shown is merged in one reset; the order is the one the
// line-by-line insertion gives (the same lines fed a few at a time), ties and capacity included.
void TstLogsAudit::longBatchesMergeAsLineByLine()
{
    LogModel merged(300);
    LogModel byLine(300);
    QAbstractItemModelTester t1(&merged, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&byLine, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&merged, &QAbstractItemModel::modelReset);
    for (int node = 0; node < 3; ++node) {
        std::vector<proto::LogLine> batch;
        for (int i = 0; i < 120; ++i) {
            // Interleaved times, repeated seconds, and lines without a time of their own.
            const qint64 t = i % 7 == 3 ? 0 : 1000 + (i / 2) * 2 + node % 2; // web0 and web2 share seconds
            batch.push_back(proto::LogLine{t, "n" + std::to_string(node) + " " + std::to_string(i)});
        }
        // The second batch out of order within itself too.
        if (node == 1) {
            std::swap(batch[10], batch[90]);
        }
        const QString name = QStringLiteral("web%1").arg(node);
        merged.addLines(name, QStringLiteral("apache-error"), batch);
        for (std::size_t i = 0; i < batch.size(); i += 5) {
            const auto end = std::min(batch.size(), i + 5);
            byLine.addLines(
                name, QStringLiteral("apache-error"),
                std::vector<proto::LogLine>(batch.begin() + std::ptrdiff_t(i), batch.begin() + std::ptrdiff_t(end)));
        }
    }
    QCOMPARE(resets.count(), 2); // the first batch is appended; the next two land among it
    QCOMPARE(merged.rowCount(), 300);
    QCOMPARE(texts(merged), texts(byLine));
    for (int r = 0; r < merged.rowCount(); ++r) {
        QCOMPARE(merged.timeAt(r), byLine.timeAt(r));
    }
}

// A merge resets the model: the line the admin had selected stays current, and Back still
// returns to the line it named, though both moved down by the lines merged before them.
void TstLogsAudit::currentLineStaysThroughAMerge()
{
    ui::LogsView view;
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    std::vector<proto::LogLine> first;
    std::vector<proto::LogLine> second;
    for (int i = 0; i < 200; ++i) {
        first.push_back(proto::LogLine{6000 + 2 * i, "web1 line " + std::to_string(i)});
        second.push_back(proto::LogLine{6001 + 2 * i, "web2 line " + std::to_string(i)});
    }
    view.model()->addLines(QStringLiteral("web1"), QStringLiteral("apache-error"), first);
    const auto currentText = [&] {
        return view.model()
            ->index(view.filtered()->mapToSource(view.table()->currentIndex()).row(), LogModel::Text)
            .data()
            .toString();
    };
    view.table()->setCurrentIndex(view.filtered()->index(50, LogModel::Text));
    QCOMPARE(currentText(), QStringLiteral("web1 line 50"));
    view.showMoment(6300); // Back now names line 50
    QCOMPARE(currentText(), QStringLiteral("web1 line 150"));
    QSignalSpy resets(view.filtered(), &QAbstractItemModel::modelReset);
    view.model()->addLines(QStringLiteral("web2"), QStringLiteral("apache-error"), second);
    QCOMPARE(resets.count(), 1);
    QCOMPARE(view.model()->rowCount(), 400);
    QCOMPARE(currentText(), QStringLiteral("web1 line 150"));
    view.back();
    QCOMPARE(currentText(), QStringLiteral("web1 line 50"));
}

void TstLogsAudit::removeOneNodeOrSource()
{
    LogModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.addLines(QStringLiteral("web1"), QStringLiteral("apache-access"), lines({{1, "a1"}, {3, "a3"}}));
    m.addLines(QStringLiteral("web1"), QStringLiteral("apache-error"), lines({{2, "e2"}}));
    m.addLines(QStringLiteral("web2"), QStringLiteral("apache-access"), lines({{2, "b2"}, {4, "b4"}}));
    m.removeLines(QStringLiteral("web1"), QStringLiteral("apache-error"));
    QCOMPARE(texts(m),
             (QStringList{QStringLiteral("a1"), QStringLiteral("b2"), QStringLiteral("a3"), QStringLiteral("b4")}));
    m.removeLines(QStringLiteral("web1"));
    QCOMPARE(texts(m), (QStringList{QStringLiteral("b2"), QStringLiteral("b4")}));
    m.clear();
    QCOMPARE(m.rowCount(), 0);
}

void TstLogsAudit::viewJumpsToMomentAndBack()
{
    ui::LogsView view;
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QAbstractItemModelTester tester(view.filtered(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<proto::LogLine> many;
    for (int i = 0; i < 300; ++i) {
        many.push_back(proto::LogLine{5000 + i, (i % 2 ? "GET /index.php " : "POST /results ") + std::to_string(i)});
    }
    view.model()->addLines(QStringLiteral("web1"), QStringLiteral("apache-access"), many);
    QSignalSpy moments(&view, &ui::LogsView::momentSelected);
    // Selecting a line by hand says its moment.
    view.table()->setCurrentIndex(view.filtered()->index(10, LogModel::Text));
    QCOMPARE(moments.count(), 1);
    QCOMPARE(moments.at(0).at(0).toLongLong(), 5010);
    // A timeline moment: the first line at or after it, shown; no echo back.
    view.showMoment(5150);
    QCOMPARE(moments.count(), 1);
    QCOMPARE(view.model()->timeAt(view.filtered()->mapToSource(view.table()->currentIndex()).row()), 5150);
    const QRect shown = view.table()->visualRect(view.table()->currentIndex());
    QVERIFY(view.table()->viewport()->rect().intersects(shown));
    // Back: where the admin was.
    view.back();
    QCOMPARE(view.table()->currentIndex().row(), 10);
    // The filter applies; a jump lands on the first shown line at or after the moment.
    view.setFilterText(QStringLiteral("post"));
    QCOMPARE(view.filtered()->rowCount(), 150);
    view.showMoment(5151);
    QCOMPARE(view.model()->timeAt(view.filtered()->mapToSource(view.table()->currentIndex()).row()), 5152);
    // Every line older than the moment: the newest shown.
    view.showMoment(99999);
    QCOMPARE(view.model()->timeAt(view.filtered()->mapToSource(view.table()->currentIndex()).row()), 5298);
}

void TstLogsAudit::timelineClickShowsTheMoment()
{
    console::ClusterModel cluster(QStringLiteral("lab"));
    ui::TimelineModel timeline(cluster);
    QAbstractItemModelTester tester(&timeline, QAbstractItemModelTester::FailureReportingMode::QtTest);
    console::ClusterEvent a;
    a.timeMs = 7000 * 1000LL;
    a.node = QStringLiteral("dir1");
    a.text = QStringLiteral("VI_1 MASTER -> FAULT");
    console::ClusterEvent b = a;
    b.timeMs = 7100 * 1000LL;
    b.text = QStringLiteral("web1 drained");
    timeline.append({a, b});
    QTableView tv;
    tv.setModel(&timeline);
    tv.resize(600, 200);
    tv.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tv));
    ui::LogsView logs;
    logs.resize(900, 400);
    logs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&logs));
    ui::linkLogsToTimeline(&logs, &tv);
    std::vector<proto::LogLine> many;
    for (int i = 0; i < 200; ++i) {
        many.push_back(proto::LogLine{6950 + i, "line " + std::to_string(i)});
    }
    logs.model()->addLines(QStringLiteral("dir1"), QStringLiteral("keepalived"), many);
    // Clicking the older event (the timeline is newest first: row 1).
    const int rowOfA = timeline.index(0, 0).data(ui::TimelineModel::TimeRole).toLongLong() == a.timeMs ? 0 : 1;
    const QRect cell = tv.visualRect(timeline.index(rowOfA, ui::TimelineModel::Message));
    QTest::mouseClick(tv.viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(logs.model()->timeAt(logs.filtered()->mapToSource(logs.table()->currentIndex()).row()), 7000);
    // And back: a line near the newer event selects that event in the timeline.
    logs.table()->setCurrentIndex(logs.filtered()->index(logs.model()->rowAtTime(7098), LogModel::Text));
    QCOMPARE(tv.currentIndex().data(ui::TimelineModel::TimeRole).toLongLong(), b.timeMs);
}

void TstLogsAudit::auditMergedAndFiltered()
{
    AuditModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    AuditFilter f;
    f.setSourceModel(&m);
    QAbstractItemModelTester ftester(&f, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setEntries(QStringLiteral("dir1"), {entry(100, "alice", "drain.apply", "intent"),
                                          entry(101, "alice", "drain.apply"), entry(300, "bob", "vrrp.release")});
    m.setEntries(QStringLiteral("dir2"),
                 {entry(100, "alice", "drain.apply", "intent"), entry(200, "carol", "firewall.apply")});
    QCOMPARE(m.rowCount(), 5);
    QCOMPARE(m.index(0, AuditModel::Node).data().toString(), QStringLiteral("dir1"));
    QCOMPARE(m.index(1, AuditModel::Node).data().toString(), QStringLiteral("dir2"));
    QCOMPARE(m.index(3, AuditModel::Action).data().toString(), QStringLiteral("firewall.apply"));
    QCOMPARE(m.index(4, AuditModel::User).data().toString(), QStringLiteral("bob"));
    QCOMPARE(m.index(0, AuditModel::Phase).data().toString(), QStringLiteral("intent"));
    QCOMPARE(m.users(), (QStringList{QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}));
    f.setUser(QStringLiteral("alice"));
    QCOMPARE(f.rowCount(), 3);
    f.setNodes({QStringLiteral("dir2")});
    QCOMPARE(f.rowCount(), 1);
    f.setUser({});
    f.setAction(QStringLiteral("FIREWALL"));
    QCOMPARE(f.rowCount(), 1);
    QCOMPARE(f.index(0, AuditModel::User).data().toString(), QStringLiteral("carol"));
    f.setNodes({});
    f.setAction(QStringLiteral("drain"));
    QCOMPARE(f.rowCount(), 3);
    // A node's new tail replaces its old one.
    m.setEntries(QStringLiteral("dir1"), {entry(400, "dave", "drain.restore")});
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(f.rowCount(), 2);
    m.removeNode(QStringLiteral("dir2"));
    QCOMPARE(m.rowCount(), 1);
}

void TstLogsAudit::auditViewFilters()
{
    ui::AuditView view;
    QAbstractItemModelTester tester(view.filtered(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.model()->setEntries(QStringLiteral("web1"),
                             {entry(100, "alice", "drain.apply"), entry(200, "bob", "firewall.apply")});
    view.setUserFilter(QStringLiteral("bob"));
    QCOMPARE(view.filtered()->rowCount(), 1);
    view.setUserFilter({});
    view.setActionFilter(QStringLiteral("drain"));
    QCOMPARE(view.filtered()->rowCount(), 1);
    QCOMPARE(view.filtered()->index(0, AuditModel::User).data().toString(), QStringLiteral("alice"));
}

void TstLogsAudit::exportButtonWritesTheFilteredTable()
{
    // Through the real button: the file question is answered as an admin would, and a file that
    // cannot be written says why, in the warning, with nothing half-written left behind.
    ui::AuditView view;
    view.model()->setEntries(QStringLiteral("web1"),
                             {entry(100, "alice", "drain.apply"), entry(200, "bob", "firewall.apply")});
    view.setUserFilter(QStringLiteral("bob"));
    auto* button = view.findChild<QPushButton*>(QStringLiteral("auditCsv"));
    QVERIFY(button);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.csv"));
    ui::Modal::setNextFileName(path);
    button->click();
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString csv = QString::fromUtf8(f.readAll());
    QVERIFY2(csv.contains(QStringLiteral("bob")) && !csv.contains(QStringLiteral("alice")), qPrintable(csv));

    const QString bad = dir.filePath(QStringLiteral("no/such/dir/audit.csv"));
    ui::Modal::setNextFileName(bad);
    ui::Modal::setNextAnswer(QMessageBox::Ok);
    button->click();
    QVERIFY2(ui::Modal::lastWarning().contains(QStringLiteral("Could not write")),
             qPrintable(ui::Modal::lastWarning()));
    QVERIFY(!QFile::exists(bad));

    // Cancelled: nothing written, nothing said.
    ui::Modal::setNextFileName(QString());
    const QString before = ui::Modal::lastWarning();
    button->click();
    QCOMPARE(ui::Modal::lastWarning(), before);
}

QTEST_MAIN(TstLogsAudit)
#include "tst_logs_audit.moc"
