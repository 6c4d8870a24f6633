// The console shows the track-file lines in its preflight refusal; the agent
// shows them when it refuses vrrp.release and adds them in addFailoverTrack.
// The admin must see the same lines from either side.

#include "hadeck/agent/actions/failover.h"
#include "hadeck/console/actions/preflight.h"

#include <QtTest>

class TestTrackSnippet : public QObject {
    Q_OBJECT
private slots:
    void consoleMatchesAgent_data();
    void consoleMatchesAgent();
};

void TestTrackSnippet::consoleMatchesAgent_data()
{
    QTest::addColumn<QString>("instance");
    QTest::newRow("lab") << "VI_CACHE";
    QTest::newRow("seed style") << "VI_1";
}

void TestTrackSnippet::consoleMatchesAgent()
{
    QFETCH(QString, instance);
    QCOMPARE(QString::fromLatin1(hadeck::console::kDefaultFailoverTrackPath),
             QString::fromLatin1(hadeck::agent::kDefaultFailoverFile));
    const std::string agent =
        hadeck::agent::failoverTrackSnippet(hadeck::agent::kDefaultFailoverFile, instance.toStdString());
    QCOMPARE(hadeck::console::failoverTrackSnippet(instance, QString::fromLatin1(hadeck::agent::kFailoverTrackName)),
             QString::fromStdString(agent));
}

QTEST_GUILESS_MAIN(TestTrackSnippet)
#include "tst_track_snippet.moc"
