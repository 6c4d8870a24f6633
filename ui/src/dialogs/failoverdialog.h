#pragma once

#include "hadeck/console/actions/failover_job.h"

#include <QDialog>
#include <QPointer>

class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace hadeck::ui {

/// A forced failover as it happens: the preflight checks, each step with its
/// time since the start, then the verified result and whether the old master
/// comes back. Outlives its job and keeps the record.
///
/// When the preflight refuses because a director's keepalived configuration
/// lacks the hadeck track file, the dialog shows the lines to add and, for an
/// admin, "Add track file and reload" (TrackFileJob); after that the preflight
/// runs again, and "Fail over now" starts the failover once it passes.
class FailoverDialog final : public QDialog {
    Q_OBJECT
public:
    FailoverDialog(console::FailoverJob* job, const QString& director, QWidget* parent = nullptr);

    [[nodiscard]] bool jobFinished() const { return m_finished; }
    [[nodiscard]] bool succeeded() const { return m_ok; }
    [[nodiscard]] QString newMaster() const { return m_newMaster; }
    [[nodiscard]] int stepCount() const;
    [[nodiscard]] int checkCount() const;
    /// The "Add track file and reload" button, for tests and screenshots.
    [[nodiscard]] QPushButton* addTrackButton() const { return m_addTrack; }
    [[nodiscard]] QPushButton* failoverNowButton() const { return m_failoverNow; }

private:
    void attach(console::FailoverJob* job);
    void showTrackFileFixes();
    void addTrackFiles();
    void addNextTrackFile();
    void rerunPreflight(bool preflightOnly);

    void onPhase(console::FailoverJob::Phase phase);
    void onStep(const console::FailoverJob::Step& step);
    void onFinished(bool ok, const QString& message);

    QPointer<console::FailoverJob> m_job;
    // Kept apart from the job, which its owner deletes once it finishes.
    console::ClusterRpc* m_rpc = nullptr;
    console::FailoverRequest m_request;
    QList<console::TrackFileFix> m_fixes;
    QList<console::TrackFileFix> m_pendingFixes;
    bool m_finished = false;
    bool m_ok = false;
    QString m_newMaster;

    QLabel* m_phase = nullptr;
    QTreeWidget* m_checks = nullptr;
    QTreeWidget* m_steps = nullptr;
    QLabel* m_result = nullptr;
    QLabel* m_note = nullptr;
    QPushButton* m_close = nullptr;
    QGroupBox* m_fixBox = nullptr;
    QLabel* m_fixText = nullptr;
    QPlainTextEdit* m_snippet = nullptr;
    QPushButton* m_addTrack = nullptr;
    QLabel* m_fixStatus = nullptr;
    QPushButton* m_failoverNow = nullptr;
};

} // namespace hadeck::ui
