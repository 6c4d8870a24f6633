#pragma once

// Asks a CredentialPrompter that lives on another thread (a GUI's dialogs, the
// terminal of hadeckctl's main thread) on behalf of an SSH session driven by a
// worker thread's event loop, and brings the reply back to the asking thread.
// Deployment uses it: its SSH sessions run on a thread per node.

#include "hadeck/console/credentialprompter.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>
#include <mutex>

namespace hadeck::console::detail {

class CrossThreadPrompter final : public CredentialPrompter {
public:
    /// @param target answers; not owned; null refuses every question.
    /// @param targetContext the target is called on this object's thread; null: on the asking thread.
    /// @param replyContext lives on the asking thread, which runs an event loop while it waits.
    /// @param asking counts the questions not answered yet (shared between prompters of one connection).
    CrossThreadPrompter(CredentialPrompter* target, QPointer<QObject> targetContext, QObject* replyContext,
                        std::shared_ptr<std::atomic<int>> asking);
    /// Replies that come later are dropped (a passphrase is wiped).
    ~CrossThreadPrompter() override;

    void unknownHostKey(const HostKeyQuestion& question, HostKeyReply reply) override;
    void passphrase(const PassphraseQuestion& question, PassphraseReply reply) override;

private:
    struct Back {
        std::mutex mutex;
        QObject* context = nullptr; ///< null once the asking side is gone
    };
    /// Runs @p fn on the asking thread unless that side is gone; false when dropped.
    static bool postBack(const std::shared_ptr<Back>& back, std::function<void()> fn);
    /// Asks the target through @p ask, on its thread (at once when that is this thread, refused
    /// with @p refusal when there is none); the answer goes back through @p carry's function.
    template <typename Question, typename Reply, typename Answer, typename Ask, typename Carry>
    void relay(const Question& question, Reply reply, Answer refusal, Ask ask, Carry carry);

    CredentialPrompter* m_target;
    QPointer<QObject> m_targetContext;
    std::shared_ptr<Back> m_back;
    std::shared_ptr<std::atomic<int>> m_asking;
};

} // namespace hadeck::console::detail
