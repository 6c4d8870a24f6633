#pragma once

// The Storage tab: the MooseFS master's facts (version, RAM, space, files,
// chunks), the chunk health (undergoal and missing chunks, in red when not zero),
// the chunkservers with space bars, state and maintenance, the disks of the
// selected chunkserver, and the maintenance toggle (preflight, confirmation).
// The master's state is the mfs topic of the node whose agent reads it, as the
// session's AppDataStore holds it.

#include "appdata/appaction.h"
#include "appdata/nodepollview.h"

#include <QHash>
#include <QSet>

#include <optional>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace hadeck::ui {

class ChunkserverModel;
class ChunkDiskModel;

class StorageView final : public NodePollView {
    Q_OBJECT
public:
    explicit StorageView(QWidget* parent = nullptr);
    ~StorageView() override;

    void setSession(ClusterSession* session);

    [[nodiscard]] ChunkserverModel* chunkservers() const { return m_servers; }
    [[nodiscard]] ChunkDiskModel* disks() const { return m_disks; }
    [[nodiscard]] QTableView* chunkserverTable() const { return m_serverTable; }
    [[nodiscard]] QTableView* diskTable() const { return m_diskTable; }
    [[nodiscard]] QLabel* healthLabel() const { return m_health; }
    /// The node whose agent reads the master (empty until one answers).
    [[nodiscard]] QString masterNode() const { return m_masterNode; }
    [[nodiscard]] const std::optional<proto::MfsStatus>& status() const { return m_status; }
    /// Selects the chunkserver at @p host (any port); false when it is not listed.
    bool selectChunkserver(const QString& host);
    AppAction::Confirm confirmHook;

public slots:
    void refresh() override;
    void toggleMaintenance();
    void exportCsv();

signals:
    /// After each read of the master's node's mfs topic.
    void statusShown();
    void actionFinished(const QString& chunkserver, bool done, const QString& message);

private:
    void retranslate() override;
    void updateActions();
    void show(const QString& node, const proto::MfsStatus& status);
    void showMaster();

    ChunkserverModel* m_servers = nullptr;
    ChunkDiskModel* m_disks = nullptr;
    QSortFilterProxyModel* m_diskFilter = nullptr;
    QTableView* m_serverTable = nullptr;
    QTableView* m_diskTable = nullptr;
    QLabel* m_master = nullptr;
    QLabel* m_health = nullptr;
    QLabel* m_disksTitle = nullptr;
    QPushButton* m_maintenance = nullptr;
    QPushButton* m_csv = nullptr;
    QString m_masterNode;
    std::optional<proto::MfsStatus> m_status;
    QMetaObject::Connection m_storeLink;
};

} // namespace hadeck::ui
