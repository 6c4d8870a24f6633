#pragma once

// The GUI lab tests' common set-up: the real MainWindow opened on the running lab's inventory,
// waited on until the nodes a test needs are online; a command run inside a lab node; a
// screenshot saved as a test artifact.

#include "guitest.h"
#include "labtestutil.h"

#include "app/clustersession.h"
#include "app/mainwindow.h"

#include <QCoreApplication>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSize>
#include <QStringList>
#include <QTest>
#include <QWidget>

#include <memory>

namespace hadeck::testing {

/// Written by `lab up`; its absence means the lab is not up (the test skips).
inline const QString kLabInventory = QStringLiteral("/run/hadeck-lab/inventory.json");

inline bool labIsUp() { return QFile::exists(kLabInventory); }

/// The main window on the lab's cluster.
struct LabWindow {
    std::unique_ptr<ui::MainWindow> window;
    ui::ClusterSession* session = nullptr;
    QString error; ///< empty when the window is open and the nodes asked for are online
};

/// @p nodes that @p session does not show online.
inline QStringList nodesNotOnline(const ui::ClusterSession& session, const QStringList& nodes)
{
    QStringList out;
    for (const QString& n : nodes) {
        const auto* s = session.model().node(n);
        if (s == nullptr || s->link != console::NodeState::Online) {
            out << n;
        }
    }
    return out;
}

/// Opens the main window in English at @p size, shown, on the lab's inventory, and waits up to
/// @p timeoutMs for each of @p nodes to be online.
inline LabWindow openLabWindow(const QStringList& nodes, QSize size = QSize(1440, 900), int timeoutMs = 30000)
{
    LabWindow lab;
    lab.window = std::make_unique<ui::MainWindow>();
    lab.window->setLanguage(QStringLiteral("en"));
    lab.window->resize(size);
    lab.window->show();
    if (!QTest::qWaitForWindowExposed(lab.window.get())) {
        lab.error = QStringLiteral("the main window was never exposed");
        return lab;
    }
    lab.error = lab.window->openClusterFile(kLabInventory);
    if (!lab.error.isEmpty()) {
        return lab;
    }
    if (lab.window->sessions().isEmpty()) {
        lab.error = QStringLiteral("no session for %1").arg(kLabInventory);
        return lab;
    }
    lab.session = lab.window->sessions().back();
    if (!QTest::qWaitFor([&] { return nodesNotOnline(*lab.session, nodes).isEmpty(); }, timeoutMs)) {
        lab.error = QStringLiteral("not online after %1 s: %2")
                        .arg(timeoutMs / 1000)
                        .arg(nodesNotOnline(*lab.session, nodes).join(QStringLiteral(", ")));
    }
    return lab;
}

/// `lab exec NODE CMD...` (the lab script from HADECK_LAB): its standard output (labtestutil.h).
inline QByteArray labExec(const QString& node, const QStringList& cmd) { return labtest::labExecArgv(node, cmd); }

/// Saves @p w as <dir>/<name>_<lang>.png once pending events (a repaint) are handled.
inline bool saveShot(QWidget* w, const QString& dir, const QString& name, const QString& lang)
{
    QCoreApplication::processEvents();
    const QImage image = w->grab().toImage();
    return !image.isNull() && image.save(QStringLiteral("%1/%2_%3.png").arg(dir, name, lang));
}

} // namespace hadeck::testing
