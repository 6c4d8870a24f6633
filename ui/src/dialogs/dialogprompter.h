#pragma once

#include "hadeck/console/credentialprompter.h"

#include <QPointer>
#include <QWidget>

namespace hadeck::ui {

/// Answers the transport's questions with non-modal dialogs, so the event
/// loop (and every other node's connection) keeps running while the admin reads.
class DialogPrompter final : public console::CredentialPrompter {
public:
    explicit DialogPrompter(QWidget* parent) : m_parent(parent) {}
    void unknownHostKey(const console::HostKeyQuestion& question, HostKeyReply reply) override;
    void passphrase(const console::PassphraseQuestion& question, PassphraseReply reply) override;

private:
    QPointer<QWidget> m_parent;
};

} // namespace hadeck::ui
