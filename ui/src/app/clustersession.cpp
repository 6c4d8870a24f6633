#include "app/clustersession.h"

#include "app/logging.h"

#include "hadeck/console/model/fastdelta.h"

namespace hadeck::ui {

ClusterSession::ClusterSession(const QString& name, QObject* parent)
    : QObject(parent), m_model(new console::ClusterModel(name, this))
{
    createModels();
}

ClusterSession::~ClusterSession() = default;

void ClusterSession::createModels()
{
    m_unwired = std::make_unique<console::UnwiredActions>();
    m_actions = m_unwired.get();
    m_tree = new ClusterTreeModel(*m_model, this);
    m_services = new ServicesModel(*m_model, this);
    m_services->setActions(m_actions);
    m_vrrp = new VrrpModel(*m_model, this);
    m_timeline = new TimelineModel(*m_model, 5000, this);
    m_selection = new NodeSelection(this);
    m_appData = new AppDataStore(this);
}

void ClusterSession::setActions(console::ClusterActions* actions)
{
    m_actions = actions != nullptr ? actions : m_unwired.get();
    m_services->setActions(m_actions);
}

namespace {

using DecodedDelta = std::shared_ptr<Expected<console::StateDelta>>;

/// A state.delta of the db, mfs, apache or host topic, decoded off the GUI thread.
struct AppTopicDelta {
    std::optional<proto::DbStatus> db;
    std::optional<proto::MfsStatus> mfs;
    std::optional<proto::ApacheStatus> apache;
    std::optional<proto::HostStatus> host;
    std::string error;
};
using DecodedAppDelta = std::shared_ptr<AppTopicDelta>;

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

/// Runs on the pool's decode thread: the JSON-to-struct work of a state.delta
/// happens there, so the GUI thread only merges the result. The params stay
/// whole: the drain and failover jobs read the same notifications.
std::any decodeDelta(const std::string& method, const rpc::Json& params)
{
    if (method != proto::notify::StateDelta) {
        return {};
    }
    if (const auto t = params.find("topic"); t != params.end() && t->is_string()) {
        const auto& topic = t->get_ref<const std::string&>();
        if (topic == proto::topic::Db || topic == proto::topic::Mfs || topic == proto::topic::Host ||
            topic == proto::topic::Apache) {
            return decodeAppTopic(topic, params);
        }
    }
    return std::make_shared<Expected<console::StateDelta>>(console::decodeStateDelta(params));
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

ClusterSession::ClusterSession(const console::ClusterInventory& inventory, console::CredentialPrompter* prompter,
                               QObject* parent)
    : QObject(parent),
      m_model(new console::ClusterModel(inventory.name, this)),
      m_sourcePath(inventory.sourcePath),
      m_inventory(inventory),
      m_prompter(prompter)
{
    createModels();
    for (const auto& spec : inventory.nodes) {
        m_model->addNode(spec.name, spec.address, roleHints(spec.roles));
    }
    console::ConnectionPoolOptions options;
    options.decodeOffThread = true;
    options.notificationDecoder = [](const std::string& method, rpc::Json& params) {
        return decodeDelta(method, params);
    };
    // The IPVS table straight from the line into structs. Its params reach no subscriber
    // but the model's (the drain and failover jobs read vrrp, which stays generic).
    options.fastDeltaDecoder = [](const rpc::FastReader& reader) -> std::any {
        auto delta = console::decodeStateDelta(reader);
        if (!delta) {
            return {};
        }
        return std::make_shared<Expected<console::StateDelta>>(std::move(*delta));
    };
    m_pool = new console::ConnectionPool(inventory, prompter, options, this);
    m_rpc = std::make_unique<console::PoolRpc>(*m_pool);
    m_live = std::make_unique<console::LiveActions>(*m_rpc, *m_model);
    setActions(m_live.get());
    connect(m_pool, &console::ConnectionPool::nodeStateChanged, m_model,
            [this](const QString& node, console::NodeState state, const QString& error) {
                m_model->setLink(node, state, error);
                if (state != console::NodeState::Online && state != console::NodeState::Degraded) {
                    m_appData->clearNode(node); // what it said no longer holds
                }
            });
    connect(m_pool, &console::ConnectionPool::nodeHelloReceived, m_model,
            [this](const QString& node, const proto::HelloResult& hello) { m_model->setHello(node, hello); });
    for (const auto& node : m_pool->nodeNames()) {
        auto* client = m_pool->client(node);
        if (client == nullptr) {
            continue;
        }
        // The subscription is re-sent by the client after each reconnect.
        client->subscribeDecoded(
            {console::topicName(proto::topic::Ipvs), console::topicName(proto::topic::Vrrp)},
            [this, node](const QString& method, const rpc::Json& params, const std::any& decoded) {
                if (method.toStdString() != proto::notify::StateDelta) {
                    return;
                }
                // A malformed delta leaves the last good picture in place.
                if (const auto* delta = std::any_cast<DecodedDelta>(&decoded); delta != nullptr && *delta) {
                    if (**delta) {
                        (void)m_model->applyStateDelta(node, std::move(***delta));
                    } else {
                        m_model->noteUnreadableState(node, QString::fromStdString((**delta).error().message));
                    }
                    return;
                }
                (void)m_model->applyStateDelta(node, params);
            });
    }
    subscribeAppData();
}

void ClusterSession::subscribeAppData()
{
    for (const auto& spec : m_inventory.nodes) {
        m_appData->addNode(spec.name, spec.address);
    }
    for (const auto& node : m_pool->nodeNames()) {
        auto* client = m_pool->client(node);
        if (client == nullptr) {
            continue;
        }
        client->subscribeDecoded(
            {console::topicName(proto::topic::Db), console::topicName(proto::topic::Mfs),
             console::topicName(proto::topic::Host), console::topicName(proto::topic::Apache)},
            [this, node](const QString& method, const rpc::Json& /*params*/, const std::any& decoded) {
                if (method.toStdString() != proto::notify::StateDelta) {
                    return;
                }
                const auto* d = std::any_cast<DecodedAppDelta>(&decoded);
                if (d == nullptr || !*d) {
                    return;
                }
                const AppTopicDelta& delta = **d;
                if (!delta.error.empty()) {
                    qCWarning(lcUi) << node << "sent an unreadable application state.delta:"
                                    << QString::fromStdString(delta.error);
                } else if (delta.db) {
                    m_appData->setDb(node, *delta.db);
                } else if (delta.mfs) {
                    m_appData->setMfs(node, *delta.mfs);
                } else if (delta.host) {
                    m_appData->setHost(node, *delta.host);
                } else if (delta.apache) {
                    m_appData->setApache(node, *delta.apache);
                }
            });
    }
}

void ClusterSession::start()
{
    if (m_pool != nullptr) {
        qCDebug(lcUi) << "connecting to the nodes of" << m_model->clusterName();
        m_pool->connectAll();
    }
}

} // namespace hadeck::ui
