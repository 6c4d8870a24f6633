#pragma once

#include "hadeck/console/actions/failover_job.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace hadeck::ui {

/// A forced failover as it happens: the preflight checks, each step with its
/// time since the start, then the verified result and whether the old master
/// comes back. Outlives its job and keeps the record.
class FailoverDialog final : public QDialog {
    Q_OBJECT
public:
    FailoverDialog(console::FailoverJob* job, const QString& director, QWidget* parent = nullptr);

    [[nodiscard]] bool jobFinished() const { return m_finished; }
    [[nodiscard]] bool succeeded() const { return m_ok; }
    [[nodiscard]] QString newMaster() const { return m_newMaster; }
    [[nodiscard]] int stepCount() const;
    [[nodiscard]] int checkCount() const;

private:
    void onPhase(console::FailoverJob::Phase phase);
    void onStep(const console::FailoverJob::Step& step);
    void onFinished(bool ok, const QString& message);

    QPointer<console::FailoverJob> m_job;
    bool m_finished = false;
    bool m_ok = false;
    QString m_newMaster;

    QLabel* m_phase = nullptr;
    QTreeWidget* m_checks = nullptr;
    QTreeWidget* m_steps = nullptr;
    QLabel* m_result = nullptr;
    QLabel* m_note = nullptr;
    QPushButton* m_close = nullptr;
};

} // namespace hadeck::ui
