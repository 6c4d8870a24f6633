#include "app/clustersession.h"

#include "app/logging.h"

namespace hadeck::ui {

ClusterSession::ClusterSession(const QString& name, QObject* parent)
    : QObject(parent), m_model(new console::ClusterModel(name, this))
{
    createModels();
}

ClusterSession::~ClusterSession()
{
    // The feed writes into the model until it is gone: it goes first (children go in creation order).
    delete m_feed;
    m_feed = nullptr;
}

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

ClusterSession::ClusterSession(const console::ClusterInventory& inventory, console::CredentialPrompter* prompter,
                               QObject* parent)
    : QObject(parent),
      m_model(new console::ClusterModel(inventory.name, this)),
      m_sourcePath(inventory.sourcePath),
      m_inventory(inventory),
      m_prompter(prompter)
{
    createModels();
    m_feed = new console::LiveCluster(inventory, prompter, *m_model, {}, this);
    setActions(&m_feed->actions());
    for (const auto& spec : inventory.nodes) {
        m_appData->addNode(spec.name, spec.address);
    }
    connect(m_feed, &console::LiveCluster::nodeLost, m_appData, &AppDataStore::clearNode);
    connect(m_feed, &console::LiveCluster::appTopic, m_appData,
            [this](const QString& node, const console::AppTopicDelta& delta) {
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
    m_feed->subscribeAppTopics();
}

void ClusterSession::start()
{
    if (m_feed != nullptr) {
        qCDebug(lcUi) << "connecting to the nodes of" << m_model->clusterName();
        m_feed->start();
    }
}

} // namespace hadeck::ui
