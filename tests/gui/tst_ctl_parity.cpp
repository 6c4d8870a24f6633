// hadeckctl parity: every action the GUI offers (menu and toolbar actions, the node
// context menu's actions, and the buttons and toggles of every tab) is listed here with
// its hadeckctl form, or with the reason it needs none (it only changes what the window
// shows). The test finds the actions in the real MainWindow (English), fails on one not
// listed, and checks that each listed hadeckctl command exists in `hadeckctl --help`.

#include "processutil.h"
#include "app/mainwindow.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QMap>
#include <QMenu>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QToolButton>

using hadeck::ui::MainWindow;

namespace {

/// "hadeckctl VERB ..." or "view: why no command is needed".
const QMap<QString, QString>& parityTable()
{
    static const QMap<QString, QString> table{
        // File menu and toolbar
        {QStringLiteral("Open cluster"), QStringLiteral("view: every command takes --cluster FILE")},
        {QStringLiteral("Manage clusters"),
         QStringLiteral("view: inventories are files; the CLI takes --cluster FILE")},
        {QStringLiteral("Close cluster"), QStringLiteral("view: a command's connection ends with it")},
        {QStringLiteral("Save screenshot"), QStringLiteral("view: a picture of the window")},
        {QStringLiteral("Quit"), QStringLiteral("view: the window")},
        // View
        {QStringLiteral("Zoom in"), QStringLiteral("view: topology zoom")},
        {QStringLiteral("Zoom out"), QStringLiteral("view: topology zoom")},
        {QStringLiteral("Fit topology"), QStringLiteral("view: topology zoom")},
        {QStringLiteral("Topology"), QStringLiteral("view: shows a tab")},
        {QStringLiteral("Services (IPVS)"), QStringLiteral("view: shows a tab")},
        {QStringLiteral("VRRP"), QStringLiteral("view: shows a tab")},
        {QStringLiteral("Refresh"), QStringLiteral("view: reads again what the tab shows")},
        {QStringLiteral("Export table (CSV)"), QStringLiteral("hadeckctl db --json")},
        {QStringLiteral("Export chart (PNG)"), QStringLiteral("hadeckctl history NODE SERIES --json")},
        {QStringLiteral("Export chunkservers (CSV)"), QStringLiteral("hadeckctl storage --json")},
        {QStringLiteral("Export CSV"), QStringLiteral("hadeckctl logs NODE SOURCE --json / hadeckctl audit --json")},
        {QStringLiteral("Add rule"), QStringLiteral("hadeckctl fw apply NODE --add-rule RULE --chain CHAIN")},
        {QStringLiteral("Delete rule"), QStringLiteral("hadeckctl fw apply NODE")},
        {QStringLiteral("Roll back to last confirmed"), QStringLiteral("hadeckctl fw rollback NODE")},
        {QStringLiteral("Keep it (confirm)"), QStringLiteral("hadeckctl fw confirm NODE ID")},
        {QStringLiteral("Roll it back now"), QStringLiteral("hadeckctl fw rollback NODE ID")},
        {QStringLiteral("Copy to same role"),
         QStringLiteral("hadeckctl fw apply NODE --add-rule RULE --chain CHAIN --same-role")},
        {QStringLiteral("Chain policy"), QStringLiteral("hadeckctl fw apply NODE --chain CHAIN --policy POLICY")},
        {QStringLiteral("Set elements"),
         QStringLiteral("hadeckctl fw apply NODE --set SET --add-element ELEMENT --delete-element ELEMENT")},
        // Deploy
        {QStringLiteral("Install agent"), QStringLiteral("hadeckctl deploy NODE --package FILE")},
        {QStringLiteral("Upgrade agent"), QStringLiteral("hadeckctl deploy NODE --package FILE")},
        // Node menu, toolbar and the node context menu (the same actions)
        {QStringLiteral("Drain"), QStringLiteral("hadeckctl drain NODE --wait")},
        {QStringLiteral("Restore"), QStringLiteral("hadeckctl restore NODE")},
        {QStringLiteral("Fail over"), QStringLiteral("hadeckctl failover INSTANCE")},
        {QStringLiteral("Make master"), QStringLiteral("hadeckctl failover INSTANCE --to DIRECTOR")},
        // Help, language and theme
        {QStringLiteral("About HaDeck"), QStringLiteral("view: hadeckctl --version")},
        // Database tab
        {QStringLiteral("Start replica"), QStringLiteral("hadeckctl db-replica NODE start")},
        {QStringLiteral("Stop replica"), QStringLiteral("hadeckctl db-replica NODE stop")},
        // The read_only and maintenance buttons name the change they make, so their text follows the state.
        {QStringLiteral("Turn read_only on"), QStringLiteral("hadeckctl db-read-only NODE on")},
        {QStringLiteral("Turn read_only off"), QStringLiteral("hadeckctl db-read-only NODE off")},
        // Storage tab
        {QStringLiteral("Turn maintenance on"),
         QStringLiteral("hadeckctl mfs-maintenance MASTER_NODE CHUNKSERVER_IP on")},
        {QStringLiteral("Turn maintenance off"),
         QStringLiteral("hadeckctl mfs-maintenance MASTER_NODE CHUNKSERVER_IP off")},
        // Logs tab
        {QStringLiteral("Follow"), QStringLiteral("hadeckctl logs NODE SOURCE --follow")},
        {QStringLiteral("Back"), QStringLiteral("view: scrolls the lines back")},
        // Audit tab
        {QStringLiteral("Reload"), QStringLiteral("hadeckctl audit [NODE...] / hadeckctl logs NODE SOURCE")},
    };
    return table;
}

QString key(QString text)
{
    text.remove(QLatin1Char('&'));
    text = text.trimmed();
    while (text.endsWith(QStringLiteral("…")) || text.endsWith(QLatin1Char('.'))) {
        text.chop(1);
    }
    return text.trimmed();
}

/// The commands `hadeckctl --help` lists (the first word of each line under "Commands").
QSet<QString> ctlCommands(QString* help)
{
    *help = QString::fromLocal8Bit(
        hadeck::test::runProgram(QStringLiteral(HADECKCTL_PATH), {QStringLiteral("--help")}).out);
    QSet<QString> out;
    bool inCommands = false;
    for (const auto& line : help->split(QLatin1Char('\n'))) {
        if (line.trimmed().startsWith(QStringLiteral("Commands"))) {
            inCommands = true;
            continue;
        }
        if (inCommands) {
            const auto m = QRegularExpression(QStringLiteral("^\\s{1,4}([a-z][a-z-]*)\\s")).match(line);
            if (m.hasMatch()) {
                out.insert(m.captured(1));
            }
        }
    }
    return out;
}

} // namespace

class TstCtlParity : public QObject {
    Q_OBJECT
private slots:
    void everyGuiActionHasACtlForm();
};

void TstCtlParity::everyGuiActionHasACtlForm()
{
    MainWindow w;
    w.setLanguage(QStringLiteral("en"));
    w.resize(1200, 800);
    // Every QAction of the window (menus, toolbar, context menu) and every button or toggle of
    // every tab; language and theme choices are view settings, named by their groups.
    QMap<QString, QString> found; // key -> where
    for (auto* a : w.findChildren<QAction*>()) {
        if (a->isSeparator() || a->menu() != nullptr || a->text().isEmpty()) {
            continue;
        }
        if (a->actionGroup() != nullptr) {
            continue; // language and theme: what the window looks like
        }
        if (qobject_cast<QMenu*>(a->parent()) == nullptr && a->parent() != &w) {
            continue; // widgets' own actions (line edits' clear buttons)
        }
        found.insert(key(a->text()), QStringLiteral("action"));
    }
    for (int t = 0; t < w.tabs()->count(); ++t) {
        for (auto* b : w.tabs()->widget(t)->findChildren<QAbstractButton*>()) {
            if (auto* tb = qobject_cast<QToolButton*>(b); tb != nullptr && tb->defaultAction() != nullptr) {
                continue; // the action itself is listed
            }
            if (b->text().isEmpty()) {
                continue; // scroll arrows, line edit clear buttons
            }
            found.insert(key(b->text()), w.tabs()->tabText(t));
        }
    }
    QString help;
    const QSet<QString> commands = ctlCommands(&help);
    QVERIFY2(commands.contains(QStringLiteral("drain")) && commands.contains(QStringLiteral("audit")),
             qPrintable(help));
    QStringList unlisted;
    QStringList missing;
    const QRegularExpression verb(QStringLiteral("hadeckctl ([a-z][a-z-]*)"));
    const QRegularExpression option(QStringLiteral("(--[a-z][a-z-]*)"));
    for (auto it = found.cbegin(); it != found.cend(); ++it) {
        const QString form = parityTable().value(it.key());
        if (form.isEmpty()) {
            unlisted << QStringLiteral("%1 (%2)").arg(it.key(), it.value());
            continue;
        }
        auto m = verb.globalMatch(form);
        while (m.hasNext()) {
            const QString v = m.next().captured(1);
            if (!commands.contains(v)) {
                missing << QStringLiteral("%1 -> hadeckctl %2").arg(it.key(), v);
            }
        }
        auto o = option.globalMatch(form);
        while (o.hasNext()) {
            const QString opt = o.next().captured(1);
            if (!help.contains(QRegularExpression(QStringLiteral("\\s%1\\b").arg(QRegularExpression::escape(opt))))) {
                missing << QStringLiteral("%1 -> hadeckctl %2").arg(it.key(), opt);
            }
        }
        qInfo("%-28s %s", qPrintable(it.key()), qPrintable(form));
    }
    for (auto it = parityTable().cbegin(); it != parityTable().cend(); ++it) {
        if (!found.contains(it.key())) {
            qWarning("listed but not found in the window: %s", qPrintable(it.key()));
        }
    }
    QVERIFY2(unlisted.isEmpty(), qPrintable(QStringLiteral("GUI actions without a hadeckctl form or a reason: ") +
                                            unlisted.join(QStringLiteral("; "))));
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("hadeckctl lacks: ") + missing.join(QStringLiteral("; "))));
}

QTEST_MAIN(TstCtlParity)
#include "tst_ctl_parity.moc"
