#include "crossthreadprompter.h"

#include <QThread>

#include <utility>

namespace hadeck::console::detail {

namespace {
/// A passphrase on its way back: wiped wherever its journey ends, delivered or dropped.
struct CarriedSecret {
    std::optional<QString> value;
    ~CarriedSecret()
    {
        if (value)
            value->fill(QChar(u'\0'));
    }
};
} // namespace

CrossThreadPrompter::CrossThreadPrompter(CredentialPrompter* target, QPointer<QObject> targetContext,
                                         QObject* replyContext, std::shared_ptr<std::atomic<int>> asking)
    : m_target(target)
    , m_targetContext(std::move(targetContext))
    , m_back(std::make_shared<Back>())
    , m_asking(asking ? std::move(asking) : std::make_shared<std::atomic<int>>(0))
{
    m_back->context = replyContext;
}

CrossThreadPrompter::~CrossThreadPrompter()
{
    std::lock_guard lock(m_back->mutex);
    m_back->context = nullptr;
}

bool CrossThreadPrompter::postBack(const std::shared_ptr<Back>& back, std::function<void()> fn)
{
    std::lock_guard lock(back->mutex);
    if (!back->context)
        return false;
    // The context is alive while the lock is held: its owner clears it under the same lock first.
    QMetaObject::invokeMethod(back->context, std::move(fn), Qt::QueuedConnection);
    return true;
}

void CrossThreadPrompter::unknownHostKey(const HostKeyQuestion& question, HostKeyReply reply)
{
    if (!m_target) {
        reply(HostKeyDecision::Reject);
        return;
    }
    if (!m_targetContext || m_targetContext->thread() == QThread::currentThread()) {
        m_target->unknownHostKey(question, std::move(reply));
        return;
    }
    ++*m_asking;
    auto back = m_back;
    auto asking = m_asking;
    CredentialPrompter* target = m_target;
    const bool queued = QMetaObject::invokeMethod(
        m_targetContext.data(),
        [target, question, back, asking, reply = std::move(reply)]() mutable {
            target->unknownHostKey(question, [back, asking, reply = std::move(reply)](HostKeyDecision decision) {
                --*asking;
                postBack(back, [reply, decision] { reply(decision); });
            });
        },
        Qt::QueuedConnection);
    if (!queued)
        --*m_asking;
}

void CrossThreadPrompter::passphrase(const PassphraseQuestion& question, PassphraseReply reply)
{
    if (!m_target) {
        reply(std::nullopt);
        return;
    }
    if (!m_targetContext || m_targetContext->thread() == QThread::currentThread()) {
        m_target->passphrase(question, std::move(reply));
        return;
    }
    ++*m_asking;
    auto back = m_back;
    auto asking = m_asking;
    CredentialPrompter* target = m_target;
    const bool queued = QMetaObject::invokeMethod(
        m_targetContext.data(),
        [target, question, back, asking, reply = std::move(reply)]() mutable {
            target->passphrase(question, [back, asking, reply](std::optional<QString> answer) {
                --*asking;
                // One holder of the secret at a time: moved along, wiped wherever it stops.
                auto carried = std::make_shared<CarriedSecret>();
                carried->value = std::move(answer);
                postBack(back, [reply, carried] { reply(std::exchange(carried->value, std::nullopt)); });
            });
        },
        Qt::QueuedConnection);
    if (!queued)
        --*m_asking;
}

} // namespace hadeck::console::detail
