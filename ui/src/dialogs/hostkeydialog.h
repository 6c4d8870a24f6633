#pragma once

#include "hadeck/console/credentialprompter.h"

#include <QDialog>

namespace hadeck::ui {

/// Asks whether to trust a host key seen for the first time. Shows the SHA256
/// fingerprint to compare with `ssh-keygen -lf` on the node's console.
class HostKeyDialog final : public QDialog {
    Q_OBJECT
public:
    HostKeyDialog(const console::HostKeyQuestion& question, QWidget* parent = nullptr);
    [[nodiscard]] console::HostKeyDecision decision() const { return m_decision; }

    /// A CHANGED key is never a question: this tells the admin what it means and what to do.
    static void showChangedKeyWarning(QWidget* parent, const QString& node, const QString& message);

private:
    console::HostKeyDecision m_decision = console::HostKeyDecision::Reject;
};

} // namespace hadeck::ui
