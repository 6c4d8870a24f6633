#pragma once

#include "hadeck/console/actions/deploy_job.h"

#include <QDialog>
#include <QPointer>

#include <memory>

class QComboBox;
class QDialogButtonBox;
class QInputDialog;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTreeWidget;

namespace hadeck::ui {

/// "Install agent" / "Upgrade agent": choose the nodes, the hadeck-agent .deb and the
/// group for the SSH user, then follow each node's deployment (DeployJob) side by side.
/// sudo's password is asked in the console's own prompt, never shown, never kept.
class DeployDialog final : public QDialog {
    Q_OBJECT
public:
    /// @p pool is not owned and must outlive the dialog; @p node is checked at the start.
    DeployDialog(console::ConnectionPool* pool, const QString& node, QWidget* parent = nullptr);
    ~DeployDialog() override;

    void setPackagePath(const QString& path);
    void setStartCommand(const QString& command) { m_startCommand = command; }
    /// Replaces SSH for the jobs this dialog starts (tests).
    void setRemoteFactory(console::DeployJob::RemoteFactory factory) { m_factory = std::move(factory); }
    /// Starts with the checked nodes; false (and the reason shown) when the request is refused.
    bool startDeploy();
    [[nodiscard]] console::DeployJob* job() const { return m_job.get(); }
    [[nodiscard]] QTreeWidget* progressTree() const { return m_progress; }
    /// The sudo password prompt now open, if any (for tests).
    [[nodiscard]] QInputDialog* passwordPrompt() const;

private:
    void browse();
    void onNodeChanged(const QString& node);
    void onFinished(bool ok);
    void askPassword(const QString& node, const QString& user, std::function<void(std::optional<QByteArray>)> reply);

    console::ConnectionPool* m_pool;
    std::unique_ptr<console::DeployJob> m_job;
    QString m_startCommand;
    console::DeployJob::RemoteFactory m_factory;
    QListWidget* m_nodes = nullptr;
    QLineEdit* m_package = nullptr;
    QComboBox* m_group = nullptr;
    QTreeWidget* m_progress = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_start = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPointer<QInputDialog> m_passwordPrompt;
};

} // namespace hadeck::ui
