#pragma once

#include <hadeck/console/credentialprompter.h>

#include <functional>
#include <memory>

namespace hadeck::ctl {

/// Asks on the terminal (stderr for the question, stdin for the answer), so
/// stdout stays clean for --json. Answers synchronously: the CLI has nothing
/// better to do while a person decides.
class TerminalPrompter final : public console::CredentialPrompter {
public:
    /// @param afterAnswer called after each question, e.g. to restart a deadline.
    explicit TerminalPrompter(std::function<void()> afterAnswer = {}) : m_afterAnswer(std::move(afterAnswer)) {}

    void unknownHostKey(const console::HostKeyQuestion& question, HostKeyReply reply) override;
    void passphrase(const console::PassphraseQuestion& question, PassphraseReply reply) override;

private:
    std::function<void()> m_afterAnswer;
};

/// Who answers a command's host key and passphrase questions: nobody with --batch (each is
/// refused), the terminal otherwise (@p afterAnswer as for TerminalPrompter).
std::unique_ptr<console::CredentialPrompter> commandPrompter(bool batch, std::function<void()> afterAnswer = {});

} // namespace hadeck::ctl
