#include "topology/topologyview.h"

#include "app/nodeselection.h"
#include "topology/topologyscene.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QShortcut>
#include <QToolButton>
#include <QWheelEvent>

namespace hadeck::ui {

namespace {
constexpr TopologyScene::EdgeKind kLegendKinds[] = {
    TopologyScene::EdgeKind::Traffic,     TopologyScene::EdgeKind::Standby,           TopologyScene::EdgeKind::Drained,
    TopologyScene::EdgeKind::Replication, TopologyScene::EdgeKind::ReplicationBroken, TopologyScene::EdgeKind::Storage,
    TopologyScene::EdgeKind::Observed,
};
constexpr int kLegendRow = 18;
constexpr int kLegendSample = 36;
} // namespace

// --- TopologyLegend ----------------------------------------------------------------------------

TopologyLegend::TopologyLegend(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("topologyLegend"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
}

QStringList TopologyLegend::entries() const
{
    QStringList out;
    for (const auto kind : kLegendKinds) {
        out << TopologyScene::edgeKindName(kind);
    }
    return out;
}

QSize TopologyLegend::sizeHint() const
{
    int w = 0;
    for (const auto& e : entries()) {
        w = std::max(w, fontMetrics().horizontalAdvance(e));
    }
    return {w + kLegendSample + 28, static_cast<int>(std::size(kLegendKinds)) * kLegendRow + 12};
}

void TopologyLegend::paintEvent(QPaintEvent* /*event*/)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    QColor bg = pal.color(QPalette::Base);
    bg.setAlpha(225);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(bg);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    int y = 6;
    for (const auto kind : kLegendKinds) {
        const int mid = y + kLegendRow / 2;
        p.setPen(TopologyScene::edgePen(kind));
        p.drawLine(QPointF(8, mid), QPointF(8 + kLegendSample, mid));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(16 + kLegendSample, y, width() - kLegendSample - 20, kLegendRow),
                   Qt::AlignLeft | Qt::AlignVCenter, TopologyScene::edgeKindName(kind));
        y += kLegendRow;
    }
}

void TopologyLegend::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::FontChange) {
        updateGeometry();
        adjustSize();
        update();
    }
    QWidget::changeEvent(event);
}

// --- TopologyView ------------------------------------------------------------------------------

TopologyView::TopologyView(QWidget* parent) : QGraphicsView(parent)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
    setFrameShape(QFrame::NoFrame);

    m_searchBox = new QWidget(this);
    m_searchBox->setObjectName(QStringLiteral("topologySearchBox"));
    m_searchBox->setAutoFillBackground(true);
    auto* row = new QHBoxLayout(m_searchBox);
    row->setContentsMargins(4, 4, 4, 4);
    m_search = new QLineEdit(m_searchBox);
    m_search->setObjectName(QStringLiteral("topologySearch"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(200);
    m_searchResult = new QLabel(m_searchBox);
    m_searchResult->setObjectName(QStringLiteral("topologySearchResult"));
    m_searchResult->setTextFormat(Qt::PlainText);
    m_legendToggle = new QToolButton(m_searchBox);
    m_legendToggle->setObjectName(QStringLiteral("topologyLegendToggle"));
    // The view's own action (shown by the button), like a line edit's clear button: a view setting.
    m_legendAction = new QAction(m_legendToggle);
    m_legendAction->setObjectName(QStringLiteral("topologyLegendAction"));
    m_legendAction->setCheckable(true);
    m_legendAction->setChecked(true);
    m_legendToggle->setDefaultAction(m_legendAction);
    row->addWidget(m_search);
    row->addWidget(m_searchResult);
    row->addWidget(m_legendToggle);
    m_legend = new TopologyLegend(this);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { findNext(m_search->text()); });
    connect(m_search, &QLineEdit::textChanged, this, [this] {
        m_lastFound.clear();
        m_searchResult->clear();
    });
    connect(m_legendAction, &QAction::toggled, m_legend, &QWidget::setVisible);
    // Ctrl+F anywhere in the topology tab (the view or its overlays), not only with the view focused.
    auto* find = new QShortcut(QKeySequence::Find, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    retranslate();
    placeOverlays();
}

void TopologyView::retranslate()
{
    m_search->setPlaceholderText(tr("Find a node (Ctrl+F)"));
    m_search->setToolTip(tr("A name, an address or a word on a card; Enter selects the next match"));
    m_legendAction->setText(tr("Legend"));
    m_searchResult->clear();
    m_legend->adjustSize();
    placeOverlays();
}

void TopologyView::placeOverlays()
{
    m_searchBox->adjustSize();
    m_searchBox->move(std::max(0, viewport()->width() - m_searchBox->width() - 8), 8);
    m_legend->resize(m_legend->sizeHint());
    // Bottom right: the bands' titles are on the left.
    m_legend->move(std::max(0, viewport()->width() - m_legend->width() - 8),
                   std::max(0, viewport()->height() - m_legend->height() - 8));
}

void TopologyView::zoomBy(double factor)
{
    const double current = transform().m11();
    const double next = std::clamp(current * factor, 0.05, 4.0);
    scale(next / current, next / current);
    m_userZoomed = true;
}

void TopologyView::zoomIn() { zoomBy(1.2); }
void TopologyView::zoomOut() { zoomBy(1 / 1.2); }

void TopologyView::zoomToFit()
{
    if (scene() == nullptr) {
        return;
    }
    fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    // Never blow small clusters up beyond their natural size: text would look coarse.
    if (transform().m11() > 1.0) {
        resetTransform();
        centerOn(scene()->sceneRect().center());
    }
    m_userZoomed = false;
}

void TopologyView::centerOnNode(const QString& node)
{
    if (auto* s = qobject_cast<TopologyScene*>(scene())) {
        if (auto* item = s->cardShowing(node)) {
            ensureVisible(item, 40, 40);
        }
    }
}

QString TopologyView::findNext(const QString& text)
{
    auto* s = qobject_cast<TopologyScene*>(scene());
    if (s == nullptr) {
        return {};
    }
    const QStringList hits = s->find(text);
    if (hits.isEmpty()) {
        m_searchResult->setText(tr("no match"));
        m_lastFound.clear();
        return {};
    }
    const int at = (static_cast<int>(hits.indexOf(m_lastFound)) + 1) % static_cast<int>(hits.size());
    m_lastFound = hits.at(at);
    m_searchResult->setText(tr("%1 of %2").arg(at + 1).arg(hits.size()));
    TopologyItem* item = s->reveal(m_lastFound);
    if (item == nullptr) {
        return {};
    }
    if (m_selection != nullptr && item->kind() == TopologyItem::Kind::Node) {
        m_selection->select(m_lastFound);
    }
    if (transform().m11() < 0.6) {
        // Zoomed out too far to read the card: come close enough first.
        const double f = 0.8 / transform().m11();
        scale(f, f);
        m_userZoomed = true;
    }
    centerOn(item);
    return m_lastFound;
}

void TopologyView::wheelEvent(QWheelEvent* event)
{
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(delta > 0 ? 1.15 : 1 / 1.15);
    event->accept();
}

void TopologyView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    placeOverlays();
    if (!m_userZoomed) {
        zoomToFit();
    }
}

void TopologyView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QGraphicsView::changeEvent(event);
}

} // namespace hadeck::ui
