#pragma once

// One open cluster: its live model, the item models the window shows, the
// shared selection, and the live feed (console::LiveCluster) that fills it.

#include "app/nodeselection.h"
#include "appdata/appdatastore.h"
#include "hadeck/console/model/clusteractions.h"
#include "hadeck/console/model/clustermodel.h"
#include "models/clustertreemodel.h"
#include "models/servicesmodel.h"
#include "models/timelinemodel.h"
#include "models/vrrpmodel.h"

#include "hadeck/console/actions/live_cluster.h"
#include "hadeck/console/inventory.h"

#include <QObject>

#include <memory>

namespace hadeck::ui {

class ClusterSession final : public QObject {
    Q_OBJECT
public:
    /// A session whose model is fed by the caller (tests, benchmarks, demos).
    explicit ClusterSession(const QString& name, QObject* parent = nullptr);
    ~ClusterSession() override;

    /// A session fed by a connection pool over @p inventory. @p prompter is not owned.
    ClusterSession(const console::ClusterInventory& inventory, console::CredentialPrompter* prompter,
                   QObject* parent = nullptr);
    /// The pool parses lines on its own thread and decodes state.delta there.
    [[nodiscard]] console::ConnectionPool* pool() const { return m_feed ? &m_feed->pool() : nullptr; }
    [[nodiscard]] const console::ClusterInventory& inventory() const { return m_inventory; }
    /// The live drain/failover engine of a pool-fed session (null for a caller-fed one).
    [[nodiscard]] console::LiveActions* liveActions() const { return m_feed ? &m_feed->actions() : nullptr; }
    /// Answers host key and passphrase questions for this session (and its extra connections). Not owned.
    [[nodiscard]] console::CredentialPrompter* prompter() const { return m_prompter; }

    [[nodiscard]] QString name() const { return m_model->clusterName(); }
    [[nodiscard]] QString sourcePath() const { return m_sourcePath; }
    [[nodiscard]] console::ClusterModel& model() const { return *m_model; }
    [[nodiscard]] ClusterTreeModel& tree() const { return *m_tree; }
    [[nodiscard]] ServicesModel& services() const { return *m_services; }
    [[nodiscard]] VrrpModel& vrrp() const { return *m_vrrp; }
    [[nodiscard]] TimelineModel& timeline() const { return *m_timeline; }
    [[nodiscard]] NodeSelection& selection() const { return *m_selection; }
    /// The application layer (db, mfs and host topics of every node), for the topology.
    [[nodiscard]] AppDataStore& appData() const { return *m_appData; }
    [[nodiscard]] console::ClusterActions& actions() const { return *m_actions; }
    /// Replaces the action layer (for example with the live drain/failover engine). Not owned.
    void setActions(console::ClusterActions* actions);

    /// Connects every node (no-op for a caller-fed session).
    void start();

private:
    void createModels();

    console::ClusterModel* m_model = nullptr; // children of this
    ClusterTreeModel* m_tree = nullptr;
    ServicesModel* m_services = nullptr;
    VrrpModel* m_vrrp = nullptr;
    TimelineModel* m_timeline = nullptr;
    NodeSelection* m_selection = nullptr;
    AppDataStore* m_appData = nullptr;
    std::unique_ptr<console::UnwiredActions> m_unwired;
    console::ClusterActions* m_actions = nullptr;
    QString m_sourcePath;
    console::ClusterInventory m_inventory;
    console::CredentialPrompter* m_prompter = nullptr;
    console::LiveCluster* m_feed = nullptr; // child of this; null for a caller-fed session
};

} // namespace hadeck::ui
