#pragma once

// One node's agent, seen from the console: JSON-RPC requests with ids and
// timeouts, subscriptions, keepalive, reconnect with backoff, and the node state.

#include "hadeck/console/nodestate.h"
#include "hadeck/console/transport.h"

#include <hadeck/protocol/expected.h>
#include <hadeck/protocol/jsonrpc.h>
#include <hadeck/protocol/method.h>
#include <hadeck/protocol/types.h>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <any>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace hadeck::rpc {
class FastReader;
}

class QThread;

namespace hadeck::console {

/// A declared method's name as a QString.
template <typename P, typename R>
QString methodName(const proto::MethodSpec<P, R>& spec)
{
    return QString::fromUtf8(spec.name.data(), static_cast<qsizetype>(spec.name.size()));
}

/// A topic declared in agent/protocol (proto::topic::Ipvs, proto::fw::kTopic...) as a QString.
inline QString topicName(std::string_view topic)
{
    return QString::fromUtf8(topic.data(), static_cast<qsizetype>(topic.size()));
}


namespace detail {
class LineDecoder;
struct DecodedLine;
struct LineInbox;
struct Question;
using DecodedBatch = std::vector<std::shared_ptr<DecodedLine>>;
} // namespace detail

struct AgentClientOptions {
    QString clientName = QStringLiteral("hadeck-console");
    int requestTimeoutMs = 10000;
    /// agent.ping period; a missed answer (pingTimeoutMs) marks the node Unreachable.
    int pingIntervalMs = 2000;
    int pingTimeoutMs = 2500;
    /// Answers slower than this make an online node Degraded.
    int degradedThresholdMs = 1000;
    /// Reconnect backoff: initial, doubled per failure, capped, with ±jitterPercent.
    int backoffInitialMs = 500;
    int backoffMaxMs = 30000;
    int jitterPercent = 20;
    bool autoReconnect = true;
};

/// A JSON-RPC error as the console sees it (agent error, timeout or disconnect).
using RpcResult = Expected<rpc::Json, rpc::Error>;

class AgentClient : public QObject {
    Q_OBJECT
public:
    using ResultHandler = std::function<void(const RpcResult&)>;
    using NotificationHandler = std::function<void(const QString& method, const rpc::Json& params)>;
    /// Runs on the decode thread for each notification, after JSON parsing. It may
    /// consume @p params (move large arrays out of it); what it returns reaches
    /// subscribeDecoded() handlers. Must be thread-safe.
    using NotificationDecoder = std::function<std::any(const std::string& method, rpc::Json& params)>;
    /// Optional beside it: decodes a state.delta straight from its line (@p reader has read it
    /// with success), without the generic JSON tree, and returns what the NotificationDecoder
    /// would have returned; an empty std::any leaves the line to the generic path. The
    /// notification's params then hold only its head (topic, snapshot): use it for topics whose
    /// subscribers all take the decoded value. Runs on the decode thread; must be thread-safe.
    using FastDeltaDecoder = std::function<std::any(const rpc::FastReader& reader)>;
    /// @p decoded is what the NotificationDecoder returned (empty without one).
    using DecodedNotificationHandler =
        std::function<void(const QString& method, const rpc::Json& params, const std::any& decoded)>;
    using RequestId = qint64;
    using SubscriptionId = int;

    /// Takes ownership of @p transport (reparented to this client).
    AgentClient(QString nodeName, Transport* transport, AgentClientOptions options = {}, QObject* parent = nullptr);
    ~AgentClient() override;

    /// Opens the transport and keeps the node connected until stop().
    void start();
    void stop();
    /// Clears a Refused state (the user fixed known_hosts or keys) and connects now.
    void retry();

    [[nodiscard]] QString nodeName() const { return m_node; }
    [[nodiscard]] NodeState state() const { return m_state; }
    [[nodiscard]] QString lastError() const { return m_lastError; }
    [[nodiscard]] TransportError::Kind lastErrorKind() const { return m_lastErrorKind; }
    /// How the transport last closed, with its data (the host keys of a refused connection).
    [[nodiscard]] const TransportError& lastTransportError() const { return m_lastTransportError; }
    /// A reconnect is scheduled (the backoff timer runs). Never after a refusal: the user must act.
    [[nodiscard]] bool reconnectScheduled() const { return m_reconnectTimer.isActive(); }
    /// Failed connection attempts since the last good hello (the backoff's exponent).
    [[nodiscard]] int consecutiveFailures() const { return m_failures; }
    [[nodiscard]] const std::optional<proto::HelloResult>& hello() const { return m_hello; }
    /// Round trip of the most recent ping, -1 before the first.
    [[nodiscard]] int lastRoundTripMs() const { return m_lastRtt; }
    [[nodiscard]] Transport* transport() const { return m_transport; }
    [[nodiscard]] const AgentClientOptions& options() const { return m_options; }

    /// Sends a request; @p handler runs exactly once (result, agent error, Timeout or
    /// Disconnected). @p timeoutMs < 0 uses the default. Returns 0 when not online.
    RequestId request(const QString& method, rpc::Json params, ResultHandler handler, int timeoutMs = -1);

    /// Told, each time a question starts waiting for the node, what it waits for.
    using WaitingHandler = std::function<void(const QString& message)>;
    /// How long ask() waits, by default, for a link that dropped to come back.
    static constexpr int kReconnectWaitMs = 20000;

    /**
     * Like request(), for a question a flow asks a node before it acts (a preflight, a dry
     * run: safe to ask twice). When the node's link is being re-established (it dropped, on a
     * missed ping for example, or is still connecting), the question waits for the next hello
     * and is sent then; when the link drops while it is in flight, it is asked again after the
     * reconnect. Both within @p reconnectWaitMs of the call: past it, @p handler gets
     * Disconnected, saying that the node did not reconnect in time and why it had dropped.
     * @p waiting is told "waiting for NODE to reconnect…" each time the question starts to wait.
     * A node stopped, refused, or away for longer than the bound fails at once, as request().
     */
    void ask(const QString& method, rpc::Json params, ResultHandler handler, int timeoutMs = -1,
             int reconnectWaitMs = kReconnectWaitMs, WaitingHandler waiting = {});
    /// ask() for a declared method (protocol/methods.h), with its checked types.
    template <typename P, typename R>
    void ask(const proto::MethodSpec<P, R>& spec, const P& params, std::function<void(const Expected<R>&)> handler,
             int timeoutMs = -1, int reconnectWaitMs = kReconnectWaitMs, WaitingHandler waiting = {})
    {
        ask(
            methodName(spec), proto::toJson(params),
            [handler = std::move(handler)](const RpcResult& r) {
                if (!r) {
                    handler(fail(r.error().message, r.error().code));
                    return;
                }
                handler(proto::fromJson<R>(r.value()));
            },
            timeoutMs, reconnectWaitMs, std::move(waiting));
    }
    /// The link is down but coming back: a question asked now would wait (up to @p withinMs
    /// since it dropped) rather than fail.
    [[nodiscard]] bool reconnecting(int withinMs = kReconnectWaitMs) const;

    /// Typed variant: decodes the result with the protocol library.
    template <typename T>
    RequestId call(const QString& method, rpc::Json params, std::function<void(const Expected<T>&)> handler,
                   int timeoutMs = -1)
    {
        return request(
            method, std::move(params),
            [handler = std::move(handler)](const RpcResult& r) {
                if (!r) {
                    handler(fail(r.error().message, r.error().code));
                    return;
                }
                handler(proto::fromJson<T>(r.value()));
            },
            timeoutMs);
    }

    /// Calls a declared method (protocol/methods.h): the params are encoded and the
    /// result decoded, with the declaration's checked types.
    template <typename P, typename R>
    RequestId call(const proto::MethodSpec<P, R>& spec, const P& params,
                   std::function<void(const Expected<R>&)> handler, int timeoutMs = -1)
    {
        return call<R>(methodName(spec), proto::toJson(params), std::move(handler), timeoutMs);
    }

    /// Subscribes to agent topics ("ipvs", "vrrp", "host", "events"). The
    /// subscription survives reconnects (re-sent after each hello). Notifications
    /// whose params carry a "topic" go only to subscribers of that topic.
    SubscriptionId subscribe(const QStringList& topics, NotificationHandler handler);
    /// Same, for handlers that want the NotificationDecoder's result.
    SubscriptionId subscribeDecoded(const QStringList& topics, DecodedNotificationHandler handler);
    void unsubscribe(SubscriptionId id);

    /**
     * Parses incoming lines on @p thread instead of this client's thread, running
     * @p decoder there on each notification; the results come back in order.
     * @param thread not owned; must run an event loop and outlive the client. Null
     *        parses inline again (the default).
     */
    void setDecodeThread(QThread* thread, NotificationDecoder decoder = {}, FastDeltaDecoder fast = {});

signals:
    void stateChanged(hadeck::console::NodeState state, const QString& error);
    /// After each successful hello (each reconnect).
    void helloReceived(const hadeck::proto::HelloResult& hello);
    /// Every notification, before routing to subscribers.
    void notificationReceived(const QString& method, const hadeck::rpc::Json& params);

private:
    /// Who made an answer: the agent (a response on the wire, whatever its code) or this client
    /// (the link dropped, no answer in time). Told by where the answer was made, never by its
    /// error code: an agent can send any code, this client's own Disconnected and Timeout too.
    enum class AnsweredBy { Agent, Client };
    using PendingHandler = std::function<void(const RpcResult&, AnsweredBy)>;
    struct Pending {
        PendingHandler handler;
        QElapsedTimer sent;
        QTimer* timer = nullptr;
        bool isPing = false;
        quint64 rxAtCheck = 0; // the transport's receivedBytes() when the ping's deadline was (re)armed
    };
    struct Subscription {
        QStringList topics;
        DecodedNotificationHandler handler;
    };

    void onConnected();
    void onLine(const QByteArray& line);
    void releaseDecoder();
    void newGeneration();
    void onDecoded(quint64 generation, const std::shared_ptr<detail::DecodedBatch>& batch);
    void drainReady();
    /// @p deltaTopic the topic of a state.delta (empty for anything else).
    void handleMessage(const Expected<rpc::Message, rpc::DecodeError>& decoded, const std::any& extra,
                       const std::string& deltaTopic);
    void onDisconnected(const TransportError& error);
    void sendHello();
    void sendSubscriptions();
    void sendPing();
    void setState(NodeState state, const QString& error = {});
    void scheduleReconnect();
    void failAllPending(int code, const QString& message);
    void dropConnection(TransportError::Kind kind, const QString& message);
    RequestId sendRequest(const QString& method, rpc::Json params, PendingHandler handler, int timeoutMs, bool isPing);
    void askNow(const std::shared_ptr<detail::Question>& q);
    void waitForReconnect(const std::shared_ptr<detail::Question>& q);
    [[nodiscard]] bool mayWait(const detail::Question& q) const;

    QString m_node;
    QPointer<Transport> m_transport;
    AgentClientOptions m_options;
    NodeState m_state = NodeState::Connecting;
    QString m_lastError;
    TransportError::Kind m_lastErrorKind = TransportError::Kind::None;
    TransportError m_lastTransportError;
    std::optional<proto::HelloResult> m_hello;
    bool m_running = false;
    bool m_helloDone = false;
    QElapsedTimer m_offlineSince; // since the last good link dropped (invalid before the first)
    int m_lastRtt = -1;
    int m_failures = 0;
    RequestId m_nextId = 1;
    SubscriptionId m_nextSub = 1;
    std::map<RequestId, Pending> m_pending;
    std::map<SubscriptionId, Subscription> m_subs;
    QTimer m_pingTimer;
    QTimer m_reconnectTimer;
    QPointer<detail::LineDecoder> m_decoder; // lives on the decode thread
    quint64 m_lineGeneration = 0;            // bumped per connection: lines still in flight from an old one are dropped
    // The same, read by the decoder before each parse so cancelled lines cost nothing.
    std::shared_ptr<std::atomic<quint64>> m_liveGeneration = std::make_shared<std::atomic<quint64>>(0);
    // Lines handed to the decoder and not yet handled here (both queues, bounded):
    // over the bound the transport stops reading and the kernel pushes back.
    qint64 m_inFlightLines = 0;
    qint64 m_inFlightBytes = 0;
    bool m_pausedByBacklog = false;
    // Lines for the decoder: appended here, taken in batches on the decode thread.
    std::shared_ptr<detail::LineInbox> m_inbox;
    std::deque<std::shared_ptr<detail::DecodedLine>> m_ready; // decoded, waiting for drainReady()
    bool m_readyUnmarked = false; // batches arrived since superseded snapshots were last marked
    bool m_drainPosted = false;
    qint64 m_supersededDropped = 0;
    qint64 m_linesConsumed = 0;

public:
    static constexpr qint64 kMaxInFlightLines = 4096;
    static constexpr qint64 kMaxInFlightBytes = 8 * 1024 * 1024;
    /// Longest stretch drainReady() handles lines before yielding to the event loop.
    static constexpr qint64 kDrainBudgetMs = 8;
    /// state.delta notifications skipped because a later snapshot of their topic replaced them.
    [[nodiscard]] qint64 supersededDropped() const { return m_supersededDropped; }
    /// Lines that came through the decode thread and were handled or skipped as superseded.
    [[nodiscard]] qint64 linesConsumed() const { return m_linesConsumed; }
    /// Lines now waiting to be decoded or handled (for tests and the soak).
    [[nodiscard]] qint64 decodeBacklog() const { return m_inFlightLines; }
};

/// Whether a failed call may have been carried out all the same: its request went out (@p id as
/// call() returned it, 0 when the client was not connected) and no answer came (a timeout, or the
/// link dropped first). Conservative: a write that failed in the transport also counts.
[[nodiscard]] inline bool mayHaveRun(AgentClient::RequestId id, const Failure& failure)
{
    return id != 0 && (failure.code == rpc::Timeout || failure.code == rpc::Disconnected);
}

} // namespace hadeck::console

Q_DECLARE_METATYPE(hadeck::proto::HelloResult)
Q_DECLARE_METATYPE(hadeck::rpc::Json)
