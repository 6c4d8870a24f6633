#include "style/plaintext.h"
#include "topology/topologyscene.h"

#include "app/nodeselection.h"
#include "appdata/appdatastore.h"
#include "style/theme.h"

#include <QApplication>
#include <QCollator>
#include <QDateTime>
#include <QGraphicsPathItem>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsSimpleTextItem>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace hadeck::ui {

using console::NodeSnapshot;
using console::NodeState;

namespace {

constexpr qreal kColumnStep = 190;
constexpr qreal kRowStep = 84;
constexpr qreal kBandGap = 46;
constexpr int kPerRow = 10;     // cards per row in a band of up to kWideFrom cards
constexpr int kWidePerRow = 16; // and in a larger band
constexpr int kWideFrom = 60;

QString bareVip(const std::string& v) { return QString::fromStdString(v.substr(0, v.find_first_of("/ "))); }

QString vipId(const QString& address) { return QStringLiteral("vip:") + address; }

/// The address a director serves each VIP on, with the VRRP instance (if any) that carries it.
struct VipInfo {
    QString address;
    std::set<QString> services; // "TCP 80"
    std::map<QString, bool> directors; // director -> holds it (MASTER)
    int vrid = 0;
};

std::map<QString, VipInfo> collectVips(const console::ClusterModel& cluster)
{
    std::map<QString, VipInfo> vips;
    for (const auto& dirName : cluster.directors()) {
        const auto* d = cluster.node(dirName);
        for (const auto& inst : d->vrrp) {
            for (const auto& v : inst.vips) {
                auto& info = vips[bareVip(v)];
                info.address = bareVip(v);
                info.vrid = inst.vrid;
                info.directors[dirName] = inst.state == proto::VrrpState::Master;
            }
        }
        for (const auto& vs : d->ipvs) {
            if (vs.fwmark != 0) {
                continue;
            }
            auto& info = vips[QString::fromStdString(vs.address)];
            info.address = QString::fromStdString(vs.address);
            info.services.insert(QString::fromStdString(vs.protocol).toUpper() + QLatin1Char(' ') +
                                 QString::number(vs.port));
            // Without VRRP data, a director that has the service is taken as serving it.
            info.directors.try_emplace(dirName, !d->hasVrrp);
        }
    }
    return vips;
}

/// Real servers per director: address -> weight.
std::map<QString, std::map<QString, std::uint32_t>> collectRealServers(const console::ClusterModel& cluster)
{
    std::map<QString, std::map<QString, std::uint32_t>> out; // rs address -> director -> max weight
    for (const auto& dirName : cluster.directors()) {
        for (const auto& vs : cluster.node(dirName)->ipvs) {
            for (const auto& rs : vs.realServers) {
                auto& w = out[QString::fromStdString(rs.address)][dirName];
                w = std::max(w, rs.weight);
            }
        }
    }
    return out;
}

bool isMasterSomewhere(const NodeSnapshot& d)
{
    return std::any_of(d.vrrp.begin(), d.vrrp.end(),
                       [](const auto& i) { return i.state == proto::VrrpState::Master; });
}

} // namespace

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QString edgeKey(TopologyScene::EdgeKind kind, const QString& from, const QString& to)
{
    return QString::number(static_cast<int>(kind)) + QLatin1Char('|') + from + QLatin1Char('|') + to;
}

bool maintenanceOn(const proto::MfsChunkserver& c)
{
    return !c.maintenance.empty() && c.maintenance != "off" && c.maintenance != "-";
}

int percentUsed(std::uint64_t used, std::uint64_t total)
{
    return total == 0 ? 0
                      : static_cast<int>(std::lround(100.0 * static_cast<double>(used) / static_cast<double>(total)));
}

} // namespace

// --- TopologyItem ------------------------------------------------------------------------------

TopologyItem::TopologyItem(Kind kind, QString id, QGraphicsItem* parent)
    : QGraphicsObject(parent), m_kind(kind), m_id(std::move(id))
{
    setAcceptHoverEvents(true);
    setCursor(Qt::PointingHandCursor);
}

QRectF TopologyItem::boundingRect() const { return QRectF(0, 0, kWidth, height()).adjusted(-3, -3, 3, 3); }

void TopologyItem::setContent(const QString& title, const QString& subtitle, const QColor& status, const QIcon& icon,
                              const QString& badge)
{
    if (title == m_title && subtitle == m_subtitle && status == m_status && badge == m_badge &&
        icon.cacheKey() == m_icon.cacheKey()) {
        return; // a tick that changed nothing here costs no repaint
    }
    m_title = title;
    m_subtitle = subtitle;
    m_status = status;
    m_icon = icon;
    m_badge = badge;
    setToolTip(plainToolTip(subtitle.isEmpty() ? title : title + QLatin1Char('\n') + subtitle));
    update();
}

void TopologyItem::setMarked(bool marked)
{
    if (marked != m_marked) {
        m_marked = marked;
        update();
    }
}

void TopologyItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* /*widget*/)
{
    const QPalette pal = qApp->palette();
    const QRectF r(0, 0, kWidth, height());
    const qreal radius = m_kind == Kind::Vip ? r.height() / 2 : 7;
    const qreal lod = option != nullptr ? option->levelOfDetailFromTransform(p->worldTransform()) : 1.0;
    if (lod < 0.3) {
        // Zoomed far out (hundreds of nodes on screen): the card's color is what can be read.
        p->setPen(m_marked ? QPen(pal.color(QPalette::Highlight), 6) : Qt::NoPen);
        p->setBrush(tint(m_status, pal, m_kind == Kind::Node ? 0.45 : 0.3));
        p->drawRect(r);
        p->fillRect(QRectF(r.left(), r.top(), 18, r.height()), m_status);
        return;
    }
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(m_marked ? pal.color(QPalette::Highlight) : tint(m_status, pal, 0.55), m_marked ? 2.6 : 1.2));
    p->setBrush(m_kind == Kind::Vip     ? tint(m_status, pal, 0.14)
                : m_kind == Kind::Group ? tint(pal.color(QPalette::Highlight), pal, 0.08)
                                        : pal.color(QPalette::Base));
    if (m_kind == Kind::Group) {
        // A stack of cards: the group stands for several nodes.
        p->drawRoundedRect(r.translated(6, -6), radius, radius);
        p->drawRoundedRect(r.translated(3, -3), radius, radius);
    }
    p->drawRoundedRect(r, radius, radius);

    if (m_kind != Kind::Vip) {
        // A status strip on the left edge: readable at a glance from across the room.
        QPainterPath strip;
        strip.addRoundedRect(QRectF(r.left(), r.top(), 12, r.height()), radius, radius);
        QPainterPath clip;
        clip.addRect(QRectF(r.left(), r.top(), 6, r.height()));
        p->setPen(Qt::NoPen);
        p->setBrush(m_status);
        p->drawPath(strip.intersected(clip));
        m_icon.paint(p, QRect(14, 9, 20, 20));
    } else {
        p->setPen(Qt::NoPen);
        p->setBrush(m_status);
        p->drawEllipse(QPointF(17, r.center().y()), 5, 5);
    }

    const qreal textLeft = m_kind != Kind::Vip ? 40 : 28;
    QFont titleFont = p->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * (m_kind != Kind::Vip ? 1.0 : 0.95));
    p->setFont(titleFont);
    p->setPen(pal.color(QPalette::Text));
    const qreal titleTop = m_kind != Kind::Vip ? 8 : 3;
    const qreal titleHeight = m_kind != Kind::Vip ? 22 : 18;
    qreal badgeWidth = 0;
    if (!m_badge.isEmpty()) {
        QFont badgeFont = titleFont;
        badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.78);
        badgeWidth = QFontMetricsF(badgeFont).horizontalAdvance(m_badge) + 10;
    }
    p->drawText(QRectF(textLeft, titleTop, r.width() - textLeft - 8 - badgeWidth, titleHeight),
                Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(titleFont).elidedText(m_title, Qt::ElideRight, r.width() - textLeft - 10 - badgeWidth));
    if (!m_badge.isEmpty()) {
        QFont badgeFont = titleFont;
        badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.78);
        p->setFont(badgeFont);
        const QRectF badge(r.right() - badgeWidth - 6, titleTop + 3, badgeWidth, 16);
        p->setPen(Qt::NoPen);
        p->setBrush(m_status);
        p->drawRoundedRect(badge, 8, 8);
        p->setPen(Qt::white);
        p->drawText(badge, Qt::AlignCenter, m_badge);
    }
    QFont subFont = p->font();
    subFont.setBold(false);
    subFont.setPointSizeF(QFont().pointSizeF() * 0.85);
    p->setFont(subFont);
    p->setPen(pal.color(QPalette::PlaceholderText));
    const qreal subTop = m_kind != Kind::Vip ? 32 : 20;
    p->drawText(QRectF(textLeft, subTop, r.width() - textLeft - 6, 18), Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(subFont).elidedText(m_subtitle, Qt::ElideRight, r.width() - textLeft - 6));
}

// --- TopologyScene -----------------------------------------------------------------------------

TopologyScene::TopologyScene(const console::ClusterModel& cluster, NodeSelection& selection,
                             const AppDataStore* appData, QObject* parent)
    : QGraphicsScene(parent)
    , m_cluster(cluster)
    , m_selection(selection)
    , m_app(appData)
{
    // Items never move between layouts: the index only costs at 300 cards and 1000 edges.
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    connect(&cluster, &console::ClusterModel::changed, this, &TopologyScene::onClusterChanged);
    if (m_app != nullptr) {
        connect(m_app, &AppDataStore::changed, this, &TopologyScene::onAppDataChanged);
    }
    connect(&selection, &NodeSelection::selected, this, [this](const QString& node) {
        const TopologyItem* shown = cardShowing(node);
        for (auto* item : std::as_const(m_items)) {
            item->setMarked(item == shown);
        }
    });
    rebuild();
}

QString TopologyScene::groupName(Group group)
{
    switch (group) {
    case Group::Gateways: return tr("Gateways");
    case Group::Vips: return tr("Virtual IPs");
    case Group::Directors: return tr("Directors");
    case Group::RealServers: return tr("Real servers");
    case Group::Databases: return tr("Databases");
    case Group::Storage: return tr("MooseFS storage");
    case Group::Other: return tr("Other nodes");
    }
    return {};
}

QString TopologyScene::edgeKindName(EdgeKind kind)
{
    switch (kind) {
    case EdgeKind::Traffic: return tr("Traffic (MASTER, weighted)");
    case EdgeKind::Standby: return tr("Standby (BACKUP, gateway)");
    case EdgeKind::Drained: return tr("Drained (weight 0)");
    case EdgeKind::Replication: return tr("Replication (lag on the edge)");
    case EdgeKind::ReplicationBroken: return tr("Replication stopped");
    case EdgeKind::Storage: return tr("MooseFS master to chunkserver");
    case EdgeKind::Observed: return tr("Observed connection (agent's TCP view)");
    }
    return {};
}

QPen TopologyScene::edgePen(EdgeKind kind)
{
    const QPalette pal = qApp->palette();
    switch (kind) {
    case EdgeKind::Traffic: return QPen(vrrpColor(proto::VrrpState::Master), 2.0);
    case EdgeKind::Standby: return QPen(pal.color(QPalette::PlaceholderText), 1.2, Qt::DashLine);
    case EdgeKind::Drained: return QPen(pal.color(QPalette::PlaceholderText), 1.2, Qt::DotLine);
    case EdgeKind::Replication: return QPen(QColor(0x2f, 0x74, 0xc0), 2.0);
    case EdgeKind::ReplicationBroken: return QPen(severityColor(console::Severity::Critical), 2.0, Qt::DashLine);
    case EdgeKind::Storage: return QPen(QColor(0x16, 0x9a, 0x95), 1.6);
    case EdgeKind::Observed: return QPen(QColor(0x8e, 0x44, 0xc8), 1.6, Qt::DashDotLine);
    }
    return {};
}

int TopologyScene::nodeItemCount() const
{
    return static_cast<int>(std::count_if(m_items.cbegin(), m_items.cend(), [](const TopologyItem* i) {
        return i->kind() == TopologyItem::Kind::Node;
    }));
}

int TopologyScene::vipItemCount() const
{
    return static_cast<int>(std::count_if(m_items.cbegin(), m_items.cend(),
                                          [](const TopologyItem* i) { return i->kind() == TopologyItem::Kind::Vip; }));
}

int TopologyScene::edgeCount(EdgeKind kind) const
{
    return static_cast<int>(
        std::count_if(m_edges.begin(), m_edges.end(), [kind](const auto& e) { return e.second.kind == kind; }));
}

bool TopologyScene::hasEdge(EdgeKind kind, const QString& from, const QString& to) const
{
    return m_edges.count(edgeKey(kind, from, to)) != 0;
}

QString TopologyScene::edgeLabel(EdgeKind kind, const QString& from, const QString& to) const
{
    const auto it = m_edges.find(edgeKey(kind, from, to));
    return it == m_edges.end() ? QString() : it->second.label;
}

TopologyScene::Group TopologyScene::groupOf(const QString& id) const
{
    return static_cast<Group>(m_groupOf.value(id, static_cast<int>(Group::Other)));
}

QStringList TopologyScene::members(Group group) const
{
    QStringList out;
    for (auto it = m_groupOf.cbegin(); it != m_groupOf.cend(); ++it) {
        if (it.value() == static_cast<int>(group)) {
            out << it.key();
        }
    }
    out.sort();
    return out;
}

TopologyItem* TopologyScene::cardShowing(const QString& node) const
{
    if (auto* own = m_items.value(node, nullptr)) {
        return own;
    }
    const auto g = m_groupOf.constFind(node);
    return g == m_groupOf.cend() ? nullptr : m_items.value(groupId(static_cast<Group>(g.value())), nullptr);
}

void TopologyScene::setCollapsed(Group group, bool collapsed)
{
    const int g = static_cast<int>(group);
    if (collapsed == m_collapsed.contains(g)) {
        return;
    }
    if (collapsed) {
        m_collapsed.insert(g);
    } else {
        m_collapsed.remove(g);
    }
    rebuild();
}

QString TopologyScene::appNodeOfAddress(const QString& address) const
{
    if (const auto* n = m_cluster.nodeByAddress(address)) {
        return n->name;
    }
    return {};
}

QString TopologyScene::shapeSignature() const
{
    QStringList parts;
    for (const auto* n : m_cluster.nodes()) {
        parts << n->name + QLatin1Char('/') + QString::number(static_cast<int>(n->layer()));
    }
    for (const auto& [vip, info] : collectVips(m_cluster)) {
        parts << vip;
    }
    for (const auto& [rs, dirs] : collectRealServers(m_cluster)) {
        parts << rs;
    }
    if (m_app != nullptr) {
        parts << m_app->shapeKey();
    }
    QList<int> collapsed(m_collapsed.begin(), m_collapsed.end());
    std::sort(collapsed.begin(), collapsed.end());
    for (const int g : collapsed) {
        parts << QStringLiteral("collapsed:%1").arg(g);
    }
    return parts.join(QLatin1Char('|'));
}

void TopologyScene::onClusterChanged() { refresh(); }

void TopologyScene::onAppDataChanged(bool structural)
{
    if (structural) {
        refresh();
        return;
    }
    // Only the application layer's numbers: its cards and the edges, not the directors' tables.
    for (auto it = m_items.begin(); it != m_items.end(); ++it) {
        const Group g = groupOf(it.key());
        const bool appCard =
            (g == Group::Databases || g == Group::Storage) && it.value()->kind() == TopologyItem::Kind::Node;
        const auto* n = m_cluster.node(it.key());
        if (appCard && (n == nullptr || n->reachable())) {
            recolorApp(it.key(), it.value());
        }
    }
    updateEdges();
}

void TopologyScene::refresh()
{
    // The signature is cheap next to a layout; a tick with new numbers only recolors.
    if (shapeSignature() != m_signature) {
        rebuild();
    } else {
        recolor();
    }
}

std::map<TopologyScene::Group, QStringList> TopologyScene::collectGroups() const
{
    std::map<Group, QStringList> groups;
    std::set<QString> dbServers;
    std::set<QString> dbMasters;
    std::set<QString> storageNodes;
    std::set<QString> storageMasters;
    std::set<QString> metaloggers;
    QStringList unknownChunkservers;
    if (m_app != nullptr) {
        for (const auto& s : m_app->replication().servers) {
            dbServers.insert(s.node);
            if (s.role == QLatin1String("master")) {
                dbMasters.insert(s.node);
            }
        }
        for (const auto& l : m_app->replication().links) {
            if (!l.masterNode.isEmpty()) {
                dbMasters.insert(l.masterNode);
            }
        }
        const auto& st = m_app->storage();
        if (st.status) {
            storageMasters.insert(st.masterNode);
            storageNodes.insert(st.masterNode);
            for (const auto& c : st.status->chunkservers) {
                const QString node = appNodeOfAddress(q(c.host));
                if (node.isEmpty()) {
                    unknownChunkservers << QStringLiteral("cs:") + q(c.host) + QLatin1Char(':') +
                                               QString::number(c.port);
                } else {
                    storageNodes.insert(node);
                }
            }
            for (const auto& m : st.status->metaloggers) {
                if (const QString node = appNodeOfAddress(q(m.host)); !node.isEmpty()) {
                    metaloggers.insert(node);
                }
            }
        }
    }
    for (const auto* n : m_cluster.nodes()) {
        Group g = Group::Other;
        switch (n->layer()) {
        case console::Layer::Gateway: g = Group::Gateways; break;
        case console::Layer::LoadBalancing: g = Group::Directors; break;
        case console::Layer::Application: g = Group::RealServers; break;
        case console::Layer::Data:
            g = n->hasRole(proto::Role::Db) || dbServers.count(n->name) ? Group::Databases : Group::Storage;
            break;
        case console::Layer::Unassigned:
            g = dbServers.count(n->name)      ? Group::Databases
                : storageNodes.count(n->name) ? Group::Storage
                                              : Group::Other;
            break;
        }
        groups[g] << n->name;
    }
    // Real servers in IPVS that are no inventory node still belong in the picture.
    for (const auto& [addr, dirs] : collectRealServers(m_cluster)) {
        if (m_cluster.nodeByAddress(addr) == nullptr) {
            groups[Group::RealServers] << QStringLiteral("rs:") + addr;
        }
    }
    for (const auto& [addr, info] : collectVips(m_cluster)) {
        groups[Group::Vips] << vipId(addr);
    }
    // web2 before web10: names sorted as people read them.
    QCollator collator;
    collator.setNumericMode(true);
    for (auto& [g, ids] : groups) {
        std::sort(ids.begin(), ids.end(),
                  [&](const QString& a, const QString& b) { return collator.compare(a, b) < 0; });
    }
    // Databases: masters first (their replicas below them), then the rest.
    std::stable_sort(groups[Group::Databases].begin(), groups[Group::Databases].end(),
                     [&](const QString& a, const QString& b) { return dbMasters.count(a) > dbMasters.count(b); });
    // MooseFS: the master, then metaloggers, then chunkservers.
    const auto storageRank = [&](const QString& n) {
        const auto* s = m_cluster.node(n);
        if (storageMasters.count(n) || (s != nullptr && s->hasRole(proto::Role::MfsMaster))) {
            return 0;
        }
        if (metaloggers.count(n) || (s != nullptr && s->hasRole(proto::Role::MfsMetalogger))) {
            return 1;
        }
        return 2;
    };
    auto& storage = groups[Group::Storage];
    std::stable_sort(storage.begin(), storage.end(),
                     [&](const QString& a, const QString& b) { return storageRank(a) < storageRank(b); });
    std::sort(unknownChunkservers.begin(), unknownChunkservers.end());
    storage << unknownChunkservers;
    for (auto it = groups.begin(); it != groups.end();) {
        it = it->second.isEmpty() ? groups.erase(it) : std::next(it);
    }
    return groups;
}

void TopologyScene::rebuild()
{
    ++m_layoutCount;
    for (auto& [key, e] : m_edges) {
        removeItem(e.item);
        delete e.item; // its label is a child
    }
    m_edges.clear();
    clear();
    m_items.clear();
    m_groupOf.clear();
    m_bands.clear();
    m_signature = shapeSignature();

    qreal y = 0;
    for (const auto& [group, ids] : collectGroups()) {
        const qreal bandTop = y;
        const bool collapsed = m_collapsed.contains(static_cast<int>(group));
        for (const auto& id : ids) {
            m_groupOf.insert(id, static_cast<int>(group));
        }
        QStringList shown = collapsed ? QStringList{groupId(group)} : ids;
        const int count = static_cast<int>(shown.size());
        const int perRow = count > kWideFrom ? kWidePerRow : kPerRow;
        for (int i = 0; i < count; ++i) {
            const int row = i / perRow;
            const int inRow = std::min(perRow, count - row * perRow);
            const int col = i % perRow;
            const QString& id = shown[i];
            const auto kind = collapsed                               ? TopologyItem::Kind::Group
                              : id.startsWith(QStringLiteral("vip:")) ? TopologyItem::Kind::Vip
                                                                      : TopologyItem::Kind::Node;
            auto* item = new TopologyItem(kind, id);
            const qreal x = (col - (inRow - 1) / 2.0) * kColumnStep - TopologyItem::kWidth / 2;
            item->setPos(
                x, y + row * kRowStep +
                       (kind == TopologyItem::Kind::Vip ? (TopologyItem::kHeight - TopologyItem::kVipHeight) / 2 : 0));
            item->setZValue(2);
            addItem(item);
            m_items.insert(id, item);
        }
        const int rowsUsed = (count + perRow - 1) / perRow;
        y += rowsUsed * kRowStep;
        m_bands.push_back({group,
                           groupName(group),
                           static_cast<int>(ids.size()),
                           bandTop - 14,
                           y - kRowStep + TopologyItem::kHeight + 14,
                           {}});
        y += kBandGap;
    }
    recolor();
    if (auto* item = cardShowing(m_selection.current())) {
        item->setMarked(true);
    }
    setSceneRect(itemsBoundingRect().adjusted(-170, -40, 60, 40));
    for (auto& band : m_bands) {
        band.header = QRectF(sceneRect().left() + 8, band.top, 160, band.bottom - band.top);
    }
    update();
    emit layoutChanged();
}

void TopologyScene::recolor()
{
    const auto vips = collectVips(m_cluster);
    const auto realServers = collectRealServers(m_cluster);
    const QColor grey(0x8a, 0x93, 0x9e);
    // Active connections per real server on the MASTER directors: once per tick, not once per card.
    QHash<QString, std::uint64_t> activeByAddress;
    for (const auto& dirName : m_cluster.directors()) {
        const auto* d = m_cluster.node(dirName);
        if (!isMasterSomewhere(*d)) {
            continue;
        }
        for (const auto& vs : d->ipvs) {
            for (const auto& r : vs.realServers) {
                activeByAddress[QString::fromStdString(r.address)] += r.activeConns;
            }
        }
    }

    for (auto it = m_items.begin(); it != m_items.end(); ++it) {
        const QString& id = it.key();
        TopologyItem* item = it.value();
        if (item->kind() == TopologyItem::Kind::Group) {
            recolorGroup(static_cast<Group>(id.mid(6).toInt()), item);
            continue;
        }
        if (id.startsWith(QStringLiteral("vip:"))) {
            const auto v = vips.find(id.mid(4));
            if (v == vips.end()) {
                continue;
            }
            QStringList holders;
            for (const auto& [dir, holds] : v->second.directors) {
                if (holds) {
                    holders << dir;
                }
            }
            QStringList services(v->second.services.begin(), v->second.services.end());
            QString sub = holders.isEmpty()
                              ? tr("no holder")
                              : tr("on %1").arg(holders.join(QStringLiteral(", "))) +
                                    (services.isEmpty() ? QString()
                                                        : QStringLiteral(" · ") + services.join(QStringLiteral(", ")));
            if (v->second.vrid != 0) {
                // In the text, not a badge: the card is narrow and the address must be read whole.
                sub = tr("VRID %1").arg(v->second.vrid) + QStringLiteral(" · ") + sub;
            }
            const QColor c = holders.size() == 1 ? vrrpColor(proto::VrrpState::Master)
                                                 : severityColor(console::Severity::Critical);
            item->setContent(v->second.address, sub, c, {});
            continue;
        }
        if (id.startsWith(QStringLiteral("rs:"))) {
            const QString addr = id.mid(3);
            item->setContent(addr, tr("real server not in the inventory"), grey,
                             themedIcon(QStringLiteral("node-unknown")));
            continue;
        }
        if (id.startsWith(QStringLiteral("cs:"))) {
            recolorApp(id, item);
            continue;
        }
        const auto* n = m_cluster.node(id);
        if (n == nullptr) {
            continue;
        }
        QColor color = stateColor(n->link);
        QString sub;
        QString badge;
        if (n->layer() == console::Layer::LoadBalancing && n->reachable()) {
            std::uint64_t active = 0;
            for (const auto& vs : n->ipvs) {
                for (const auto& rs : vs.realServers) {
                    active += rs.activeConns;
                }
            }
            if (!n->vrrp.empty()) {
                const auto& first = n->vrrp.front();
                const bool master = isMasterSomewhere(*n);
                const auto shown = master ? proto::VrrpState::Master : first.state;
                badge = console::vrrpStateName(shown);
                color = vrrpColor(shown);
                sub = tr("prio %1 · %2 active").arg(first.effectivePriority).arg(active);
            } else {
                sub = tr("%1 active").arg(active);
            }
        } else if (n->layer() == console::Layer::Application && n->reachable()) {
            const auto rs = realServers.find(n->address);
            if (rs == realServers.end()) {
                sub = tr("not in IPVS");
                color = grey;
            } else {
                const std::uint64_t active = activeByAddress.value(n->address);
                std::uint32_t minW = UINT32_MAX;
                std::uint32_t maxW = 0;
                for (const auto& [dir, w] : rs->second) {
                    minW = std::min(minW, w);
                    maxW = std::max(maxW, w);
                }
                sub = minW == maxW ? tr("weight %1 · %2 active").arg(maxW).arg(active)
                                   : tr("weight %1–%2 · %3 active").arg(minW).arg(maxW).arg(active);
                if (maxW == 0) {
                    color = grey;
                    badge = tr("DRAINED");
                } else if (minW == 0) {
                    color = severityColor(console::Severity::Warning);
                }
            }
            if (n->drCheck && !n->drCheck->ok) {
                color = severityColor(console::Severity::Critical);
                badge = tr("DR CHECK");
                sub = n->drCheck->failureSummary();
            }
        } else {
            QStringList roles;
            for (const auto r : n->roles()) {
                roles << console::roleName(r);
            }
            sub = n->reachable() ? roles.join(QStringLiteral(", ")) : console::linkName(n->link);
        }
        if (!n->reachable()) {
            sub = console::linkName(n->link) + (n->lastError.isEmpty() ? QString() : QStringLiteral(": ") + n->lastError);
            item->setContent(n->name, sub, color, roleIcon(n->roles()), badge);
            continue;
        }
        item->setContent(n->name, sub, color, roleIcon(n->roles()), badge);
        const Group g = groupOf(id);
        if (g == Group::Databases || g == Group::Storage) {
            recolorApp(id, item); // the agent's database and MooseFS view refines the card
        }
    }
    updateEdges();
}

void TopologyScene::recolorApp(const QString& id, TopologyItem* item)
{
    const QColor grey(0x8a, 0x93, 0x9e);
    static const console::StorageOverview kNoStorage;
    const auto& storage = m_app != nullptr ? m_app->storage() : kNoStorage;
    if (id.startsWith(QStringLiteral("cs:"))) {
        const QString endpoint = id.mid(3);
        QString sub = tr("chunkserver not in the inventory");
        QColor color = grey;
        if (storage.status) {
            for (const auto& c : storage.status->chunkservers) {
                if (q(c.host) + QLatin1Char(':') + QString::number(c.port) == endpoint) {
                    sub = tr("chunkserver · %1 % used").arg(percentUsed(c.usedBytes, c.totalBytes)) +
                          QStringLiteral(" · ") + tr("not in the inventory");
                    color = !c.connected ? severityColor(console::Severity::Critical) : grey;
                }
            }
        }
        item->setContent(endpoint, sub, color, themedIcon(QStringLiteral("node-storage")));
        return;
    }
    if (m_app == nullptr) {
        return;
    }
    const auto* n = m_cluster.node(id);
    const auto* app = m_app->node(id);
    if (n == nullptr || app == nullptr) {
        return;
    }
    QStringList parts;
    QColor color = item->status();
    QString badge;
    // The database server.
    for (const auto& s : m_app->replication().servers) {
        if (s.node != id) {
            continue;
        }
        if (app->db && app->db->state == proto::DbState::Ok) {
            QString role = s.role == QLatin1String("master")    ? tr("DB master")
                           : s.role == QLatin1String("replica") ? tr("DB replica")
                                                                : tr("DB standalone");
            if (s.readOnly) {
                role += QStringLiteral(" · ") + tr("read-only");
            }
            parts << role << tr("%1 q/s").arg(app->db->queriesPerSec, 0, 'f', 0);
        } else {
            parts << tr("DB %1").arg(s.role);
            color = severityColor(console::Severity::Warning);
        }
    }
    for (const auto& l : m_app->replication().links) {
        if (l.replica != id) {
            continue;
        }
        if (l.ioRunning != QLatin1String("Yes") || l.sqlRunning != QLatin1String("Yes")) {
            color = severityColor(console::Severity::Critical);
            badge = tr("REPL");
        } else if (l.masterNode.isEmpty()) {
            parts << tr("from %1").arg(l.masterHost);
        }
    }
    // MooseFS.
    if (storage.status && storage.masterNode == id && storage.status->master) {
        const auto& m = *storage.status->master;
        parts.prepend(tr("MooseFS master"));
        parts << tr("%n chunkserver(s)", nullptr, static_cast<int>(storage.status->chunkservers.size()))
              << tr("%1 % used").arg(percentUsed(m.totalSpaceBytes - m.availSpaceBytes, m.totalSpaceBytes));
        if (m.missingChunks > 0) {
            color = severityColor(console::Severity::Critical);
            badge = tr("MISSING");
        } else if (m.undergoalChunks > 0) {
            color = severityColor(console::Severity::Warning);
            badge = tr("UNDERGOAL");
        }
    }
    if (storage.status) {
        for (const auto& c : storage.status->chunkservers) {
            if (q(c.host) != n->address) {
                continue;
            }
            parts << tr("chunkserver · %1 % used").arg(percentUsed(c.usedBytes, c.totalBytes));
            if (!c.connected) {
                color = severityColor(console::Severity::Critical);
                badge = tr("DISCONNECTED");
            } else if (maintenanceOn(c)) {
                color = grey;
                badge = tr("MAINT");
            }
        }
        for (const auto& m : storage.status->metaloggers) {
            if (q(m.host) == n->address) {
                parts << tr("metalogger");
            }
        }
    }
    if (!parts.isEmpty()) {
        item->setContent(n->name, parts.join(QStringLiteral(" · ")), color, roleIcon(n->roles()), badge);
    }
}

void TopologyScene::recolorGroup(Group group, TopologyItem* item)
{
    const QStringList ids = members(group);
    int down = 0;
    for (const auto& id : ids) {
        if (const auto* n = m_cluster.node(id); n != nullptr && !n->reachable()) {
            ++down;
        }
    }
    QString sub = tr("%n node(s)", nullptr, static_cast<int>(ids.size()));
    if (down > 0) {
        sub += QStringLiteral(" · ") + tr("%1 not reachable").arg(down);
    }
    const QColor color = down > 0 ? severityColor(console::Severity::Critical) : stateColor(NodeState::Online);
    const QString icon = group == Group::Databases     ? QStringLiteral("node-db")
                         : group == Group::Storage     ? QStringLiteral("node-storage")
                         : group == Group::RealServers ? QStringLiteral("node-web")
                         : group == Group::Directors   ? QStringLiteral("node-director")
                         : group == Group::Gateways    ? QStringLiteral("node-gateway")
                                                       : QStringLiteral("node-unknown");
    item->setContent(groupName(group), sub, color, themedIcon(icon), QString::number(ids.size()));
}

std::vector<TopologyScene::EdgeSpec> TopologyScene::wantedEdges() const
{
    std::vector<EdgeSpec> out;
    const auto vips = collectVips(m_cluster);
    for (const auto& [addr, info] : vips) {
        for (const auto& [dir, holds] : info.directors) {
            out.push_back({holds ? EdgeKind::Traffic : EdgeKind::Standby, vipId(addr), dir, {}, {}});
        }
        for (const auto* n : m_cluster.nodes()) {
            if (n->layer() == console::Layer::Gateway) {
                out.push_back({EdgeKind::Standby, n->name, vipId(addr), {}, {}});
            }
        }
    }
    for (const auto& dirName : m_cluster.directors()) {
        const auto* d = m_cluster.node(dirName);
        const bool master = isMasterSomewhere(*d) || !d->hasVrrp;
        std::map<QString, std::uint32_t> weights;
        for (const auto& vs : d->ipvs) {
            for (const auto& rs : vs.realServers) {
                auto& w = weights[QString::fromStdString(rs.address)];
                w = std::max(w, rs.weight);
            }
        }
        for (const auto& [addr, w] : weights) {
            const auto* rsNode = m_cluster.nodeByAddress(addr);
            const QString to = rsNode ? rsNode->name : QStringLiteral("rs:") + addr;
            out.push_back(
                {w == 0 ? EdgeKind::Drained : (master ? EdgeKind::Traffic : EdgeKind::Standby), dirName, to, {}, {}});
        }
    }
    // Replication: master above its replicas, the lag on the edge.
    if (m_app != nullptr) {
        for (const auto& l : m_app->replication().links) {
            if (l.masterNode.isEmpty()) {
                continue;
            }
            const bool running = l.ioRunning == QLatin1String("Yes") && l.sqlRunning == QLatin1String("Yes");
            const QString label = !running       ? tr("stopped (IO %1, SQL %2)").arg(l.ioRunning, l.sqlRunning)
                                  : l.lagSeconds ? tr("lag %1 s").arg(*l.lagSeconds)
                                                 : tr("lag unknown");
            out.push_back({running ? EdgeKind::Replication : EdgeKind::ReplicationBroken, l.masterNode, l.replica,
                           label, l.lastError});
        }
    }
    // MooseFS: from the master's own view when its agent answered, else from the roles.
    static const console::StorageOverview kNoStorage;
    const auto& storage = m_app != nullptr ? m_app->storage() : kNoStorage;
    if (storage.status) {
        for (const auto& c : storage.status->chunkservers) {
            QString node = appNodeOfAddress(q(c.host));
            if (node.isEmpty()) {
                node = QStringLiteral("cs:") + q(c.host) + QLatin1Char(':') + QString::number(c.port);
            }
            const QString label = !c.connected ? tr("disconnected") : maintenanceOn(c) ? tr("maintenance") : QString();
            out.push_back(
                {c.connected ? EdgeKind::Storage : EdgeKind::ReplicationBroken, storage.masterNode, node, label, {}});
        }
        for (const auto& m : storage.status->metaloggers) {
            if (const QString node = appNodeOfAddress(q(m.host)); !node.isEmpty()) {
                out.push_back({EdgeKind::Storage, storage.masterNode, node, tr("metalogger"), {}});
            }
        }
    } else {
        QString mfsMaster;
        for (const auto* n : m_cluster.nodes()) {
            if (n->hasRole(proto::Role::MfsMaster)) {
                mfsMaster = n->name;
            }
        }
        if (!mfsMaster.isEmpty()) {
            for (const auto* n : m_cluster.nodes()) {
                if (n->hasRole(proto::Role::MfsChunkserver) || n->hasRole(proto::Role::MfsMetalogger)) {
                    out.push_back({EdgeKind::Storage, mfsMaster, n->name, {}, {}});
                }
            }
        }
    }
    // What the agents see: connections from a node to another's listening port, open now or
    // closed within the last minute.
    if (m_app != nullptr) {
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        for (const auto& h : m_app->observed()) {
            const auto& e = h.edge;
            // Short connections (PHP's to the database) are seldom open at a sample; the ones the
            // client closed in the last minute still show the edge.
            const QString label =
                !h.current ? tr("%1, %2 s ago").arg(e.port).arg(std::max<qint64>(0, (nowMs - h.lastSeenMs) / 1000))
                : e.connections == 0 && e.recentlyClosed > 0
                    ? tr("%1, %2 closed in the last minute").arg(e.port).arg(e.recentlyClosed)
                    : tr("%1 ×%2").arg(e.port).arg(e.connections);
            out.push_back({EdgeKind::Observed, e.from, e.to, label,
                           tr("%1 → %2 port %3: observed by %1's agent").arg(e.from, e.to).arg(e.port)});
        }
    }
    return out;
}

void TopologyScene::updateEdges()
{
    // Endpoints in a collapsed group end at the group's card; edges inside one card are dropped.
    std::map<QString, EdgeSpec> wanted;
    for (auto& spec : wantedEdges()) {
        const auto* a = cardShowing(spec.from);
        const auto* b = cardShowing(spec.to);
        if (a == nullptr || b == nullptr || a == b) {
            continue;
        }
        spec.from = a->id();
        spec.to = b->id();
        const QString key = edgeKey(spec.kind, spec.from, spec.to);
        auto [it, added] = wanted.try_emplace(key, spec);
        if (!added && !spec.label.isEmpty() && !it->second.label.contains(spec.label)) {
            it->second.label += QStringLiteral(", ") + spec.label; // several ports, or several members
        }
    }
    // Labels on observed edges only while they stay few: at 300 nodes they would cover the cards.
    int observed = 0;
    for (const auto& [key, spec] : wanted) {
        observed += spec.kind == EdgeKind::Observed ? 1 : 0;
    }
    constexpr int kObservedLabelsUpTo = 30;

    for (auto it = m_edges.begin(); it != m_edges.end();) {
        if (wanted.count(it->first) == 0) {
            removeItem(it->second.item);
            delete it->second.item;
            it = m_edges.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [key, spec] : wanted) {
        auto it = m_edges.find(key);
        const bool fresh = it == m_edges.end();
        if (fresh) {
            Edge e{spec.kind, spec.from, spec.to, {}, {}, new QGraphicsPathItem, nullptr};
            e.item->setZValue(spec.kind == EdgeKind::Observed ? 1.5 : 1);
            e.item->setPen(edgePen(spec.kind));
            addItem(e.item);
            it = m_edges.emplace(key, e).first;
        }
        Edge& e = it->second;
        const QString label =
            spec.kind == EdgeKind::Observed && observed > kObservedLabelsUpTo ? QString() : spec.label;
        if (fresh || spec.label != e.label) {
            e.item->setToolTip(
                plainToolTip(spec.tip.isEmpty() ? spec.label : spec.tip + QLatin1Char('\n') + spec.label));
        }
        e.label = spec.label;
        if (fresh || label != e.shown) {
            e.shown = label;
            if (label.isEmpty()) {
                delete e.text;
                e.text = nullptr;
            } else {
                if (e.text == nullptr) {
                    e.text = new QGraphicsSimpleTextItem(e.item);
                    QFont f = e.text->font();
                    f.setPointSizeF(f.pointSizeF() * 0.8);
                    e.text->setFont(f);
                    e.text->setBrush(edgePen(spec.kind).color());
                }
                e.text->setText(label);
            }
        }
        if (fresh) {
            routeEdge(e);
        } else if (e.text != nullptr) {
            const QPointF mid = e.item->path().pointAtPercent(0.5);
            e.text->setPos(mid + QPointF(4, -e.text->boundingRect().height() / 2));
        }
    }
}

void TopologyScene::routeEdge(Edge& e)
{
    const auto* a = m_items.value(e.from);
    const auto* b = m_items.value(e.to);
    const QRectF ra = a->sceneBoundingRect();
    const QRectF rb = b->sceneBoundingRect();
    QPointF p1;
    QPointF p2;
    QPainterPath path;
    if (rb.top() > ra.bottom()) { // downward, the usual case
        p1 = a->bottomAnchor();
        p2 = b->topAnchor();
        const qreal dy = std::max<qreal>(30, (p2.y() - p1.y()) / 2);
        path.moveTo(p1);
        path.cubicTo(p1 + QPointF(0, dy), p2 - QPointF(0, dy), p2);
    } else if (ra.top() > rb.bottom()) { // upward: a client below its server (a chunkserver to the master)
        p1 = a->topAnchor();
        p2 = b->bottomAnchor();
        const qreal dy = std::max<qreal>(30, (p1.y() - p2.y()) / 2);
        path.moveTo(p1);
        path.cubicTo(p1 - QPointF(0, dy), p2 + QPointF(0, dy), p2);
    } else {
        // Same row: configured edges loop below, observed ones above, deeper for farther cards so
        // neighbours' loops do not coincide.
        const bool above = e.kind == EdgeKind::Observed;
        p1 = above ? a->topAnchor() : a->bottomAnchor();
        p2 = above ? b->topAnchor() : b->bottomAnchor();
        const qreal dy = (above ? -1 : 1) * (24 + std::min<qreal>(60, std::abs(p2.x() - p1.x()) / 12));
        path.moveTo(p1);
        path.cubicTo(p1 + QPointF(0, dy), p2 + QPointF(0, dy), p2);
    }
    // Edges of several kinds between the same cards (configured and observed) sit side by side.
    if (e.kind == EdgeKind::Observed) {
        path.translate(8, 0);
    }
    e.item->setPath(path);
    if (e.text != nullptr) {
        const QPointF mid = path.pointAtPercent(0.5);
        e.text->setPos(mid + QPointF(4, -e.text->boundingRect().height() / 2));
    }
}

QStringList TopologyScene::find(const QString& text) const
{
    const QString needle = text.trimmed();
    if (needle.isEmpty()) {
        return {};
    }
    QStringList out;
    for (const auto& [group, ids] : collectGroups()) {
        for (const auto& id : ids) {
            bool hit = id.contains(needle, Qt::CaseInsensitive);
            if (!hit) {
                if (const auto* n = m_cluster.node(id)) {
                    hit = n->address.contains(needle, Qt::CaseInsensitive);
                }
            }
            if (!hit) {
                if (const auto* item = m_items.value(id, nullptr)) {
                    hit = item->subtitle().contains(needle, Qt::CaseInsensitive);
                }
            }
            if (hit) {
                out << id;
            }
        }
    }
    return out;
}

TopologyItem* TopologyScene::reveal(const QString& id)
{
    if (auto* own = m_items.value(id, nullptr)) {
        return own;
    }
    const auto g = m_groupOf.constFind(id);
    if (g == m_groupOf.cend()) {
        return nullptr;
    }
    setCollapsed(static_cast<Group>(g.value()), false);
    return m_items.value(id, nullptr);
}

void TopologyScene::mousePressEvent(QGraphicsSceneMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        for (const auto& band : m_bands) {
            if (band.header.contains(event->scenePos())) {
                setCollapsed(band.group, !isCollapsed(band.group));
                event->accept();
                return;
            }
        }
    }
    for (auto* gi : items(event->scenePos())) {
        if (auto* item = dynamic_cast<TopologyItem*>(gi)) {
            if (item->kind() == TopologyItem::Kind::Node && m_cluster.node(item->id()) != nullptr) {
                m_selection.select(item->id());
            }
            break;
        }
    }
    QGraphicsScene::mousePressEvent(event);
}

void TopologyScene::contextMenuEvent(QGraphicsSceneContextMenuEvent* event)
{
    for (auto* gi : items(event->scenePos())) {
        if (auto* item = dynamic_cast<TopologyItem*>(gi)) {
            if (item->kind() == TopologyItem::Kind::Node && m_cluster.node(item->id()) != nullptr) {
                m_selection.select(item->id());
                emit contextMenuRequested(item->id(), event->screenPos());
                event->accept();
            }
            return;
        }
    }
}

void TopologyScene::drawBackground(QPainter* painter, const QRectF& rect)
{
    const QPalette pal = qApp->palette();
    painter->fillRect(rect, pal.color(QPalette::Window));
    QFont f = painter->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 0.85);
    painter->setFont(f);
    for (const auto& band : m_bands) {
        const QRectF r(sceneRect().left() + 8, band.top, sceneRect().width() - 16, band.bottom - band.top);
        if (!r.intersects(rect)) {
            continue;
        }
        painter->setPen(Qt::NoPen);
        painter->setBrush(tint(pal.color(QPalette::Highlight), pal, 0.05));
        painter->drawRoundedRect(r, 10, 10);
        painter->setPen(pal.color(QPalette::PlaceholderText));
        const QString arrow = isCollapsed(band.group) ? QStringLiteral("▸ ") : QStringLiteral("▾ ");
        painter->drawText(band.header.adjusted(12, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
                          arrow + band.title.toUpper() + QLatin1Char('\n') + QString::number(band.count));
    }
}

} // namespace hadeck::ui
