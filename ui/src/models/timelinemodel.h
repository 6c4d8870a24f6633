#pragma once

#include "hadeck/console/model/clustermodel.h"

#include <QAbstractTableModel>

#include <deque>

namespace hadeck::ui {

/// The incident timeline: alarms raised and cleared, VRRP transitions, real
/// servers going in and out of service, link changes and admin actions.
/// Newest first, bounded so a flapping node cannot grow it without limit.
class TimelineModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Severity, Kind, Node, Message, ColumnCount };
    enum Role { NodeNameRole = Qt::UserRole + 1, SeverityRole, KindRole, TimeRole };

    explicit TimelineModel(const console::ClusterModel& cluster, int capacity = 5000, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    // data() without the tooltip escaping.
    QVariant rawData(const QModelIndex& index, int role) const;

public:
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const QList<console::ClusterEvent>& events);
    [[nodiscard]] int capacity() const { return m_capacity; }
    [[nodiscard]] const console::ClusterEvent& eventAt(int row) const { return m_events.at(row); }
    /// The line's message in the current language.
    [[nodiscard]] QString textAt(int row) const;
    /// Re-renders every line and header; runs on the application's LanguageChange.
    void retranslate();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    std::deque<console::ClusterEvent> m_events; // newest at the front
    int m_capacity;
};

} // namespace hadeck::ui
