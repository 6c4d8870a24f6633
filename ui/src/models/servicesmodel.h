#pragma once

#include "hadeck/console/model/clusteractions.h"
#include "hadeck/console/model/clustermodel.h"

#include <QAbstractItemModel>
#include <QHash>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace hadeck::ui {

/// IPVS virtual services with their real servers, one column group per
/// director, so an admin sees at once whether the backup director would send
/// traffic where the master does. New rows are appended; order is the proxy's job.
class ServicesModel final : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Detail, FirstDirectorColumn };
    enum GroupColumn { Weight, Active, Inactive, ConnRate, ByteRate, GroupSize };
    enum Role { NodeNameRole = Qt::UserRole + 1, DirectorRole, ServiceKeyRole, EndpointRole, SortRole, DriftRole };

    explicit ServicesModel(const console::ClusterModel& cluster, QObject* parent = nullptr);
    ~ServicesModel() override;

    /// Weight edits go through @p actions; not owned, may be null (read-only).
    void setActions(console::ClusterActions* actions) { m_actions = actions; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    // data() without the tooltip escaping.
    QVariant rawData(const QModelIndex& index, int role) const;

public:
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] const QStringList& directors() const { return m_directors; }
    /// Director of a column, empty for the fixed columns.
    [[nodiscard]] QString directorOfColumn(int column) const;
    [[nodiscard]] static int columnFor(int directorIndex, GroupColumn c)
    {
        return FirstDirectorColumn + directorIndex * GroupSize + c;
    }
    /// First row (column 0) of the real server whose node is @p node, invalid if none.
    [[nodiscard]] QModelIndex firstIndexOfNode(const QString& node) const;
    /// Number of real-server rows under all services.
    [[nodiscard]] int realServerRowCount() const;

    /// Applies one tick of the cluster model: only the rows the change names are
    /// re-read, and each run of changed rows gets one dataChanged.
    void refresh(const console::ClusterChange& change);

signals:
    /// An edit was handed to the action layer and it answered.
    void actionFinished(bool ok, const QString& message);

private:
    struct Slot {
        bool present = false;
        std::uint32_t weight = 0;
        std::uint32_t active = 0;
        std::uint32_t inactive = 0;
        std::uint64_t cps = 0;
        std::uint64_t bps = 0;
        int seen = 0;
        bool operator==(const Slot& o) const
        {
            return present == o.present && weight == o.weight && active == o.active && inactive == o.inactive &&
                   cps == o.cps && bps == o.bps;
        }
    };
    struct Dest;
    struct Service;

    void rebuild();
    Service* serviceFor(const proto::VirtualService& vs);
    Dest* destFor(Service& s, const proto::RealServer& rs, int hint);
    void applyDest(std::size_t di, Service& s, Dest& d, const proto::RealServer& rs, bool adjustTotal);
    void scanDirector(std::size_t di);
    void applyRows(std::size_t di, const std::vector<std::pair<int, int>>& rows);
    void relabel();
    void touchNode(const QString& node);
    void touchRow(Service& s, const Dest& d, bool name = false);
    void touchService(Service& s, bool name = false);
    void prune();
    void flushPending(bool notify);
    void emitChanges();
    void forgetDest(const Dest& d);
    QVariant serviceData(const Service& s, int column, int role) const;
    QVariant destData(const Service& s, const Dest& d, int column, int role) const;

    const console::ClusterModel& m_cluster;
    console::ClusterActions* m_actions = nullptr;
    QStringList m_directors;
    std::vector<std::unique_ptr<Service>> m_services;
    std::unordered_map<std::string, Service*> m_serviceByKey; // pending ones included
    std::vector<std::unique_ptr<Service>> m_newServices;      // inserted at the end of the tick
    std::vector<Service*> m_touched;                          // services with changes this tick
    QHash<QString, std::vector<Dest*>> m_destsByNode;         // real-server rows of each node
    bool m_prune = false;
    int m_generation = 0;
};

} // namespace hadeck::ui
