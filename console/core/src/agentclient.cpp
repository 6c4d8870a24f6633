#include "hadeck/console/agentclient.h"
#include "hadeck/console/logging.h"

#include <hadeck/protocol/methods.h>

#include "linedecoder.h"

#include <QRandomGenerator>
#include <QThread>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace hadeck::console {

namespace detail {
/// A question asked with AgentClient::ask(): kept until answered, across reconnects.
struct Question {
    QString method;
    rpc::Json params;
    AgentClient::ResultHandler handler;
    int timeoutMs = -1;
    AgentClient::WaitingHandler waiting;
    int waitMs = 0;
    QElapsedTimer asked;
    QString dropped; // why the link went down under it, for the error past the bound
    bool answered = false;

    void answer(const RpcResult& r)
    {
        if (answered)
            return;
        answered = true;
        if (handler)
            handler(r);
    }
};
} // namespace detail

namespace {
Unexpected<rpc::Error> rpcFail(int code, const QString& message)
{
    return Unexpected<rpc::Error>{rpc::Error{code, message.toStdString(), nullptr}};
}
} // namespace

AgentClient::AgentClient(QString nodeName, Transport* transport, AgentClientOptions options, QObject* parent)
    : QObject(parent), m_node(std::move(nodeName)), m_transport(transport), m_options(std::move(options))
{
    qRegisterMetaType<hadeck::console::NodeState>();
    qRegisterMetaType<hadeck::console::TransportError>();
    qRegisterMetaType<hadeck::proto::HelloResult>();
    qRegisterMetaType<hadeck::rpc::Json>();
    qRegisterMetaType<std::shared_ptr<hadeck::console::detail::DecodedBatch>>();
    m_inbox = std::make_shared<detail::LineInbox>();
    m_transport->setParent(this);
    connect(m_transport, &Transport::connected, this, &AgentClient::onConnected);
    connect(m_transport, &Transport::lineReceived, this, &AgentClient::onLine);
    connect(m_transport, &Transport::disconnected, this, &AgentClient::onDisconnected);
    m_pingTimer.setInterval(m_options.pingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &AgentClient::sendPing);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        if (m_running && m_transport)
            m_transport->open();
    });
}

AgentClient::~AgentClient()
{
    m_running = false;
    m_liveGeneration->fetch_add(1, std::memory_order_release); // cancels lines still queued for the decoder
    // Handlers may capture objects that are being torn down with us: drop them silently.
    for (auto& [id, p] : m_pending)
        delete p.timer;
    m_pending.clear();
    releaseDecoder();
    if (m_transport)
        m_transport->close();
}

void AgentClient::releaseDecoder()
{
    if (!m_decoder)
        return;
    // A stopped thread runs no deferred deletes: nothing else touches the decoder then.
    const QThread* t = m_decoder->thread();
    if (t == nullptr || !t->isRunning())
        delete m_decoder.data();
    else
        m_decoder->deleteLater();
    m_decoder = nullptr;
}

void AgentClient::newGeneration()
{
    ++m_lineGeneration;
    m_liveGeneration->store(m_lineGeneration, std::memory_order_release);
    m_inFlightLines = 0;
    m_inFlightBytes = 0;
    m_ready.clear();
    {
        std::lock_guard lock(m_inbox->mutex);
        m_inbox->lines.clear();
        m_inbox->generation = m_lineGeneration;
        m_inbox->woken = false; // a wake-up still queued finds the inbox empty, or takes the new lines
    }
    if (m_pausedByBacklog) {
        m_pausedByBacklog = false;
        if (m_transport)
            m_transport->setReadPaused(false);
    }
}

void AgentClient::setDecodeThread(QThread* thread, NotificationDecoder decoder, FastDeltaDecoder fast)
{
    newGeneration();
    releaseDecoder();
    if (thread == nullptr)
        return;
    auto* d = new detail::LineDecoder(std::move(decoder), std::move(fast), m_liveGeneration,
                                      m_inbox); // deleted through deleteLater above or in ~AgentClient
    d->moveToThread(thread);
    connect(d, &detail::LineDecoder::decoded, this, &AgentClient::onDecoded, Qt::QueuedConnection);
    m_decoder = d;
}

void AgentClient::start()
{
    if (m_running)
        return;
    m_running = true;
    m_failures = 0;
    setState(NodeState::Connecting);
    m_transport->open();
}

void AgentClient::stop()
{
    if (!m_running)
        return;
    m_running = false;
    newGeneration();
    m_reconnectTimer.stop();
    m_pingTimer.stop();
    m_helloDone = false;
    if (m_transport)
        m_transport->close();
    failAllPending(rpc::Disconnected, tr("the connection to %1 was closed").arg(m_node));
    setState(NodeState::Unreachable, tr("disconnected"));
}

void AgentClient::retry()
{
    m_reconnectTimer.stop();
    m_pingTimer.stop();
    m_helloDone = false;
    if (m_transport)
        m_transport->close();
    failAllPending(rpc::Disconnected, tr("the connection to %1 was restarted").arg(m_node));
    m_running = true;
    m_failures = 0;
    setState(NodeState::Connecting);
    m_transport->open();
}

AgentClient::RequestId AgentClient::request(const QString& method, rpc::Json params, ResultHandler handler,
                                            int timeoutMs)
{
    if (!m_helloDone) {
        const QString msg = tr("%1 is not connected (%2)").arg(m_node, displayName(m_state));
        QTimer::singleShot(0, this, [handler = std::move(handler), msg] { handler(rpcFail(rpc::Disconnected, msg)); });
        return 0;
    }
    PendingHandler h;
    if (handler)
        h = [handler = std::move(handler)](const RpcResult& r, AnsweredBy) { handler(r); };
    return sendRequest(method, std::move(params), std::move(h), timeoutMs < 0 ? m_options.requestTimeoutMs : timeoutMs,
                       false);
}

AgentClient::RequestId AgentClient::sendRequest(const QString& method, rpc::Json params, PendingHandler handler,
                                                int timeoutMs, bool isPing)
{
    const RequestId id = m_nextId++;
    rpc::Request req{rpc::Json(id), method.toStdString(), std::move(params)};
    Pending p;
    p.handler = std::move(handler);
    p.isPing = isPing;
    p.rxAtCheck = m_transport ? m_transport->receivedBytes() : 0;
    p.sent.start();
    p.timer = new QTimer(this);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, this, [this, id, method, timeoutMs] {
        auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        if (it->second.isPing && m_transport &&
            (m_transport->receivedBytes() != it->second.rxAtCheck || m_transport->isReadPaused()) &&
            it->second.sent.elapsed() < std::max<qint64>(m_options.requestTimeoutMs, 4LL * timeoutMs)) {
            // Bytes arrived since the deadline was armed (or the console itself holds the
            // agent back): the agent is alive, its pong is queued behind what it sent before.
            it->second.rxAtCheck = m_transport->receivedBytes();
            it->second.timer->start(timeoutMs);
            return;
        }
        Pending done = std::move(it->second);
        m_pending.erase(it);
        done.timer->deleteLater();
        const QString msg = tr("%1 did not answer %2 within %3 s")
                                .arg(m_node, method)
                                .arg(QString::number(timeoutMs / 1000.0, 'g', 3));
        if (done.isPing) {
            // A silent agent or sshd: treat the link as dead so the node shows
            // Unreachable quickly instead of waiting for TCP to give up.
            dropConnection(TransportError::Kind::Network, msg);
            return;
        }
        if (m_state == NodeState::Online)
            setState(NodeState::Degraded, msg);
        if (done.handler)
            done.handler(rpcFail(rpc::Timeout, msg), AnsweredBy::Client);
    });
    p.timer->start(timeoutMs);
    m_pending.emplace(id, std::move(p));
    if (!m_transport || !m_transport->write(QByteArray::fromStdString(rpc::encode(req)))) {
        auto it = m_pending.find(id);
        Pending done = std::move(it->second);
        m_pending.erase(it);
        delete done.timer;
        const QString msg = tr("%1 is not connected").arg(m_node);
        QTimer::singleShot(0, this, [h = std::move(done.handler), msg] {
            if (h)
                h(rpcFail(rpc::Disconnected, msg), AnsweredBy::Client);
        });
    }
    return id;
}

bool AgentClient::reconnecting(int withinMs) const
{
    if (m_helloDone || !m_running || !m_options.autoReconnect)
        return false;
    if (m_state == NodeState::Connecting)
        return true; // the first connection (or a retry) is under way
    if (m_state != NodeState::Unreachable)
        return false; // refused, not installed, wrong version, a protocol error: the user must act
    return m_offlineSince.isValid() && m_offlineSince.elapsed() < withinMs;
}

bool AgentClient::mayWait(const detail::Question& q) const
{
    if (q.asked.elapsed() >= q.waitMs || !m_running || !m_options.autoReconnect)
        return false;
    if (m_helloDone)
        return true;
    return reconnecting(q.waitMs);
}

void AgentClient::ask(const QString& method, rpc::Json params, ResultHandler handler, int timeoutMs,
                      int reconnectWaitMs, WaitingHandler waiting)
{
    auto q = std::make_shared<detail::Question>();
    q->method = method;
    q->params = std::move(params);
    q->handler = std::move(handler);
    q->timeoutMs = timeoutMs < 0 ? m_options.requestTimeoutMs : timeoutMs;
    q->waiting = std::move(waiting);
    q->waitMs = std::max(0, reconnectWaitMs);
    q->asked.start();
    askNow(q);
}

void AgentClient::askNow(const std::shared_ptr<detail::Question>& q)
{
    if (m_helloDone) {
        QPointer<AgentClient> self(this);
        sendRequest(
            q->method, q->params,
            [self, q](const RpcResult& r, AnsweredBy by) {
                if (!r && by == AnsweredBy::Client && r.error().code == rpc::Disconnected && self && self->m_running) {
                    // The link dropped under the question: once the client has settled (the
                    // drop is handled before its state is set), ask again after the reconnect.
                    q->dropped = QString::fromStdString(r.error().message);
                    QTimer::singleShot(0, self.data(), [self, q, r] {
                        if (self->mayWait(*q))
                            self->waitForReconnect(q);
                        else
                            q->answer(r);
                    });
                    return;
                }
                q->answer(r);
            },
            q->timeoutMs, false);
        return;
    }
    if (mayWait(*q)) {
        waitForReconnect(q);
        return;
    }
    const QString msg = tr("%1 is not connected (%2)").arg(m_node, displayName(m_state)) +
                        (m_lastError.isEmpty() ? QString() : QStringLiteral(": ") + m_lastError);
    QTimer::singleShot(0, this, [q, msg] { q->answer(rpcFail(rpc::Disconnected, msg)); });
}

void AgentClient::waitForReconnect(const std::shared_ptr<detail::Question>& q)
{
    if (q->dropped.isEmpty())
        q->dropped = m_lastError;
    if (q->waiting)
        q->waiting(tr("waiting for %1 to reconnect…").arg(m_node));
    // One context per wait: deleting it disconnects the hello, state and deadline handlers.
    auto* wait = new QObject(this);
    const auto done = [wait] { wait->deleteLater(); };
    connect(this, &AgentClient::helloReceived, wait, [this, q, done] {
        done();
        askNow(q);
    });
    connect(this, &AgentClient::stateChanged, wait, [this, q, done](NodeState, const QString&) {
        const bool comingBack = m_running && m_options.autoReconnect &&
                                (m_state == NodeState::Unreachable || m_state == NodeState::Connecting);
        if (!m_helloDone && !comingBack && !q->answered) {
            // Stopped, refused or otherwise out of reach until the user acts: no use waiting.
            done();
            q->answer(rpcFail(rpc::Disconnected,
                              tr("%1 is not connected (%2): %3").arg(m_node, displayName(m_state), m_lastError)));
        }
    });
    const int left = static_cast<int>(std::max<qint64>(0, q->waitMs - q->asked.elapsed()));
    QTimer::singleShot(left, wait, [this, q, done] {
        done();
        q->answer(rpcFail(rpc::Disconnected, tr("%1 did not reconnect within %2 s (the link had dropped: %3)")
                                                 .arg(m_node)
                                                 .arg(QString::number(q->waitMs / 1000.0, 'g', 3))
                                                 .arg(q->dropped.isEmpty() ? displayName(m_state) : q->dropped)));
    });
    // Someone is waiting: a long backoff (after earlier failures) is cut short.
    if (m_reconnectTimer.isActive() && m_reconnectTimer.remainingTime() > m_options.backoffInitialMs)
        m_reconnectTimer.start(m_options.backoffInitialMs);
}

AgentClient::SubscriptionId AgentClient::subscribe(const QStringList& topics, NotificationHandler handler)
{
    return subscribeDecoded(topics, [handler = std::move(handler)](const QString& method, const rpc::Json& params,
                                                                   const std::any&) {
        if (handler)
            handler(method, params);
    });
}

AgentClient::SubscriptionId AgentClient::subscribeDecoded(const QStringList& topics,
                                                          DecodedNotificationHandler handler)
{
    const SubscriptionId id = m_nextSub++;
    m_subs.emplace(id, Subscription{topics, std::move(handler)});
    if (m_helloDone) {
        proto::SubscribeParams sp;
        for (const auto& t : topics)
            sp.topics.push_back(t.toStdString());
        rpc::Json j;
        proto::to_json(j, sp);
        sendRequest(methodName(proto::methods::Subscribe), j,
                    {}, m_options.requestTimeoutMs, false);
    }
    return id;
}

void AgentClient::unsubscribe(SubscriptionId id)
{
    auto it = m_subs.find(id);
    if (it == m_subs.end())
        return;
    const QStringList topics = it->second.topics;
    m_subs.erase(it);
    if (!m_helloDone)
        return;
    // Only drop topics no other subscriber still wants.
    QStringList still;
    for (const auto& [sid, s] : m_subs)
        still += s.topics;
    proto::SubscribeParams sp;
    for (const auto& t : topics) {
        if (!still.contains(t))
            sp.topics.push_back(t.toStdString());
    }
    if (sp.topics.empty())
        return;
    rpc::Json j;
    proto::to_json(j, sp);
    sendRequest(methodName(proto::methods::Unsubscribe), j,
                {}, m_options.requestTimeoutMs, false);
}

void AgentClient::onConnected()
{
    qCDebug(lcAgent) << m_node << "transport up, sending hello";
    newGeneration();
    sendHello();
}

void AgentClient::sendHello()
{
    proto::HelloParams hp;
    hp.client = m_options.clientName.toStdString();
    rpc::Json params;
    proto::to_json(params, hp);
    QPointer<AgentClient> self(this);
    sendRequest(
        methodName(proto::methods::Hello), params,
        [self](const RpcResult& r, AnsweredBy by) {
            if (!self)
                return;
            if (!r) {
                if (by == AnsweredBy::Client) {
                    // No answer in time: the link is dead. Or it dropped: that is handled already.
                    if (r.error().code == rpc::Timeout)
                        self->dropConnection(TransportError::Kind::Network, QString::fromStdString(r.error().message));
                } else if (r.error().code == rpc::PermissionDenied) {
                    self->dropConnection(TransportError::Kind::Permission,
                                         tr("%1 refused access: %2")
                                             .arg(self->m_node, QString::fromStdString(r.error().message)));
                } else {
                    // Any other code the agent sent, this client's own ones too, is a protocol error.
                    self->dropConnection(TransportError::Kind::Protocol,
                                         tr("%1: hello failed: %2")
                                             .arg(self->m_node, QString::fromStdString(r.error().message)));
                }
                return;
            }
            auto hello = proto::fromJson<proto::HelloResult>(r.value());
            if (!hello) {
                self->dropConnection(TransportError::Kind::Protocol,
                                     tr("%1 answered hello with something this console cannot read: %2")
                                         .arg(self->m_node, QString::fromStdString(hello.error().message)));
                return;
            }
            if (hello->protocolVersion != proto::kProtocolVersion) {
                // The protocol's major version: a different one is refused (nothing is
                // sent but hello), and the node offers the agent's upgrade.
                self->m_hello = *hello;
                self->dropConnection(TransportError::Kind::VersionMismatch,
                                     tr("protocol version mismatch: agent %1 (hadeck-agent %2), console %3. Upgrade "
                                        "the agent with \"Upgrade agent\" or hadeckctl deploy %4.")
                                         .arg(hello->protocolVersion)
                                         .arg(QString::fromStdString(hello->agentVersion))
                                         .arg(proto::kProtocolVersion)
                                         .arg(self->m_node));
                return;
            }
            self->m_hello = *hello;
            if (hello->permission == proto::PermissionLevel::None) {
                self->dropConnection(
                    TransportError::Kind::Permission,
                    tr("user \"%1\" has no access to the agent on %2 (permission none): add the user to the "
                       "group \"hadeck\" (read), \"hadeck-operator\" or \"hadeck-admin\" on that node")
                        .arg(QString::fromStdString(hello->user), self->m_node));
                return;
            }
            qCDebug(lcAgent) << self->m_node << "hello: agent" << QString::fromStdString(hello->agentVersion)
                             << "user" << QString::fromStdString(hello->user) << "permission" << int(hello->permission);
            self->m_helloDone = true;
            // An agent that answers hello and then sends junk keeps backing off.
            if (self->m_lastErrorKind != TransportError::Kind::Protocol)
                self->m_failures = 0;
            self->m_lastError.clear();
            self->m_lastErrorKind = TransportError::Kind::None;
            self->m_lastTransportError = {};
            self->setState(NodeState::Online);
            emit self->helloReceived(*hello);
            if (self)
                self->sendSubscriptions();
            if (self) {
                self->m_pingTimer.start();
            }
        },
        m_options.requestTimeoutMs, false);
}

void AgentClient::sendSubscriptions()
{
    QStringList topics;
    for (const auto& [id, s] : m_subs)
        topics += s.topics;
    topics.removeDuplicates();
    if (topics.isEmpty())
        return;
    proto::SubscribeParams sp;
    for (const auto& t : topics)
        sp.topics.push_back(t.toStdString());
    rpc::Json j;
    proto::to_json(j, sp);
    sendRequest(methodName(proto::methods::Subscribe), j, {},
                m_options.requestTimeoutMs, false);
}

void AgentClient::sendPing()
{
    if (!m_helloDone)
        return;
    for (const auto& [id, p] : m_pending) {
        if (p.isPing)
            return; // one in flight is enough; its timeout decides
    }
    sendRequest(methodName(proto::methods::Ping),
                rpc::Json::object(), {}, m_options.pingTimeoutMs, true);
}

void AgentClient::onLine(const QByteArray& line)
{
    if (m_decoder) {
        // Into the decoder's inbox; one wake-up per batch, not one event per line.
        bool wake = false;
        {
            std::lock_guard lock(m_inbox->mutex);
            m_inbox->lines.push_back(line);
            wake = !m_inbox->woken;
            m_inbox->woken = true;
        }
        ++m_inFlightLines;
        m_inFlightBytes += line.size();
        if (wake) {
            // The decoder is the context object: the call is dropped if it is gone by then.
            QMetaObject::invokeMethod(m_decoder.data(), &detail::LineDecoder::decodeInbox, Qt::QueuedConnection);
        }
        if (!m_pausedByBacklog && m_transport &&
            (m_inFlightLines >= kMaxInFlightLines || m_inFlightBytes >= kMaxInFlightBytes)) {
            m_pausedByBacklog = true;
            m_transport->setReadPaused(true);
        }
        return;
    }
    detail::DecodedLine decoded{rpc::decode(std::string_view(line.constData(), static_cast<std::size_t>(line.size()))),
                                {}};
    detail::readDeltaHead(decoded);
    handleMessage(decoded.message, decoded.decoded, decoded.topic);
}

void AgentClient::onDecoded(quint64 generation, const std::shared_ptr<detail::DecodedBatch>& batch)
{
    if (generation != m_lineGeneration || !batch)
        return; // from a connection that has since closed
    // Collected, then handled in one pass: superseded snapshots are skipped, and
    // the pass yields to the event loop after a few milliseconds.
    m_ready.insert(m_ready.end(), std::make_move_iterator(batch->begin()), std::make_move_iterator(batch->end()));
    m_readyUnmarked = true;
    if (!m_drainPosted) {
        m_drainPosted = true;
        QMetaObject::invokeMethod(this, &AgentClient::drainReady, Qt::QueuedConnection);
    }
}

void AgentClient::drainReady()
{
    m_drainPosted = false;
    // A snapshot replaces its topic's table: anything of that topic queued before
    // the newest snapshot is superseded and dropped unhandled (across batches too).
    if (m_readyUnmarked) {
        detail::markSuperseded(m_ready);
        m_readyUnmarked = false;
    }
    QPointer<AgentClient> self(this);
    QElapsedTimer budget;
    budget.start();
    const quint64 generation = m_lineGeneration;
    while (self && generation == m_lineGeneration && !m_ready.empty()) {
        if (budget.elapsed() >= kDrainBudgetMs) {
            m_drainPosted = true;
            QMetaObject::invokeMethod(this, &AgentClient::drainReady, Qt::QueuedConnection);
            return;
        }
        const std::shared_ptr<detail::DecodedLine> line = std::move(m_ready.front());
        m_ready.pop_front();
        --m_inFlightLines;
        m_inFlightBytes -= line->size;
        ++m_linesConsumed;
        if (line->superseded)
            ++m_supersededDropped;
        else
            handleMessage(line->message, line->decoded, line->topic);
        if (!self)
            return;
        if (m_pausedByBacklog && m_inFlightLines <= kMaxInFlightLines / 2 && m_inFlightBytes <= kMaxInFlightBytes / 2) {
            m_pausedByBacklog = false;
            if (m_transport)
                m_transport->setReadPaused(false);
        }
    }
}

void AgentClient::handleMessage(const Expected<rpc::Message, rpc::DecodeError>& decoded, const std::any& extra,
                                const std::string& deltaTopic)
{
    if (!decoded) {
        dropConnection(TransportError::Kind::Protocol,
                       tr("%1 sent a message that is not JSON-RPC: %2")
                           .arg(m_node, QString::fromStdString(decoded.error().error.message)));
        return;
    }
    QPointer<AgentClient> self(this);
    if (auto* resp = std::get_if<rpc::Response>(&*decoded)) {
        if (!resp->id.is_number_integer()) {
            // No id: the agent (or its --bridge) could not serve us at all and says why.
            if (resp->error) {
                const QString msg = QString::fromStdString(resp->error->message);
                const bool denied = resp->error->code == rpc::PermissionDenied ||
                                    msg.contains(QLatin1String("Permission denied"), Qt::CaseInsensitive);
                dropConnection(denied ? TransportError::Kind::Permission : TransportError::Kind::Agent,
                               denied ? tr("%1 (%2): no access to the agent (permission none): %3")
                                            .arg(m_node, m_transport ? m_transport->describe() : QString(), msg)
                                      : tr("%1: %2").arg(m_node, msg));
            }
            return;
        }
        auto it = m_pending.find(resp->id.get<RequestId>());
        if (it == m_pending.end())
            return; // answered after its timeout
        Pending p = std::move(it->second);
        m_pending.erase(it);
        delete p.timer;
        const int rtt = static_cast<int>(p.sent.elapsed());
        if (m_helloDone) {
            if (p.isPing)
                m_lastRtt = rtt;
            if (rtt > m_options.degradedThresholdMs && m_state == NodeState::Online)
                setState(NodeState::Degraded,
                         tr("%1 answered in %2 ms (threshold %3 ms)").arg(m_node).arg(rtt).arg(m_options.degradedThresholdMs));
            else if (rtt <= m_options.degradedThresholdMs && m_state == NodeState::Degraded)
                setState(NodeState::Online);
        }
        if (!p.handler)
            return;
        if (resp->error)
            p.handler(Unexpected<rpc::Error>{*resp->error}, AnsweredBy::Agent);
        else
            p.handler(resp->result.value_or(rpc::Json()), AnsweredBy::Agent);
        return;
    }
    if (auto* note = std::get_if<rpc::Notification>(&*decoded)) {
        const QString method = QString::fromStdString(note->method);
        emit notificationReceived(method, note->params);
        if (!self)
            return;
        // A state.delta goes to the subscribers of its topic; anything else to every subscriber.
        const QString topic = QString::fromStdString(deltaTopic);
        std::vector<DecodedNotificationHandler> targets;
        for (const auto& [id, s] : m_subs) {
            if (topic.isEmpty() || s.topics.contains(topic))
                targets.push_back(s.handler);
        }
        for (const auto& h : targets) {
            if (!self)
                return;
            if (h)
                h(method, note->params, extra);
        }
        return;
    }
    // The agent does not call the console; answer so it does not wait.
    const auto& req = std::get<rpc::Request>(*decoded);
    m_transport->write(QByteArray::fromStdString(
        rpc::encode(rpc::makeError(req.id, rpc::MethodNotFound, "the console serves no methods"))));
}

void AgentClient::dropConnection(TransportError::Kind kind, const QString& message)
{
    qCInfo(lcAgent) << m_node << "dropping the connection (kind" << int(kind) << "):" << message;
    if (m_transport)
        m_transport->close();
    onDisconnected(TransportError{kind, message});
}

void AgentClient::onDisconnected(const TransportError& error)
{
    qCInfo(lcAgent) << m_node << "disconnected (kind" << int(error.kind) << "):" << error.message;
    newGeneration();
    m_pingTimer.stop();
    if (m_helloDone)
        m_offlineSince.start();
    m_helloDone = false;
    m_lastErrorKind = error.kind;
    m_lastTransportError = error;
    failAllPending(rpc::Disconnected, error.message.isEmpty() ? tr("%1 disconnected").arg(m_node) : error.message);
    if (!m_running)
        return;
    if (error.kind == TransportError::Kind::NotInstalled || error.kind == TransportError::Kind::VersionMismatch) {
        // States of their own, not errors: the node needs the agent deployed (or upgraded).
        // Still retried with backoff, so an agent installed by other means shows up.
        setState(error.kind == TransportError::Kind::NotInstalled ? NodeState::NotInstalled
                                                                  : NodeState::VersionMismatch,
                 error.message);
        scheduleReconnect();
        return;
    }
    if (error.kind == TransportError::Kind::Protocol) {
        // Its own state: not a refusal of keys or logins, and retried with backoff
        // (a restarted or upgraded agent comes back by itself).
        setState(NodeState::ProtocolError, error.message);
        scheduleReconnect();
        return;
    }
    if (error.isRefusal()) {
        // The user must act (accept a key, fix keys or groups, upgrade): retrying
        // would only hammer sshd and fill its logs with failed logins.
        m_reconnectTimer.stop();
        setState(NodeState::Refused, error.message);
        return;
    }
    setState(NodeState::Unreachable, error.message);
    scheduleReconnect();
}

void AgentClient::scheduleReconnect()
{
    if (!m_options.autoReconnect)
        return;
    const int shift = std::min(m_failures, 16);
    const qint64 base = std::min<qint64>(qint64(m_options.backoffInitialMs) << shift, m_options.backoffMaxMs);
    ++m_failures;
    const qint64 spread = base * m_options.jitterPercent / 100;
    const qint64 jitter = spread > 0 ? QRandomGenerator::global()->bounded(-spread, spread + 1) : 0;
    m_reconnectTimer.start(static_cast<int>(std::max<qint64>(50, base + jitter)));
    qCDebug(lcAgent) << m_node << "reconnecting in" << m_reconnectTimer.interval() << "ms";
}

void AgentClient::failAllPending(int code, const QString& message)
{
    auto pending = std::exchange(m_pending, {});
    QPointer<AgentClient> self(this);
    for (auto& [id, p] : pending) {
        delete p.timer;
        if (p.handler)
            p.handler(rpcFail(code, message), AnsweredBy::Client);
    }
}

void AgentClient::setState(NodeState state, const QString& error)
{
    const QString newError = state == NodeState::Online ? QString() : (error.isEmpty() ? m_lastError : error);
    if (state == m_state && newError == m_lastError)
        return;
    m_state = state;
    m_lastError = newError;
    emit stateChanged(state, newError);
}

} // namespace hadeck::console
