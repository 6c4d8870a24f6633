#pragma once

// The Database tab's table: one row per node with a database server (nodes whose
// agent finds none are left out), from each agent's db.status: role, read_only,
// the replica's IO and SQL threads, lag, its master (the inventory node when the
// address is one), the last IO/SQL error and the GTID positions.

#include "hadeck/protocol/appdata.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

namespace hadeck::ui {

class ReplicationModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Node, Role, ReadOnly, IoThread, SqlThread, Lag, Master, LastError, Gtid, ColumnCount };
    enum Roles { NodeNameRole = Qt::UserRole + 1, SortRole, IsReplicaRole };

    explicit ReplicationModel(QObject* parent = nullptr);

    /// The node's answer; @p address is the inventory's (to name masters by node).
    void setStatus(const QString& node, const QString& address, const proto::DbStatus& status);
    /// The call failed: the row (if any) keeps its last answer and shows the error.
    void setError(const QString& node, const QString& error);
    void removeNode(const QString& node);
    void clear();
    /// The inventory's nodes by address: a replica's master is named by its node even
    /// before (or without) that node's own answer.
    void setInventoryAddresses(const QHash<QString, QString>& nodeByAddress);

    [[nodiscard]] int rowOf(const QString& node) const;
    [[nodiscard]] const proto::DbStatus* status(const QString& node) const;
    [[nodiscard]] QString masterNodeOf(const QString& node) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// A database server lives on the node (false for NotInstalled or no socket).
    static bool hasServer(const proto::DbStatus& status);

public slots:
    void retranslate();

private:
    struct Row {
        QString node;
        QString address;
        proto::DbStatus db;
        QString error;
    };
    QString cellText(const Row& r, int column) const;

    QList<Row> m_rows;
    QHash<QString, QString> m_nodeByAddress;
};

} // namespace hadeck::ui
