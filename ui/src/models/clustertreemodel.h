#pragma once

#include "hadeck/console/model/clustermodel.h"

#include <QAbstractItemModel>

#include <array>

namespace hadeck::ui {

/// The cluster tree: layers (load balancing, application, data, gateway) with
/// their nodes. Layer rows are fixed; node rows move when an agent's hello
/// reveals a different role than the inventory's hint.
class ClusterTreeModel final : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, State, Roles, Address, Access, ColumnCount };
    enum Role { NodeNameRole = Qt::UserRole + 1, LayerRole, StateRole };

    explicit ClusterTreeModel(const console::ClusterModel& cluster, QObject* parent = nullptr);

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

    /// Index of @p node in column 0, invalid if unknown.
    [[nodiscard]] QModelIndex indexOf(const QString& node) const;
    /// The node at @p index, empty for layer rows.
    [[nodiscard]] QString nodeAt(const QModelIndex& index) const;
    [[nodiscard]] QModelIndex layerIndex(console::Layer layer) const;

private:
    void onChanged(const console::ClusterChange& change);
    void syncMembership();

    const console::ClusterModel& m_cluster;
    std::array<QStringList, console::kLayerCount> m_layers; // node names per layer, sorted
};

} // namespace hadeck::ui
