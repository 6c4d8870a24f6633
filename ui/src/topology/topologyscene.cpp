#include "style/plaintext.h"
#include "topology/topologyscene.h"

#include "app/nodeselection.h"
#include "style/theme.h"

#include <QApplication>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>

#include <algorithm>
#include <map>
#include <set>

namespace hadeck::ui {

using console::NodeSnapshot;
using console::NodeState;

namespace {

constexpr qreal kColumnStep = 190;
constexpr qreal kRowStep = 84;
constexpr qreal kBandGap = 46;
constexpr int kPerRow = 10;

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

// --- TopologyItem ------------------------------------------------------------------------------

TopologyItem::TopologyItem(Kind kind, QString id, QGraphicsItem* parent)
    : QGraphicsObject(parent), m_kind(kind), m_id(std::move(id))
{
    setAcceptHoverEvents(true);
    setCursor(Qt::PointingHandCursor);
}

QRectF TopologyItem::boundingRect() const
{
    return QRectF(0, 0, kWidth, m_kind == Kind::Vip ? kVipHeight : kHeight).adjusted(-3, -3, 3, 3);
}

void TopologyItem::setContent(const QString& title, const QString& subtitle, const QColor& status, const QIcon& icon,
                              const QString& badge)
{
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

void TopologyItem::paint(QPainter* p, const QStyleOptionGraphicsItem* /*option*/, QWidget* /*widget*/)
{
    const QPalette pal = qApp->palette();
    const QRectF r(0, 0, kWidth, m_kind == Kind::Vip ? kVipHeight : kHeight);
    p->setRenderHint(QPainter::Antialiasing);
    const qreal radius = m_kind == Kind::Vip ? r.height() / 2 : 7;
    p->setPen(QPen(m_marked ? pal.color(QPalette::Highlight) : tint(m_status, pal, 0.55), m_marked ? 2.6 : 1.2));
    p->setBrush(m_kind == Kind::Vip ? tint(m_status, pal, 0.14) : pal.color(QPalette::Base));
    p->drawRoundedRect(r, radius, radius);

    if (m_kind == Kind::Node) {
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

    const qreal textLeft = m_kind == Kind::Node ? 40 : 28;
    QFont titleFont = p->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * (m_kind == Kind::Node ? 1.0 : 0.95));
    p->setFont(titleFont);
    p->setPen(pal.color(QPalette::Text));
    const qreal titleTop = m_kind == Kind::Node ? 8 : 3;
    const qreal titleHeight = m_kind == Kind::Node ? 22 : 18;
    p->drawText(QRectF(textLeft, titleTop, r.width() - textLeft - 8, titleHeight), Qt::AlignLeft | Qt::AlignVCenter,
                m_title);
    if (!m_badge.isEmpty()) {
        QFont badgeFont = p->font();
        badgeFont.setBold(true);
        badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.78);
        p->setFont(badgeFont);
        const QFontMetricsF fm(badgeFont);
        const qreal w = fm.horizontalAdvance(m_badge) + 10;
        const QRectF badge(r.right() - w - 6, titleTop + 3, w, 16);
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
    const qreal subTop = m_kind == Kind::Node ? 32 : 20;
    p->drawText(QRectF(textLeft, subTop, r.width() - textLeft - 6, 18), Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(subFont).elidedText(m_subtitle, Qt::ElideRight, r.width() - textLeft - 6));
}

// --- TopologyScene -----------------------------------------------------------------------------

TopologyScene::TopologyScene(const console::ClusterModel& cluster, NodeSelection& selection, QObject* parent)
    : QGraphicsScene(parent), m_cluster(cluster), m_selection(selection)
{
    connect(&cluster, &console::ClusterModel::changed, this, &TopologyScene::onChanged);
    connect(&selection, &NodeSelection::selected, this, [this](const QString& node) {
        for (auto it = m_items.cbegin(); it != m_items.cend(); ++it) {
            it.value()->setMarked(it.key() == node);
        }
    });
    rebuild();
}

int TopologyScene::nodeItemCount() const
{
    return static_cast<int>(std::count_if(m_items.cbegin(), m_items.cend(), [](const TopologyItem* i) {
        return i->kind() == TopologyItem::Kind::Node;
    }));
}

int TopologyScene::vipItemCount() const { return static_cast<int>(m_items.size()) - nodeItemCount(); }

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
    return parts.join(QLatin1Char('|'));
}

void TopologyScene::onChanged(const console::ClusterChange& /*change*/)
{
    const QString sig = shapeSignature();
    if (sig != m_signature) {
        rebuild();
    } else {
        recolor();
    }
}

void TopologyScene::rebuild()
{
    clear();
    m_items.clear();
    m_edges.clear();
    m_bands.clear();
    m_signature = shapeSignature();

    const auto vips = collectVips(m_cluster);
    const auto realServers = collectRealServers(m_cluster);

    std::vector<std::pair<QString, std::vector<QString>>> rows; // band title -> item ids
    std::vector<QString> gateways;
    std::vector<QString> directors;
    std::vector<QString> apps;
    std::vector<QString> data;
    std::vector<QString> other;
    for (const auto* n : m_cluster.nodes()) {
        switch (n->layer()) {
        case console::Layer::Gateway: gateways.push_back(n->name); break;
        case console::Layer::LoadBalancing: directors.push_back(n->name); break;
        case console::Layer::Application: apps.push_back(n->name); break;
        case console::Layer::Data: data.push_back(n->name); break;
        case console::Layer::Unassigned: other.push_back(n->name); break;
        }
    }
    // Real servers in IPVS that are no inventory node still belong in the picture.
    for (const auto& [addr, dirs] : realServers) {
        if (m_cluster.nodeByAddress(addr) == nullptr) {
            apps.push_back(QStringLiteral("rs:") + addr);
        }
    }
    std::vector<QString> vipIds;
    for (const auto& [addr, info] : vips) {
        vipIds.push_back(vipId(addr));
    }
    for (auto* list : {&gateways, &directors, &apps, &other}) {
        std::sort(list->begin(), list->end());
    }
    // Data layer: databases first, then the MooseFS master, then chunkservers.
    std::stable_sort(data.begin(), data.end(), [this](const QString& a, const QString& b) {
        const auto rank = [this](const QString& n) {
            const auto* s = m_cluster.node(n);
            if (s->hasRole(proto::Role::Db)) {
                return 0;
            }
            return s->hasRole(proto::Role::MfsMaster) ? 1 : 2;
        };
        return rank(a) != rank(b) ? rank(a) < rank(b) : a < b;
    });
    rows.emplace_back(console::layerName(console::Layer::Gateway), gateways);
    rows.emplace_back(tr("Virtual IPs"), vipIds);
    rows.emplace_back(console::layerName(console::Layer::LoadBalancing), directors);
    rows.emplace_back(console::layerName(console::Layer::Application), apps);
    rows.emplace_back(console::layerName(console::Layer::Data), data);
    rows.emplace_back(console::layerName(console::Layer::Unassigned), other);

    qreal y = 0;
    for (const auto& [title, ids] : rows) {
        if (ids.empty()) {
            continue;
        }
        const qreal bandTop = y;
        const int count = static_cast<int>(ids.size());
        for (int i = 0; i < count; ++i) {
            const int row = i / kPerRow;
            const int inRow = std::min(kPerRow, count - row * kPerRow);
            const int col = i % kPerRow;
            const bool isVip = ids[i].startsWith(QStringLiteral("vip:"));
            auto* item = new TopologyItem(isVip ? TopologyItem::Kind::Vip : TopologyItem::Kind::Node, ids[i]);
            const qreal x = (col - (inRow - 1) / 2.0) * kColumnStep - TopologyItem::kWidth / 2;
            item->setPos(x, y + row * kRowStep + (isVip ? (TopologyItem::kHeight - TopologyItem::kVipHeight) / 2 : 0));
            item->setZValue(2);
            addItem(item);
            m_items.insert(ids[i], item);
        }
        const int rowsUsed = (count + kPerRow - 1) / kPerRow;
        y += rowsUsed * kRowStep;
        m_bands.push_back({title, bandTop - 14, y - kRowStep + TopologyItem::kHeight + 14});
        y += kBandGap;
    }
    recolor();
    if (!m_selection.current().isEmpty()) {
        if (auto* item = m_items.value(m_selection.current())) {
            item->setMarked(true);
        }
    }
    setSceneRect(itemsBoundingRect().adjusted(-160, -40, 60, 40));
}

void TopologyScene::recolor()
{
    const auto vips = collectVips(m_cluster);
    const auto realServers = collectRealServers(m_cluster);
    const QColor grey(0x8a, 0x93, 0x9e);

    for (auto it = m_items.begin(); it != m_items.end(); ++it) {
        const QString& id = it.key();
        TopologyItem* item = it.value();
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
            const QString sub = holders.isEmpty()
                                    ? tr("no holder")
                                    : tr("on %1").arg(holders.join(QStringLiteral(", "))) +
                                          (services.isEmpty() ? QString() : QStringLiteral(" · ") + services.join(QStringLiteral(", ")));
            const QColor c = holders.size() == 1 ? vrrpColor(proto::VrrpState::Master)
                                                 : severityColor(console::Severity::Critical);
            item->setContent(v->second.address, sub, c, {},
                             v->second.vrid ? tr("VRID %1").arg(v->second.vrid) : QString());
            continue;
        }
        if (id.startsWith(QStringLiteral("rs:"))) {
            const QString addr = id.mid(3);
            item->setContent(addr, tr("real server not in the inventory"), grey,
                             themedIcon(QStringLiteral("node-unknown")));
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
                std::uint64_t active = 0;
                for (const auto& dirName : m_cluster.directors()) {
                    for (const auto& vs : m_cluster.node(dirName)->ipvs) {
                        for (const auto& r : vs.realServers) {
                            if (QString::fromStdString(r.address) == n->address && isMasterSomewhere(*m_cluster.node(dirName))) {
                                active += r.activeConns;
                            }
                        }
                    }
                }
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
        }
        item->setContent(n->name, sub, color, roleIcon(n->roles()), badge);
    }
    updateEdges();
}

void TopologyScene::addEdge(const QString& from, const QString& to, int style)
{
    if (!m_items.contains(from) || !m_items.contains(to)) {
        return;
    }
    auto* path = new QGraphicsPathItem;
    path->setZValue(1);
    addItem(path);
    m_edges.push_back({from, to, style, path});
}

void TopologyScene::updateEdges()
{
    for (auto& e : m_edges) {
        removeItem(e.item);
        delete e.item; // owned by the scene until removed; removed items are ours to free
    }
    m_edges.clear();
    const auto vips = collectVips(m_cluster);
    for (const auto& [addr, info] : vips) {
        for (const auto& [dir, holds] : info.directors) {
            addEdge(vipId(addr), dir, holds ? 0 : 1);
        }
        for (const auto* n : m_cluster.nodes()) {
            if (n->layer() == console::Layer::Gateway) {
                addEdge(n->name, vipId(addr), 1);
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
            addEdge(dirName, to, w == 0 ? 2 : (master ? 0 : 1));
        }
    }
    QString mfsMaster;
    for (const auto* n : m_cluster.nodes()) {
        if (n->hasRole(proto::Role::MfsMaster)) {
            mfsMaster = n->name;
        }
    }
    if (!mfsMaster.isEmpty()) {
        for (const auto* n : m_cluster.nodes()) {
            if (n->hasRole(proto::Role::MfsChunkserver) || n->hasRole(proto::Role::MfsMetalogger)) {
                addEdge(mfsMaster, n->name, 1);
            }
        }
    }

    const QPalette pal = qApp->palette();
    const QColor active = vrrpColor(proto::VrrpState::Master);
    const QColor standby = pal.color(QPalette::PlaceholderText);
    for (auto& e : m_edges) {
        const auto* a = m_items.value(e.from);
        const auto* b = m_items.value(e.to);
        QPointF p1 = a->bottomAnchor();
        QPointF p2 = b->topAnchor();
        if (p2.y() < p1.y()) { // same band (MooseFS master to chunkservers): go around below
            p1 = a->bottomAnchor();
            p2 = b->bottomAnchor();
        }
        QPainterPath path(p1);
        const qreal dy = std::max<qreal>(30, std::abs(p2.y() - p1.y()) / 2);
        path.cubicTo(p1 + QPointF(0, dy), p2 + QPointF(0, p2.y() > p1.y() ? -dy : dy), p2);
        QPen pen(e.style == 0 ? active : standby, e.style == 0 ? 2.0 : 1.2);
        if (e.style == 1) {
            pen.setStyle(Qt::DashLine);
        } else if (e.style == 2) {
            pen.setStyle(Qt::DotLine);
        }
        e.item->setPen(pen);
        e.item->setPath(path);
    }
}

void TopologyScene::mousePressEvent(QGraphicsSceneMouseEvent* event)
{
    for (auto* gi : items(event->scenePos())) {
        if (auto* item = dynamic_cast<TopologyItem*>(gi)) {
            if (item->kind() == TopologyItem::Kind::Node && !item->id().startsWith(QStringLiteral("rs:"))) {
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
            if (item->kind() == TopologyItem::Kind::Node && !item->id().startsWith(QStringLiteral("rs:"))) {
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
        painter->setPen(Qt::NoPen);
        painter->setBrush(tint(pal.color(QPalette::Highlight), pal, 0.05));
        painter->drawRoundedRect(r, 10, 10);
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(QRectF(r.left() + 12, r.top(), 140, r.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          band.title.toUpper());
    }
}

} // namespace hadeck::ui
