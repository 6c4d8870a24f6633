#include "hadeck/agent/publisher.h"

#include "hadeck/agent/log.h"
#include "hadeck/protocol/payloads.h"
#include "hadeck/protocol/types.h"

namespace hadeck::agent {

namespace {
std::string deltaLine(std::string_view topic, Json delta, bool snapshot)
{
    Json params = proto::stateDeltaParams(proto::StateDeltaHead{std::string(topic), snapshot}, std::move(delta));
    return rpc::encode(rpc::Notification{std::string(proto::notify::StateDelta), std::move(params)});
}
} // namespace

void Publisher::publish(std::string_view topic, Json delta)
{
    if (subscriberCount(topic) == 0) {
        return; // nobody listens: skip the encoding
    }
    sendTo(topic, deltaLine(topic, std::move(delta), false));
}

void Publisher::event(Json e)
{
    for (std::size_t i = 0; i < m_eventObservers.size(); ++i) { // an observer may add events, not observers
        m_eventObservers[i](e);
    }
    if (subscriberCount(kEventsTopic) == 0) {
        return;
    }
    sendTo(kEventsTopic, rpc::encode(rpc::Notification{std::string(proto::notify::Event), std::move(e)}));
}

void Publisher::sendTo(std::string_view topic, const std::string& line)
{
    // Collect first: a send may drop a client, which calls removeClient().
    std::vector<std::shared_ptr<ClientSink>> targets;
    for (const auto& [id, sub] : m_clients) {
        if (sub.topics.count(topic) != 0) {
            if (auto sink = sub.sink.lock()) {
                targets.push_back(std::move(sink));
            }
        }
    }
    for (const auto& sink : targets) {
        sink->sendLine(line);
    }
}

Json Publisher::snapshot(std::string_view topic) const
{
    const auto it = m_snapshots.find(topic);
    return it == m_snapshots.end() ? Json() : it->second();
}

void Publisher::addEventObserver(std::function<void(const Json&)> observer)
{
    m_eventObservers.push_back(std::move(observer));
}

void Publisher::addSubscriptionObserver(std::function<void()> observer)
{
    m_subscriptionObservers.push_back(std::move(observer));
}

void Publisher::subscriptionsChanged()
{
    for (std::size_t i = 0; i < m_subscriptionObservers.size(); ++i) {
        m_subscriptionObservers[i]();
    }
}

void Publisher::setSnapshot(std::string topic, std::function<Json()> snapshot)
{
    m_snapshots.insert_or_assign(std::move(topic), std::move(snapshot));
}

void Publisher::addClient(const std::shared_ptr<ClientSink>& client)
{
    m_clients[client->clientId()].sink = client;
}

void Publisher::removeClient(int clientId)
{
    const auto it = m_clients.find(clientId);
    if (it == m_clients.end()) {
        return;
    }
    const bool hadTopics = !it->second.topics.empty();
    m_clients.erase(it);
    if (hadTopics) {
        subscriptionsChanged();
    }
}

std::vector<std::string> Publisher::subscribe(int clientId, const std::vector<std::string>& topics)
{
    auto it = m_clients.find(clientId);
    if (it == m_clients.end()) {
        return {};
    }
    // Only known topics are kept, so what a client holds is bounded by what exists, and by
    // proto::kMaxTopics (the reply lists what is held).
    for (const auto& t : topics) {
        if (it->second.topics.size() >= proto::kMaxTopics) {
            break;
        }
        if (isKnownTopic(t)) {
            it->second.topics.insert(t);
        }
    }
    std::vector<std::string> now{it->second.topics.begin(), it->second.topics.end()};
    subscriptionsChanged(); // may not touch m_clients' iterators: `now` is taken first
    return now;
}

void Publisher::sendSnapshots(int clientId, const std::vector<std::string>& topics)
{
    auto it = m_clients.find(clientId);
    if (it == m_clients.end()) {
        return;
    }
    auto sink = it->second.sink.lock();
    if (!sink) {
        return;
    }
    for (const auto& t : topics) {
        const auto snap = m_snapshots.find(t);
        if (snap == m_snapshots.end() || it->second.topics.count(t) == 0) {
            continue;
        }
        try {
            sink->sendLine(deltaLine(t, snap->second(), true));
        } catch (const std::exception& e) {
            logError("snapshot of topic " + t + " failed: " + e.what());
        }
    }
}

std::vector<std::string> Publisher::unsubscribe(int clientId, const std::vector<std::string>& topics)
{
    auto it = m_clients.find(clientId);
    if (it == m_clients.end()) {
        return {};
    }
    for (const auto& t : topics) {
        it->second.topics.erase(t);
    }
    std::vector<std::string> now{it->second.topics.begin(), it->second.topics.end()};
    subscriptionsChanged();
    return now;
}

std::size_t Publisher::subscriberCount(std::string_view topic) const
{
    std::size_t n = 0;
    for (const auto& [id, sub] : m_clients) {
        n += sub.topics.count(topic);
    }
    return n;
}

void Publisher::acceptTopicPrefix(std::string prefix, std::function<bool(std::string_view)> known)
{
    m_topicPrefixes.emplace_back(std::move(prefix), std::move(known));
}

bool Publisher::isKnownTopic(std::string_view topic) const
{
    if (topic == kEventsTopic || m_snapshots.find(topic) != m_snapshots.end()) {
        return true;
    }
    for (const auto& [p, known] : m_topicPrefixes) {
        if (topic.size() > p.size() && topic.substr(0, p.size()) == p && known(topic.substr(p.size()))) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> Publisher::knownTopics() const
{
    std::vector<std::string> out{std::string(kEventsTopic)};
    for (const auto& [name, snapshot] : m_snapshots) {
        out.push_back(name);
    }
    return out;
}

std::size_t Publisher::topicCount(int clientId) const
{
    const auto it = m_clients.find(clientId);
    return it == m_clients.end() ? 0 : it->second.topics.size();
}

} // namespace hadeck::agent
