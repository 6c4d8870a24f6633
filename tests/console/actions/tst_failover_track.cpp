// The hadeck track file's edit (the snippet the console and the agent show is
// defined once, in protocol/payloads.h). The agent judges its edit by what `keepalived -t`
// says that it did not say before (fixtures: tests/data/actions, from
// keepalived 2.2.7's own output).

#include "fixture.h"
#include "hadeck/agent/actions/failover.h"
#include "hadeck/agent/actions/failover_module.h"

#include <QFile>
#include <QtTest>

namespace {

std::string fixture(const QString& name)
{
    return name.isEmpty() ? std::string() : hadeck::test::fixture(QStringLiteral("actions/") + name);
}

} // namespace

class TestTrackSnippet : public QObject {
    Q_OBJECT
private slots:
    void newComplaints_data();
    void newComplaints();
};

void TestTrackSnippet::newComplaints_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QStringList>("expected");
    const QString warn = QStringLiteral("keepalived-t-sync-group-warning.txt");
    const QString unknown = QStringLiteral("keepalived-t-unknown-keyword.txt");
    const QString badVrid = QStringLiteral("keepalived-t-bad-vrid.txt");
    QTest::newRow("same warning as before") << warn << warn << QStringList{};
    QTest::newRow("the edit added an unknown keyword")
        << warn << unknown << QStringList{"(unknown.conf: Line 11) Unknown keyword 'bogus_keyword'"};
    QTest::newRow("clean before, errors after")
        << QString() << badVrid
        << QStringList{"(bad.conf: Line 9) number '999' outside range [1, 255]",
                       "(bad.conf: Line 9) (VI_1): VRID '999' not valid - must be between 1 & 255",
                       "(VI_1) the virtual router id must be set"};
    QTest::newRow("line numbers and file name shift") << unknown << QStringLiteral("shifted") << QStringList{};
}

void TestTrackSnippet::newComplaints()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(QStringList, expected);
    std::string afterText;
    if (after == QStringLiteral("shifted")) {
        // The same complaint about the candidate file, three lines further down.
        afterText = "(/etc/keepalived/keepalived.conf.hadeck-new: Line 14) Unknown keyword 'bogus_keyword'\n"
                    "Sync group VGM has only 1 virtual router(s) - this probably isn't what you want\n";
    } else {
        afterText = fixture(after);
    }
    QStringList got;
    for (const auto& l : hadeck::agent::newConfigComplaints(fixture(before), afterText)) {
        got << QString::fromStdString(l);
    }
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(TestTrackSnippet)
#include "tst_failover_track.moc"
