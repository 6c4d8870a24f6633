#pragma once

#include <QGraphicsView>

namespace hadeck::ui {

/// Zoom with the wheel or Ctrl+plus/minus, pan by dragging, fit with Ctrl+0.
class TopologyView final : public QGraphicsView {
    Q_OBJECT
public:
    explicit TopologyView(QWidget* parent = nullptr);

public slots:
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void centerOnNode(const QString& node);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void zoomBy(double factor);
    bool m_userZoomed = false;
};

} // namespace hadeck::ui
