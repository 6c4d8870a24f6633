#include "hadeck/console/actions/live_cluster.h"

#include "hadeck/console/model/fastdelta.h"
#include "hadeck/console/model/statedelta.h"
#include "hadeck/protocol/methods.h"

#include <any>

namespace hadeck::console {

namespace {

using DecodedDelta = std::shared_ptr<Expected<StateDelta>>;
using DecodedAppDelta = std::shared_ptr<AppTopicDelta>;

bool isAppTopic(const std::string& topic)
{
    return topic == proto::topic::Db || topic == proto::topic::Mfs || topic == proto::topic::Host ||
           topic == proto::topic::Apache;
}

std::any decodeAppTopic(const std::string& topic, const rpc::Json& params)
{
    auto out = std::make_shared<AppTopicDelta>();
    const auto take = [&](auto& slot, auto decoded) {
        if (decoded) {
            slot = std::move(*decoded);
        } else {
            out->error = decoded.error().message;
        }
    };
    if (topic == proto::topic::Db) {
        take(out->db, proto::fromJson<proto::DbStatus>(params));
    } else if (topic == proto::topic::Mfs) {
        take(out->mfs, proto::fromJson<proto::MfsStatus>(params));
    } else if (topic == proto::topic::Apache) {
        take(out->apache, proto::fromJson<proto::ApacheStatus>(params));
    } else {
        take(out->host, proto::fromJson<proto::HostStatus>(params));
    }
    return out;
}

/// Runs on the pool's decode thread: the JSON-to-struct work of a state.delta happens there, so
/// the caller's thread only merges the result. The params stay whole: the drain and failover
/// jobs read the same notifications.
std::any decodeDelta(const std::string& method, const rpc::Json& params)
{
    if (method != proto::notify::StateDelta) {
        return {};
    }
    if (const auto t = params.find("topic");
        t != params.end() && t->is_string() && isAppTopic(t->get_ref<const std::string&>())) {
        return decodeAppTopic(t->get_ref<const std::string&>(), params);
    }
    return std::make_shared<Expected<StateDelta>>(decodeStateDelta(params));
}

std::vector<proto::Role> roleHints(const QStringList& names)
{
    std::vector<proto::Role> out;
    for (const auto& n : names) {
        if (const auto r = proto::roleFromString(n.toStdString())) {
            out.push_back(*r);
        }
    }
    return out;
}

} // namespace

LiveCluster::LiveCluster(const ClusterInventory& inventory, CredentialPrompter* prompter, ClusterModel& model,
                         ConnectionPoolOptions options, QObject* parent)
    : QObject(parent)
    , m_model(model)
{
    for (const auto& spec : inventory.nodes) {
        m_model.addNode(spec.name, spec.address, roleHints(spec.roles));
    }
    options.decodeOffThread = true;
    options.notificationDecoder = [](const std::string& method, rpc::Json& params) {
        return decodeDelta(method, params);
    };
    // The IPVS table straight from the line into structs. Its params reach no subscriber but the
    // model's (the drain and failover jobs read vrrp, which stays generic).
    options.fastDeltaDecoder = [](const rpc::FastReader& reader) -> std::any {
        auto delta = decodeStateDelta(reader);
        if (!delta) {
            return {};
        }
        return std::make_shared<Expected<StateDelta>>(std::move(*delta));
    };
    m_pool = new ConnectionPool(inventory, prompter, options, this);
    m_rpc = std::make_unique<PoolRpc>(*m_pool);
    m_live = std::make_unique<LiveActions>(*m_rpc, m_model);
    connect(m_pool, &ConnectionPool::nodeStateChanged, this,
            [this](const QString& node, NodeState state, const QString& error) {
                m_model.setLink(node, state, error);
                if (!takesCalls(state)) {
                    emit nodeLost(node);
                }
            });
    connect(m_pool, &ConnectionPool::nodeHelloReceived, this,
            [this](const QString& node, const proto::HelloResult& hello) { m_model.setHello(node, hello); });
    for (const auto& node : m_pool->nodeNames()) {
        auto* client = m_pool->client(node);
        if (client == nullptr) {
            continue;
        }
        // The subscription is re-sent by the client after each reconnect.
        client->subscribeDecoded(
            {topicName(proto::topic::Ipvs), topicName(proto::topic::Vrrp)},
            [this, node](const QString& method, const rpc::Json& params, const std::any& decoded) {
                if (method.toStdString() != proto::notify::StateDelta) {
                    return;
                }
                // A malformed delta leaves the last good picture in place.
                if (const auto* delta = std::any_cast<DecodedDelta>(&decoded); delta != nullptr && *delta) {
                    if (**delta) {
                        (void)m_model.applyStateDelta(node, std::move(***delta));
                    } else {
                        m_model.noteUnreadableState(node, QString::fromStdString((**delta).error().message));
                    }
                    return;
                }
                (void)m_model.applyStateDelta(node, params);
            });
    }
}

LiveCluster::~LiveCluster() = default;

void LiveCluster::subscribeAppTopics()
{
    for (const auto& node : m_pool->nodeNames()) {
        auto* client = m_pool->client(node);
        if (client == nullptr) {
            continue;
        }
        client->subscribeDecoded(
            {topicName(proto::topic::Db), topicName(proto::topic::Mfs), topicName(proto::topic::Host),
             topicName(proto::topic::Apache)},
            [this, node](const QString& method, const rpc::Json& /*params*/, const std::any& decoded) {
                if (method.toStdString() != proto::notify::StateDelta) {
                    return;
                }
                const auto* d = std::any_cast<DecodedAppDelta>(&decoded);
                if (d != nullptr && *d) {
                    emit appTopic(node, **d);
                }
            });
    }
}

void LiveCluster::start() { m_pool->connectAll(); }

} // namespace hadeck::console
