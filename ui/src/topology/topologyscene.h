#pragma once

// The live topology: gateways → VIPs → directors (MASTER/BACKUP, priority) →
// real servers (weight, connections, health) → databases and MooseFS. Laid
// out in layers automatically; items are rebuilt only when the shape of the
// cluster changes and are recolored on every tick.

#include "hadeck/console/model/clustermodel.h"

#include <QGraphicsObject>
#include <QGraphicsScene>
#include <QHash>
#include <QIcon>

namespace hadeck::ui {

class NodeSelection;

/// A card for one node (or a VIP, which has no agent of its own).
class TopologyItem final : public QGraphicsObject {
    Q_OBJECT
public:
    enum class Kind { Node, Vip };
    TopologyItem(Kind kind, QString id, QGraphicsItem* parent = nullptr);

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] QString id() const { return m_id; }
    void setContent(const QString& title, const QString& subtitle, const QColor& status, const QIcon& icon,
                    const QString& badge = {});
    void setMarked(bool marked);
    [[nodiscard]] QPointF topAnchor() const { return mapToScene(QPointF(boundingRect().center().x(), 0)); }
    [[nodiscard]] QPointF bottomAnchor() const
    {
        return mapToScene(QPointF(boundingRect().center().x(), boundingRect().height()));
    }

    static constexpr qreal kWidth = 168;
    static constexpr qreal kHeight = 60;
    static constexpr qreal kVipHeight = 40;

private:
    Kind m_kind;
    QString m_id;
    QString m_title;
    QString m_subtitle;
    QString m_badge;
    QColor m_status;
    QIcon m_icon;
    bool m_marked = false;
};

class TopologyScene final : public QGraphicsScene {
    Q_OBJECT
public:
    TopologyScene(const console::ClusterModel& cluster, NodeSelection& selection, QObject* parent = nullptr);

    /// The card of @p node, or nullptr.
    [[nodiscard]] TopologyItem* itemFor(const QString& node) const { return m_items.value(node, nullptr); }
    [[nodiscard]] int nodeItemCount() const;
    [[nodiscard]] int vipItemCount() const;
    [[nodiscard]] int edgeCount() const { return static_cast<int>(m_edges.size()); }
    /// Re-reads everything: shape and colors.
    void rebuild();

signals:
    void contextMenuRequested(const QString& node, const QPoint& screenPos);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
    void onChanged(const console::ClusterChange& change);
    void recolor();
    [[nodiscard]] QString shapeSignature() const;
    void addEdge(const QString& from, const QString& to, int style);
    void updateEdges();

    struct Edge {
        QString from;
        QString to;
        int style; // 0 active, 1 standby, 2 drained
        QGraphicsPathItem* item;
    };
    struct Band {
        QString title;
        qreal top;
        qreal bottom;
    };

    const console::ClusterModel& m_cluster;
    NodeSelection& m_selection;
    QHash<QString, TopologyItem*> m_items; // node name, or "vip:<address>"
    std::vector<Edge> m_edges;
    std::vector<Band> m_bands;
    QString m_signature;
};

} // namespace hadeck::ui
