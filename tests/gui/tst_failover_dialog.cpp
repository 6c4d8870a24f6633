// The failover dialog on a real FailoverJob over the scripted pair of directors, offscreen:
// what the agents say (instance names, refusals) is shown as text, never rendered as markup.

#include "dialogs/failoverdialog.h"
#include "scriptedpair.h"

#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

using namespace hadeck;
using namespace hadeck::console;
using hadeck::test::forcedCacheFailover;
using hadeck::test::ScriptedPair;

class TstFailoverDialog : public QObject {
    Q_OBJECT
private slots:
    /// dir1's agent names an instance that shares VI_CACHE's track file with markup in its
    /// name: the check's detail and the release step show it, and their tooltips show it
    /// literally (a step's tooltip rendered it as rich text).
    void agentNamesInStepsAndChecksAreText()
    {
        ScriptedPair pair;
        pair.sharingTrackFile = {"<img src=\"file:///dev/zero\"><b>VI_DB</b>"};
        FailoverJob job(pair, forcedCacheFailover(5000));
        hadeck::ui::FailoverDialog dialog(&job, QStringLiteral("dir1"));
        dialog.show();
        QSignalSpy done(&job, &FailoverJob::finishedWith);
        job.start();
        QVERIFY(done.wait(20000));
        QTRY_VERIFY(dialog.jobFinished());
        QVERIFY(dialog.stepCount() > 0);
        int literal = 0;
        for (auto* tree : dialog.findChildren<QTreeWidget*>()) {
            for (QTreeWidgetItemIterator it(tree); *it != nullptr; ++it) {
                for (int c = 0; c < tree->columnCount(); ++c) {
                    const QString tip = (*it)->toolTip(c);
                    QVERIFY2(!tip.contains(QLatin1String("<img")) && !tip.contains(QLatin1String("<b>")),
                             qPrintable(tip));
                    literal += tip.contains(QLatin1String("&lt;img")) ? 1 : 0;
                }
            }
        }
        QVERIFY(literal > 0);
    }
};

QTEST_MAIN(TstFailoverDialog)
#include "tst_failover_dialog.moc"
