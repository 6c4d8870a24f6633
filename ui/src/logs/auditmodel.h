#pragma once

// The Audit tab's entries: every agent's audit log (agent.auditTail) merged in
// time order, and a filter by user, node and action (the method name, matched as
// a substring: "drain" finds drain.apply and drain.restore).

#include "hadeck/protocol/payloads.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QSortFilterProxyModel>

#include <vector>

namespace hadeck::ui {

class AuditModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Node, User, Action, Phase, Params, Result, ColumnCount };
    enum Roles { TimeRole = Qt::UserRole + 1, NodeNameRole, UserRole, ActionRole };

    explicit AuditModel(QObject* parent = nullptr);

    /// Replaces @p node's entries (oldest first, as the agent sends them).
    void setEntries(const QString& node, const std::vector<proto::AuditRecord>& entries);
    void removeNode(const QString& node);
    void clear();
    /// The users seen, sorted (for the filter's choices).
    [[nodiscard]] QStringList users() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public slots:
    void retranslate();

private:
    struct Row {
        QString node;
        proto::AuditRecord e;
        quint64 seq = 0;
    };
    void rebuild(std::vector<Row> rows);
    std::vector<Row> m_rows; // by time, then node order of arrival
    quint64 m_seq = 0;
};

/// Filters AuditModel rows by user (exact), nodes (a set; empty: all) and action (substring).
class AuditFilter final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setUser(const QString& user);
    void setNodes(const QSet<QString>& nodes);
    void setAction(const QString& action);
    [[nodiscard]] QString user() const { return m_user; }
    [[nodiscard]] QString action() const { return m_action; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_user;
    QSet<QString> m_nodes;
    QString m_action;
};

} // namespace hadeck::ui
