#pragma once

#include <QObject>
#include <QString>

namespace hadeck::ui {

/// The one selected node, shared by the tree, the topology and the tables, so
/// a click anywhere selects the node everywhere.
class NodeSelection final : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    [[nodiscard]] QString current() const { return m_current; }

public slots:
    void select(const QString& node)
    {
        if (node == m_current) {
            return; // views echo the selection back; this ends the loop
        }
        m_current = node;
        emit selected(node);
    }

signals:
    void selected(const QString& node);

private:
    QString m_current;
};

} // namespace hadeck::ui
