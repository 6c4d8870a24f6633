#pragma once

#include "hadeck/console/actions/drain_job.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QProgressBar;
class QPushButton;
class QGroupBox;
class QTreeWidget;

namespace hadeck::ui {

/// Fills @p tree with one row per preflight check: outcome icon, title, detail.
void showPreflightChecks(QTreeWidget* tree, const console::PreflightReport& report);

/// Non-modal progress of one drain: what the directors and the real server
/// itself report, the estimate, and the admin's choices when it takes too long.
/// Outlives its job (which deletes itself when done) and keeps the last picture.
class DrainPanel final : public QDialog {
    Q_OBJECT
public:
    DrainPanel(console::DrainJob* job, const QString& realServer, QWidget* parent = nullptr);

    [[nodiscard]] console::DrainJob::Phase phase() const { return m_last.phase; }
    [[nodiscard]] bool jobFinished() const { return m_finished; }
    [[nodiscard]] QString message() const { return m_message; }

private:
    void refresh();
    void onFinished(bool ok, const QString& message);

    QPointer<console::DrainJob> m_job;
    QString m_realServer;
    console::DrainJob::Progress m_last;
    bool m_finished = false;
    QString m_message;
    double m_mostRemaining = -1; ///< the most connections left seen while draining (the bar's total)

    QLabel* m_title = nullptr;
    QLabel* m_phase = nullptr;
    QProgressBar* m_bar = nullptr;
    QTreeWidget* m_directors = nullptr;
    QLabel* m_established = nullptr;
    QLabel* m_workers = nullptr;
    QLabel* m_eta = nullptr;
    QLabel* m_elapsed = nullptr;
    QLabel* m_latency = nullptr;
    QLabel* m_result = nullptr;
    QGroupBox* m_checksBox = nullptr;
    QTreeWidget* m_checks = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_retry = nullptr;
    QPushButton* m_keepWaiting = nullptr;
    QPushButton* m_force = nullptr;
    QPushButton* m_close = nullptr;
};

} // namespace hadeck::ui
