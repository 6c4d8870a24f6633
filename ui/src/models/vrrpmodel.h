#pragma once

#include "hadeck/console/model/clustermodel.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace hadeck::ui {

/// VRRP instances (with their sync group), and under each the directors that
/// run it: state, priorities, who holds the VIPs, last transition, adverts.
class VrrpModel final : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Vrid, SyncGroup, State, Priority, Vips, VipHolder, LastTransition, AdvertsSent,
                  AdvertsReceived, BecameMaster, ColumnCount };
    enum Role { NodeNameRole = Qt::UserRole + 1, InstanceNameRole, VridRole, VrrpStateRole, SortRole };

    explicit VrrpModel(const console::ClusterModel& cluster, QObject* parent = nullptr);
    ~VrrpModel() override;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    // data() without the tooltip escaping.
    QVariant rawData(const QModelIndex& index, int role) const;

public:
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// First director row of @p node, invalid if none.
    [[nodiscard]] QModelIndex firstIndexOfNode(const QString& node) const;

    void refresh(const console::ClusterChange& change);

private:
    struct Member {
        QString director;
        proto::VrrpInstance instance;
        int seen = 0;
    };
    struct Instance {
        QString name;
        int vrid = 0;
        std::vector<std::unique_ptr<Member>> members;
        int seen = 0;
    };

    QVariant instanceData(const Instance& i, int column, int role) const;
    QVariant memberData(const Member& m, int column, int role) const;
    int rowOf(const Instance* i) const;

    const console::ClusterModel& m_cluster;
    std::vector<std::unique_ptr<Instance>> m_instances;
    int m_generation = 0;
};

} // namespace hadeck::ui
