#include "topology/topologyview.h"

#include "topology/topologyscene.h"

#include <QWheelEvent>

namespace hadeck::ui {

TopologyView::TopologyView(QWidget* parent) : QGraphicsView(parent)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
    setFrameShape(QFrame::NoFrame);
}

void TopologyView::zoomBy(double factor)
{
    const double current = transform().m11();
    const double next = std::clamp(current * factor, 0.15, 4.0);
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
        if (auto* item = s->itemFor(node)) {
            ensureVisible(item, 40, 40);
        }
    }
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
    if (!m_userZoomed) {
        zoomToFit();
    }
}

} // namespace hadeck::ui
