#pragma once

// The live topology, every layer: gateways → VIPs → directors (MASTER/BACKUP,
// priority) → real servers (weight, connections, health) → the databases (the
// master above its replicas, the lag on each replication edge) → MooseFS (the
// master, its chunkservers and metaloggers). Configured edges (VRRP, IPVS,
// replication, MooseFS) are solid or dashed in their own colors; the edges the
// agents observe in their established TCP connections are drawn apart (violet,
// dash-dot) so an admin sees who really talks to whom.
//
// Nodes are grouped by role, one band per group; a band collapses into one card
// (edges to its members then end at that card). Layout runs only when the shape
// changes (nodes, roles, VIPs, real servers, replication links, chunkservers, a
// group collapsed); a tick with only new numbers recolors the cards and updates
// the edges in place.

#include "hadeck/console/model/clustermodel.h"

#include <QGraphicsObject>
#include <QGraphicsScene>
#include <QHash>
#include <QIcon>
#include <QSet>

#include <map>

class QGraphicsPathItem;
class QGraphicsSimpleTextItem;

namespace hadeck::ui {

class AppDataStore;
class NodeSelection;

/// A card for one node, a VIP (which has no agent of its own), or a collapsed group.
class TopologyItem final : public QGraphicsObject {
    Q_OBJECT
public:
    enum class Kind { Node, Vip, Group };
    TopologyItem(Kind kind, QString id, QGraphicsItem* parent = nullptr);

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] QString id() const { return m_id; }
    [[nodiscard]] QString title() const { return m_title; }
    [[nodiscard]] QString subtitle() const { return m_subtitle; }
    [[nodiscard]] QColor status() const { return m_status; }
    [[nodiscard]] bool marked() const { return m_marked; }
    /// Repaints only when something shown changed.
    void setContent(const QString& title, const QString& subtitle, const QColor& status, const QIcon& icon,
                    const QString& badge = {});
    void setMarked(bool marked);
    [[nodiscard]] QPointF topAnchor() const { return mapToScene(QPointF(kWidth / 2, 0)); }
    [[nodiscard]] QPointF bottomAnchor() const { return mapToScene(QPointF(kWidth / 2, height())); }
    [[nodiscard]] qreal height() const { return m_kind == Kind::Vip ? kVipHeight : kHeight; }

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
    /// The bands, top to bottom.
    enum class Group { Gateways, Vips, Directors, RealServers, Databases, Storage, Other };
    static constexpr int kGroupCount = 7;
    /// How an edge is drawn; the legend shows each.
    enum class EdgeKind {
        Traffic,           ///< VIP to its MASTER, director to a weighted real server (of the MASTER)
        Standby,           ///< VIP to a BACKUP, a BACKUP's real servers, gateway to VIP
        Drained,           ///< weight 0
        Replication,       ///< DB master to a replica whose threads run
        ReplicationBroken, ///< a replica's IO or SQL thread stopped
        Storage,           ///< MooseFS master to a chunkserver or metalogger
        Observed,          ///< an established TCP connection an agent saw (client to server:port)
    };
    static constexpr int kEdgeKindCount = 7;

    /// @p appData (may be null): the application layer's state; not owned.
    TopologyScene(const console::ClusterModel& cluster, NodeSelection& selection, const AppDataStore* appData = nullptr,
                  QObject* parent = nullptr);

    /// The card of @p node (or "vip:<address>", "rs:<address>", "cs:<address>", "group:<n>"), or nullptr.
    [[nodiscard]] TopologyItem* itemFor(const QString& node) const { return m_items.value(node, nullptr); }
    /// The card that shows @p node now: its own, or its collapsed group's.
    [[nodiscard]] TopologyItem* cardShowing(const QString& node) const;
    [[nodiscard]] int nodeItemCount() const;
    [[nodiscard]] int vipItemCount() const;
    [[nodiscard]] int edgeCount() const { return static_cast<int>(m_edges.size()); }
    [[nodiscard]] int edgeCount(EdgeKind kind) const;
    /// Whether an edge of @p kind joins the cards @p from and @p to (ids as itemFor takes).
    [[nodiscard]] bool hasEdge(EdgeKind kind, const QString& from, const QString& to) const;
    /// The text drawn on that edge ("lag 3 s", "3306 ×2"), empty when none or no such edge.
    [[nodiscard]] QString edgeLabel(EdgeKind kind, const QString& from, const QString& to) const;
    /// The group @p id (a node name or a card id) is placed in; Other when unknown.
    [[nodiscard]] Group groupOf(const QString& id) const;
    [[nodiscard]] QStringList members(Group group) const;
    [[nodiscard]] bool isCollapsed(Group group) const { return m_collapsed.contains(static_cast<int>(group)); }
    void setCollapsed(Group group, bool collapsed);
    [[nodiscard]] static QString groupId(Group group)
    {
        return QStringLiteral("group:%1").arg(static_cast<int>(group));
    }
    [[nodiscard]] static QString groupName(Group group);
    [[nodiscard]] static QString edgeKindName(EdgeKind kind);
    /// The pen an edge of @p kind is drawn with (the legend draws the same).
    [[nodiscard]] static QPen edgePen(EdgeKind kind);
    /// How many times the layout ran (tests: not on a tick that changed no shape).
    [[nodiscard]] int layoutCount() const { return m_layoutCount; }
    /// Card ids whose name, address or text contains @p text (case-insensitive), top to bottom,
    /// members of collapsed groups included.
    [[nodiscard]] QStringList find(const QString& text) const;
    /// Makes @p id's own card visible (expands its group if collapsed); returns it, or nullptr.
    TopologyItem* reveal(const QString& id);
    /// Re-reads everything: shape and colors.
    void rebuild();

signals:
    void contextMenuRequested(const QString& node, const QPoint& screenPos);
    /// After a layout (cards moved): views may fit again.
    void layoutChanged();

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
    struct EdgeSpec {
        EdgeKind kind;
        QString from;
        QString to;
        QString label;
        QString tip;
    };
    struct Edge {
        EdgeKind kind;
        QString from;
        QString to;
        QString label; // the whole text (tests, tooltip)
        QString shown; // the text drawn on the edge (none on observed edges when they are many)
        QGraphicsPathItem* item = nullptr;
        QGraphicsSimpleTextItem* text = nullptr;
    };
    struct Band {
        Group group;
        QString title;
        int count = 0;
        qreal top = 0;
        qreal bottom = 0;
        QRectF header; // click target: collapse / expand
    };

    void onClusterChanged();
    void onAppDataChanged(bool structural);
    void refresh();
    void recolor();
    void recolorApp(const QString& id, TopologyItem* item);
    void recolorGroup(Group group, TopologyItem* item);
    [[nodiscard]] QString shapeSignature() const;
    [[nodiscard]] std::vector<EdgeSpec> wantedEdges() const;
    void updateEdges();
    void routeEdge(Edge& e);
    [[nodiscard]] QString appNodeOfAddress(const QString& address) const;
    [[nodiscard]] std::map<Group, QStringList> collectGroups() const;

    const console::ClusterModel& m_cluster;
    NodeSelection& m_selection;
    const AppDataStore* m_app = nullptr;
    QHash<QString, TopologyItem*> m_items; // node name, "vip:", "rs:", "cs:" or "group:" id
    QHash<QString, int> m_groupOf;         // every id placed, collapsed ones included -> Group
    std::map<QString, Edge> m_edges;       // by "<kind>|<from>|<to>"
    std::vector<Band> m_bands;
    QSet<int> m_collapsed;
    QString m_signature;
    int m_layoutCount = 0;
};

} // namespace hadeck::ui
