#pragma once

#include <QGraphicsView>
#include <QPointer>

class QAction;
class QLabel;
class QLineEdit;
class QToolButton;

namespace hadeck::ui {

class NodeSelection;

/// The edge styles of the topology, each with its name (an overlay in the view's corner).
class TopologyLegend final : public QWidget {
    Q_OBJECT
public:
    explicit TopologyLegend(QWidget* parent = nullptr);
    [[nodiscard]] QSize sizeHint() const override;
    /// The names shown, top to bottom (tests).
    [[nodiscard]] QStringList entries() const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;
};

/// Zoom with the wheel or Ctrl+plus/minus, pan by dragging, fit with Ctrl+0.
/// Find a node with Ctrl+F (name, address or text on its card): Enter selects
/// the next match and centres it, expanding its group when collapsed.
class TopologyView final : public QGraphicsView {
    Q_OBJECT
public:
    explicit TopologyView(QWidget* parent = nullptr);

    [[nodiscard]] QLineEdit* searchField() const { return m_search; }
    [[nodiscard]] TopologyLegend* legend() const { return m_legend; }
    /// The selection a found node is selected in (the session's); not owned.
    void setSelection(NodeSelection* selection) { m_selection = selection; }

public slots:
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void centerOnNode(const QString& node);
    /// Selects and centres the next card matching @p text (after the last one found); returns its id, or empty.
    QString findNext(const QString& text);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void zoomBy(double factor);
    void placeOverlays();
    void retranslate();
    bool m_userZoomed = false;
    QWidget* m_searchBox = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_searchResult = nullptr;
    TopologyLegend* m_legend = nullptr;
    QToolButton* m_legendToggle = nullptr;
    QAction* m_legendAction = nullptr;
    QPointer<NodeSelection> m_selection;
    QString m_lastFound;
};

} // namespace hadeck::ui
