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

template <typename Question, typename Reply, typename Answer, typename Ask, typename Carry>
void CrossThreadPrompter::relay(const Question& question, Reply reply, Answer refusal, Ask ask, Carry carry)
{
    if (!m_target) {
        reply(std::move(refusal));
        return;
    }
    if (!m_targetContext || m_targetContext->thread() == QThread::currentThread()) {
        ask(m_target, question, std::move(reply));
        return;
    }
    ++*m_asking;
    auto back = m_back;
    auto asking = m_asking;
    CredentialPrompter* target = m_target;
    const bool queued = QMetaObject::invokeMethod(
        m_targetContext.data(),
        [target, question, back, asking, ask, carry, reply = std::move(reply)]() mutable {
            ask(target, question, Reply([back, asking, carry, reply = std::move(reply)](Answer answer) mutable {
                    --*asking;
                    postBack(back, carry(std::move(reply), std::move(answer)));
                }));
        },
        Qt::QueuedConnection);
    if (!queued)
        --*m_asking;
}

void CrossThreadPrompter::unknownHostKey(const HostKeyQuestion& question, HostKeyReply reply)
{
    relay(
        question, std::move(reply), HostKeyDecision::Reject,
        [](CredentialPrompter* target, const HostKeyQuestion& q, HostKeyReply r) {
            target->unknownHostKey(q, std::move(r));
        },
        [](HostKeyReply r, HostKeyDecision decision) { return std::function<void()>([r, decision] { r(decision); }); });
}

void CrossThreadPrompter::passphrase(const PassphraseQuestion& question, PassphraseReply reply)
{
    relay(
        question, std::move(reply), std::optional<QString>(),
        [](CredentialPrompter* target, const PassphraseQuestion& q, PassphraseReply r) {
            target->passphrase(q, std::move(r));
        },
        [](PassphraseReply r, std::optional<QString> answer) {
            // One holder of the secret at a time: moved along, wiped wherever it stops.
            auto carried = std::make_shared<CarriedSecret>();
            carried->value = std::move(answer);
            return std::function<void()>([r, carried] { r(std::exchange(carried->value, std::nullopt)); });
        });
}

} // namespace hadeck::console::detail
