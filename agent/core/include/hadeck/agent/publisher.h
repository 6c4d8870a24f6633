#pragma once

// Pushes state to subscribed clients. Modules call publish()/event(); the
// server registers clients and agent.subscribe/unsubscribe edit their topics.
// Each message is encoded once and queued to every subscriber; a subscriber
// that cannot keep up is dropped by its own output limit, never slowing others.

#include "hadeck/agent/client_sink.h"
#include "hadeck/protocol/jsonrpc.h"
#include "hadeck/protocol/types.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <vector>

namespace hadeck::agent {

using rpc::Json;

class Publisher {
public:
    /// Topic that receives event() notifications.
    static constexpr std::string_view kEventsTopic = "events";

    /// Sends a `state.delta` notification {"topic": topic, ...delta} to the
    /// subscribers of @p topic. A non-object delta is sent as {"topic", "value"}.
    void publish(std::string_view topic, Json delta);
    /// Sends an `event` notification with @p e to "events" subscribers.
    void event(Json e);

    /// A module may provide the full current state of its topic. A client that
    /// subscribes to the topic then gets it at once (after the subscribe answer),
    /// as a state.delta with "snapshot": true, so it never waits for the next change.
    void setSnapshot(std::string topic, std::function<Json()> snapshot);
    /// Topics made on demand, without a snapshot (e.g. "log." + a named log source):
    /// a subscription to @p prefix + NAME is accepted when @p known(NAME) says NAME exists.
    void acceptTopicPrefix(std::string prefix, std::function<bool(std::string_view name)> known);
    /// The current full state of @p topic from its module, or null when no module provides one.
    [[nodiscard]] Json snapshot(std::string_view topic) const;
    /// A module may also lend its state typed (a large table), so that readers inside the agent
    /// (alarms, /metrics) skip the JSON round trip. The pointer is valid until the module's next
    /// change; readers copy what they keep.
    template <typename T>
    void setTypedSnapshot(std::string topic, std::function<const T*()> view)
    {
        m_typed.insert_or_assign(std::move(topic), TypedView{std::type_index(typeid(T)),
                                                             [v = std::move(view)]() -> const void* { return v(); }});
    }
    /// The typed state of @p topic, or nullptr when none of that type is lent.
    template <typename T>
    [[nodiscard]] const T* typedSnapshot(std::string_view topic) const
    {
        const auto it = m_typed.find(topic);
        if (it == m_typed.end() || it->second.type != std::type_index(typeid(T))) {
            return nullptr;
        }
        return static_cast<const T*>(it->second.view());
    }
    /// @p observer sees every event() inside the agent (subscribers or not), before it is sent.
    void addEventObserver(std::function<void(const Json&)> observer);
    /// @p observer is called after any client's topics changed (a subscribe, an unsubscribe, a
    /// client gone): a module whose work serves only subscribers starts or stops it there.
    void addSubscriptionObserver(std::function<void()> observer);

    // Server side.
    void addClient(const std::shared_ptr<ClientSink>& client);
    void removeClient(int clientId);
    /// @return the client's topics after the change.
    std::vector<std::string> subscribe(int clientId, const std::vector<std::string>& topics);
    /// Sends the snapshots of those of @p topics the client is subscribed to.
    void sendSnapshots(int clientId, const std::vector<std::string>& topics);
    std::vector<std::string> unsubscribe(int clientId, const std::vector<std::string>& topics);
    [[nodiscard]] std::size_t subscriberCount(std::string_view topic) const;
    /// Topics a client may subscribe to: "events" and every topic with a snapshot.
    [[nodiscard]] bool isKnownTopic(std::string_view topic) const;
    [[nodiscard]] std::vector<std::string> knownTopics() const;
    /// How many topics @p clientId is subscribed to.
    [[nodiscard]] std::size_t topicCount(int clientId) const;

private:
    struct Subscriber {
        std::weak_ptr<ClientSink> sink;
        std::set<std::string, std::less<>> topics;
    };
    void sendTo(std::string_view topic, const std::string& line);
    void subscriptionsChanged();

    std::map<int, Subscriber> m_clients;
    std::map<std::string, std::function<Json()>, std::less<>> m_snapshots;
    struct TypedView {
        std::type_index type;
        std::function<const void*()> view;
    };
    std::map<std::string, TypedView, std::less<>> m_typed;
    std::vector<std::pair<std::string, std::function<bool(std::string_view)>>> m_topicPrefixes;
    std::vector<std::function<void(const Json&)>> m_eventObservers;
    std::vector<std::function<void()>> m_subscriptionObservers;
};

} // namespace hadeck::agent
