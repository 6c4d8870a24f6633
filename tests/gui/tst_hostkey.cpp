// A node whose SSH host key CHANGED: the real MainWindow connects to a real
// sshd on loopback whose key was swapped after it was recorded, and must show
// the hard-stop warning (old and new fingerprints, no way to accept, how to
// remove the old key) instead of a generic error or a trust question.

#include "app/clustersession.h"
#include "app/mainwindow.h"
#include "dialogs/hostkeydialog.h"
#include "hadeck/console/inventory.h"
#include "sshtestenv.h"

#include <QAbstractButton>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using namespace hadeck;
using hadeck::ui::HostKeyDialog;
using hadeck::ui::MainWindow;

class TstHostKey : public QObject {
    Q_OBJECT
private slots:
    void changedKeyShowsTheHardStopWarning();
    void recordedKeysAreReadFromKnownHosts();
};

void TstHostKey::changedKeyShowsTheHardStopWarning()
{
    test::Sshd sshd;
    const QString oldLine = sshd.knownHostsLine();
    const QString oldFp = sshd.hostFingerprint();
    QVERIFY(sshd.regenerateHostKey()); // the node was "reinstalled" after we recorded its key
    const QString newFp = sshd.hostFingerprint();
    QVERIFY(oldFp != newFp);
    QString error;
    QVERIFY2(sshd.start({}, &error), qPrintable(error));

    QTemporaryDir dir;
    const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
    QFile kh(knownHosts);
    QVERIFY(kh.open(QIODevice::WriteOnly));
    kh.write(oldLine.toUtf8());
    kh.close();
    console::ClusterInventory inventory;
    inventory.name = QStringLiteral("hostkey");
    inventory.knownHosts = knownHosts;
    console::NodeSpec node;
    node.name = QStringLiteral("lb1");
    node.address = QStringLiteral("127.0.0.1");
    node.port = sshd.port();
    node.user = QStringLiteral("root");
    node.key = sshd.userKey();
    node.roles = {QStringLiteral("director")};
    inventory.nodes << node;
    const QString path = dir.filePath(QStringLiteral("hostkey.json"));
    QVERIFY(console::saveInventory(inventory, path));

    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QCOMPARE(window.openClusterFile(path), QString());
    HostKeyDialog* warning = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((warning = window.findChild<HostKeyDialog*>(QStringLiteral("hostKeyChangedDialog"))) != nullptr,
                             20000);
    QVERIFY(warning->isChangedKeyWarning());
    QVERIFY(warning->isVisible());
    // Never a trust question for a changed key.
    for (auto* d : window.findChildren<HostKeyDialog*>()) {
        QVERIFY(d->isChangedKeyWarning());
    }
    QCOMPARE(window.currentSession()->model().node(QStringLiteral("lb1"))->link, console::NodeState::Refused);

    const auto* recorded = warning->findChild<QLabel*>(QStringLiteral("recordedFingerprints"));
    const auto* presented = warning->findChild<QLabel*>(QStringLiteral("presentedFingerprint"));
    const auto* steps = warning->findChild<QLabel*>(QStringLiteral("removeInstructions"));
    QVERIFY(recorded && presented && steps);
    QVERIFY2(recorded->text().contains(oldFp), qPrintable(recorded->text()));
    QCOMPARE(presented->text(), newFp);
    QVERIFY2(steps->text().contains(QStringLiteral("ssh-keygen -R '[127.0.0.1]:%1'").arg(sshd.port())),
             qPrintable(steps->text()));
    QVERIFY(steps->text().contains(knownHosts));
    // Only Close: nothing in the dialog accepts the new key.
    const auto buttons = warning->findChild<QDialogButtonBox*>()->buttons();
    QCOMPARE(buttons.size(), 1);
    QCOMPARE(warning->findChild<QDialogButtonBox*>()->buttonRole(buttons.front()), QDialogButtonBox::RejectRole);
    QVERIFY(!sshd.log().contains(QLatin1String("Accepted publickey")));

    const QString artifacts = qEnvironmentVariable("HADECK_ARTIFACTS");
    if (!artifacts.isEmpty()) {
        QTest::qWait(100);
        warning->grab().save(artifacts + QStringLiteral("/hostkey-changed-en.png"));
    }
    // The known_hosts file is left as it was: removing the old key is the admin's deliberate act.
    QFile again(knownHosts);
    QVERIFY(again.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(again.readAll()), oldLine);
    warning->close();
}

void TstHostKey::recordedKeysAreReadFromKnownHosts()
{
    test::Sshd sshd;
    QTemporaryDir dir;
    const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
    QFile kh(knownHosts);
    QVERIFY(kh.open(QIODevice::WriteOnly));
    kh.write("# comment\n198.18.0.99 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0000000000000000000000000000000000000000000\n");
    kh.write(sshd.knownHostsLine().toUtf8());
    kh.close();
    const auto keys = console::knownHostKeys(knownHosts, QStringLiteral("127.0.0.1"), sshd.port());
    QCOMPARE(keys, (QList<console::HostKey>{{QStringLiteral("ssh-ed25519"), sshd.hostFingerprint()}}));
    QVERIFY(console::knownHostKeys(knownHosts, QStringLiteral("127.0.0.1"), 22).isEmpty());
    // Hashed entries (HashKnownHosts yes) match too.
    QCOMPARE(test::runProgram(QStringLiteral("ssh-keygen"), {QStringLiteral("-H"), QStringLiteral("-f"), knownHosts},
                              {.mergeChannels = true})
                 .code,
             0);
    QCOMPARE(console::knownHostKeys(knownHosts, QStringLiteral("127.0.0.1"), sshd.port()), keys);
}

QTEST_MAIN(TstHostKey)
#include "tst_hostkey.moc"
