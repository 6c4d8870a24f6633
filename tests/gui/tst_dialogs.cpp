// The cluster manager (create, edit, save, open an inventory; add the real
// servers found in IPVS) and the credential prompts the SSH transport asks
// through, driven as an admin would, offscreen.

#include "dialogs/clustermanagerdialog.h"
#include "dialogs/dialogprompter.h"
#include "dialogs/hostkeydialog.h"
#include "hadeck/console/inventory.h"
#include "hadeck/console/model/clustermodel.h"
#include "synthetic/syntheticcluster.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>

using namespace hadeck;
using hadeck::ui::ClusterManagerDialog;

namespace {

QPushButton* buttonNamed(QWidget& parent, const QString& text)
{
    for (auto* b : parent.findChildren<QPushButton*>()) {
        if (b->text() == text) {
            return b;
        }
    }
    return nullptr;
}

QLineEdit* editShowing(QWidget& parent, const QString& text)
{
    for (auto* e : parent.findChildren<QLineEdit*>()) {
        if (e->text() == text) {
            return e;
        }
    }
    return nullptr;
}

} // namespace

class TstDialogs : public QObject {
    Q_OBJECT
private slots:
    void init();
    void createSaveEditAndOpenAnInventory();
    void addsTheRealServersFoundInIpvs();
    void passphrasePrompt();
    void unknownHostKeyQuestion();
};

void TstDialogs::init()
{
    QDir(console::clustersDirectory()).removeRecursively();
}

void TstDialogs::createSaveEditAndOpenAnInventory()
{
    const QString path = QDir(console::clustersDirectory()).filePath(QStringLiteral("lab2.json"));
    {
        ClusterManagerDialog dialog(nullptr);
        dialog.show();
        // No cluster yet and nothing open: the dialog starts a new one.
        auto* name = editShowing(dialog, QStringLiteral("new-cluster"));
        QVERIFY(name);
        name->setText(QStringLiteral("lab2"));
        auto* add = buttonNamed(dialog, QStringLiteral("Add node"));
        QVERIFY(add);
        add->click();
        auto* table = dialog.nodeTable();
        QCOMPARE(table->rowCount(), 1);
        table->item(0, 0)->setText(QStringLiteral("lb1"));
        table->item(0, 1)->setText(QStringLiteral("198.18.0.11"));
        auto* save = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save);
        QVERIFY(save);
        save->click();
        QVERIFY2(QFile::exists(path), qPrintable(path));
    }
    auto saved = console::loadInventory(path);
    QVERIFY2(saved, saved ? "" : saved.error().message.c_str());
    QCOMPARE(saved->name, QStringLiteral("lab2"));
    QCOMPARE(saved->nodes.size(), 1);
    QCOMPARE(saved->nodes.front().address, QStringLiteral("198.18.0.11"));

    // Edit: reopen, change the address, add a node, save again.
    {
        ClusterManagerDialog dialog(nullptr);
        QCOMPARE(dialog.load(path), QString());
        QCOMPARE(dialog.nodeTable()->rowCount(), 1);
        dialog.nodeTable()->item(0, 1)->setText(QStringLiteral("198.18.0.12"));
        buttonNamed(dialog, QStringLiteral("Add node"))->click();
        dialog.nodeTable()->item(1, 0)->setText(QStringLiteral("web1"));
        dialog.nodeTable()->item(1, 1)->setText(QStringLiteral("198.18.1.11"));
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save)->click();
    }
    saved = console::loadInventory(path);
    QVERIFY(saved);
    QCOMPARE(saved->nodes.size(), 2);
    QCOMPARE(saved->nodes.at(0).address, QStringLiteral("198.18.0.12"));
    QCOMPARE(saved->nodes.at(1).name, QStringLiteral("web1"));

    // A bad edit is refused with the reason, and the file keeps its last good content.
    {
        ClusterManagerDialog dialog(nullptr);
        QCOMPARE(dialog.load(path), QString());
        dialog.nodeTable()->item(1, 0)->setText(QStringLiteral("lb1")); // duplicate name
        const auto expected = console::validateInventory(dialog.inventory());
        QVERIFY(!expected);
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save)->click();
        bool reasonShown = false;
        for (auto* l : dialog.findChildren<QLabel*>()) {
            reasonShown = reasonShown || l->text() == QString::fromStdString(expected.error().message);
        }
        QVERIFY(reasonShown);
    }
    saved = console::loadInventory(path);
    QVERIFY(saved);
    QCOMPARE(saved->nodes.at(1).name, QStringLiteral("web1"));

    // Open: "Save and connect" hands the file to the window.
    ClusterManagerDialog dialog(nullptr);
    QCOMPARE(dialog.load(path), QString());
    auto* connectButton = buttonNamed(dialog, QStringLiteral("Save and connect"));
    QVERIFY(connectButton);
    connectButton->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(QFileInfo(dialog.selectedPath()).canonicalFilePath(), QFileInfo(path).canonicalFilePath());
}

void TstDialogs::addsTheRealServersFoundInIpvs()
{
    console::ClusterModel model(QStringLiteral("lab"));
    testing::SyntheticCluster source;
    source.open(model);
    model.removeNode(QStringLiteral("web3")); // routed to by the directors, missing from the inventory
    model.flush();
    const QString web3 = testing::SyntheticCluster::realServerAddress(2);
    QCOMPARE(model.unknownRealServers(), QStringList{web3});

    console::ClusterInventory inv;
    inv.name = QStringLiteral("lab");
    for (const auto& n : model.nodeNames()) {
        console::NodeSpec spec;
        spec.name = n;
        spec.address = model.node(n)->address;
        inv.nodes << spec;
    }
    const QString path = QDir(console::clustersDirectory()).filePath(QStringLiteral("lab.json"));
    QDir().mkpath(console::clustersDirectory());
    QVERIFY(console::saveInventory(inv, path));

    ClusterManagerDialog dialog(&model);
    QCOMPARE(dialog.load(path), QString());
    const int before = dialog.nodeTable()->rowCount();
    auto* fromIpvs = buttonNamed(dialog, QStringLiteral("Add the real servers found in IPVS"));
    QVERIFY(fromIpvs);
    fromIpvs->click();
    QCOMPARE(dialog.nodeTable()->rowCount(), before + 1);
    const auto edited = dialog.inventory();
    const auto found = std::find_if(edited.nodes.begin(), edited.nodes.end(),
                                    [&](const auto& n) { return n.address == web3; });
    QVERIFY(found != edited.nodes.end());
    QVERIFY(!found->name.isEmpty());
    // Asking again adds nothing twice.
    QCOMPARE(dialog.addRealServersFromIpvs(), 0);
    QCOMPARE(dialog.nodeTable()->rowCount(), before + 1);
}

void TstDialogs::passphrasePrompt()
{
    QWidget parent;
    parent.show();
    ui::DialogPrompter prompter(&parent);
    std::optional<std::optional<QString>> answer;
    prompter.passphrase({QStringLiteral("lb1"), QStringLiteral("/keys/id_ed25519"), 1},
                        [&](std::optional<QString> a) { answer = a; });
    auto* input = parent.findChild<QInputDialog*>();
    QVERIFY(input);
    QVERIFY(input->isVisible());
    QCOMPARE(input->textEchoMode(), QLineEdit::Password); // never shown on screen
    QVERIFY(input->labelText().contains(QStringLiteral("/keys/id_ed25519")));
    QVERIFY(!answer); // asynchronous: nothing answered until the admin does
    input->setTextValue(QStringLiteral("s3cret"));
    const QPointer<QInputDialog> first(input);
    input->accept();
    QVERIFY(answer);
    QCOMPARE(*answer, std::optional<QString>(QStringLiteral("s3cret")));
    // The widget no longer holds it, though it lives until its deferred delete.
    QVERIFY(first);
    QVERIFY(first->textValue().isEmpty());
    QVERIFY(first->findChild<QLineEdit*>()->text().isEmpty());

    // A second attempt says the first was wrong; cancelling gives up.
    answer.reset();
    prompter.passphrase({QStringLiteral("lb1"), QStringLiteral("/keys/id_ed25519"), 2},
                        [&](std::optional<QString> a) { answer = a; });
    QTRY_VERIFY(parent.findChildren<QInputDialog*>().size() == 1);
    input = parent.findChild<QInputDialog*>();
    QVERIFY(input->labelText().startsWith(QStringLiteral("Wrong passphrase")));
    input->reject();
    QVERIFY(answer);
    QVERIFY(!answer->has_value());
}

void TstDialogs::unknownHostKeyQuestion()
{
    QWidget parent;
    parent.show();
    ui::DialogPrompter prompter(&parent);
    console::HostKeyQuestion q{QStringLiteral("lb1"), QStringLiteral("198.18.0.11"), 22, QStringLiteral("ssh-ed25519"),
                               QStringLiteral("SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
                               QStringLiteral("/tmp/known_hosts")};
    std::optional<console::HostKeyDecision> decision;
    prompter.unknownHostKey(q, [&](console::HostKeyDecision d) { decision = d; });
    auto* dialog = parent.findChild<ui::HostKeyDialog*>();
    QVERIFY(dialog);
    QVERIFY(!dialog->isChangedKeyWarning());
    bool shown = false;
    for (auto* l : dialog->findChildren<QLabel*>()) {
        shown = shown || l->text() == q.sha256Fingerprint;
    }
    QVERIFY(shown);
    // Enter must never trust a key: the default button refuses.
    auto* refuse = buttonNamed(*dialog, QStringLiteral("Do not connect"));
    QVERIFY(refuse && refuse->isDefault());
    buttonNamed(*dialog, QStringLiteral("Trust and save"))->click();
    QCOMPARE(decision, std::optional(console::HostKeyDecision::AcceptAndSave));
}

QTEST_MAIN(TstDialogs)
#include "tst_dialogs.moc"
