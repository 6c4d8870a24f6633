#pragma once

// The Storage tab's tables, from the MooseFS master's mfs.status (read by the
// agent on the master node): the chunkservers (state, maintenance, chunks, space
// used as a bar, errors) and every chunkserver's disks.

#include "hadeck/protocol/appdata.h"

#include <QAbstractTableModel>
#include <QStyledItemDelegate>

namespace hadeck::ui {

class ChunkserverModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Server, Id, Labels, Version, State, Maintenance, Chunks, Space, Errors, ColumnCount };
    enum Roles { HostRole = Qt::UserRole + 1, PortRole, ServerRole, FractionRole, MaintenanceOnRole, SortRole };

    explicit ChunkserverModel(QObject* parent = nullptr);
    /// The master's list; rows are kept by host:port (updated in place, added, removed).
    void setChunkservers(const std::vector<proto::MfsChunkserver>& list);
    [[nodiscard]] const proto::MfsChunkserver* chunkserver(int row) const;
    [[nodiscard]] int rowOf(const QString& host, quint16 port) const;
    /// The master's word for "off" is "off"; anything else ("on", "on (temp)") is on.
    static bool maintenanceOn(const proto::MfsChunkserver& cs);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public slots:
    void retranslate();

private:
    QString text(const proto::MfsChunkserver& cs, int column) const;
    std::vector<proto::MfsChunkserver> m_rows;
};

class ChunkDiskModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Server, Path, Status, Chunks, Space, Errors, ColumnCount };
    enum Roles { ServerRole = ChunkserverModel::ServerRole, FractionRole = ChunkserverModel::FractionRole };

    explicit ChunkDiskModel(QObject* parent = nullptr);
    void setDisks(const std::vector<proto::MfsDisk>& disks);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public slots:
    void retranslate();

private:
    std::vector<proto::MfsDisk> m_rows;
};

/// Draws a cell's FractionRole (0..1) as a bar behind its text.
class SpaceBarDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    /// The text on one line, elided when the column is narrower than it.
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    /// Room for the whole text on one line, with the bar's margins.
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

/// "12.5 GiB" (binary units).
QString formatBytes(std::uint64_t bytes);

} // namespace hadeck::ui
