#include "charts/timechart.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace hadeck::ui {

TimeChart::TimeChart(QWidget* parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing, false);
    auto* c = new QChart;
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    m_x = new QDateTimeAxis(c);
    m_x->setFormat(QStringLiteral("HH:mm:ss"));
    m_x->setTickCount(6);
    m_y = new QValueAxis(c);
    m_y->setLabelFormat(QStringLiteral("%g"));
    m_y->setRange(0, 1);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(now - m_windowSeconds * 1000LL), QDateTime::fromMSecsSinceEpoch(now));
    setChart(c);
    setMinimumHeight(180);
}

void TimeChart::setWindowSeconds(int seconds)
{
    m_windowSeconds = std::max(10, seconds);
    m_keepSeconds = std::max(m_keepSeconds, m_windowSeconds);
    m_x->setFormat(m_windowSeconds > 6 * 3600 ? QStringLiteral("dd HH:mm") : QStringLiteral("HH:mm:ss"));
    scheduleRedraw();
}

void TimeChart::setKeepSeconds(int seconds) { m_keepSeconds = std::max(seconds, m_windowSeconds); }

void TimeChart::setTitle(const QString& title) { chart()->setTitle(title); }

void TimeChart::setValueTitle(const QString& title) { m_y->setTitleText(title); }

QLineSeries* TimeChart::newLine(Series& s)
{
    auto* line = new QLineSeries;
    line->setName(s.label);
    chart()->addSeries(line);
    line->attachAxis(m_x);
    line->attachAxis(m_y);
    if (!s.lines.isEmpty()) {
        line->setColor(s.lines.front()->color());
        for (auto* m : chart()->legend()->markers(line)) {
            m->setVisible(false);
        }
    }
    s.lines.append(line);
    return line;
}

void TimeChart::ensureSeries(const QString& key, const QString& label)
{
    auto it = m_series.find(key);
    if (it == m_series.end()) {
        it = m_series.insert(key, Series{});
        it->label = label;
        m_order.append(key);
        newLine(*it);
        return;
    }
    it->label = label;
    for (auto* l : std::as_const(it->lines)) {
        l->setName(label);
    }
}

void TimeChart::removeSeries(const QString& key)
{
    const auto it = m_series.find(key);
    if (it == m_series.end()) {
        return;
    }
    for (auto* l : std::as_const(it->lines)) {
        chart()->removeSeries(l);
        delete l;
    }
    m_series.erase(it);
    m_order.removeAll(key);
    scheduleRedraw();
}

void TimeChart::clearSeries()
{
    for (const auto& k : QStringList(m_order)) {
        removeSeries(k);
    }
}

void TimeChart::append(const QString& key, double unixSeconds, std::optional<double> value)
{
    const auto it = m_series.find(key);
    if (it == m_series.end()) {
        return;
    }
    const QPointF p(unixSeconds * 1000.0, value.value_or(std::numeric_limits<double>::quiet_NaN()));
    auto& pts = it->points;
    if (pts.empty() || pts.back().x() < p.x()) {
        pts.push_back(p);
        if (!it->rebuild && it->bucketWidth > 0) {
            addToBuckets(it->buckets, p, 0, it->bucketWidth, std::numeric_limits<long long>::max(), it->pendingBreak);
        }
    } else {
        it->rebuild = true;
        const auto pos = std::lower_bound(pts.begin(), pts.end(), p, [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
        if (pos != pts.end() && pos->x() == p.x()) {
            *pos = p;
        } else {
            pts.insert(pos, p);
        }
    }
    trim(*it);
    scheduleRedraw();
}

void TimeChart::merge(const QString& key, const std::vector<std::int64_t>& times, const std::vector<double>& values)
{
    const auto it = m_series.find(key);
    if (it == m_series.end()) {
        return;
    }
    std::vector<QPointF> merged;
    merged.reserve(times.size() + it->points.size());
    const std::size_t n = std::min(times.size(), values.size());
    for (std::size_t i = 0; i < n; ++i) {
        merged.emplace_back(static_cast<double>(times[i]) * 1000.0, values[i]);
    }
    // Live samples win over history at the same time.
    merged.insert(merged.end(), it->points.begin(), it->points.end());
    std::stable_sort(merged.begin(), merged.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
    std::vector<QPointF> out;
    out.reserve(merged.size());
    for (const auto& p : merged) {
        if (!out.empty() && out.back().x() == p.x()) {
            out.back() = p;
        } else {
            out.push_back(p);
        }
    }
    if (!out.empty()) {
        const double oldest = out.back().x() - m_keepSeconds * 1000.0;
        out.erase(out.begin(), std::lower_bound(out.begin(), out.end(), QPointF(oldest, 0),
                                                [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
    }
    it->points = std::move(out);
    it->rebuild = true;
    scheduleRedraw();
}

void TimeChart::trim(Series& s)
{
    auto& pts = s.points;
    if (pts.empty()) {
        return;
    }
    const double oldest = pts.back().x() - m_keepSeconds * 1000.0;
    if (pts.front().x() < oldest) {
        // Dropped in batches: erasing one sample at a time from the front moves the whole vector.
        const auto end = std::lower_bound(pts.begin(), pts.end(), QPointF(oldest, 0),
                                          [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
        const auto stale = static_cast<std::size_t>(end - pts.begin());
        if (stale >= std::max<std::size_t>(64, pts.size() / 16) || stale == pts.size() - 1) {
            pts.erase(pts.begin(), end);
        }
    }
    if (s.bucketWidth > 0 && !s.buckets.empty()) {
        const auto first = static_cast<long long>(std::floor(oldest / s.bucketWidth));
        if (s.buckets.front().index < first) {
            s.buckets.erase(s.buckets.begin(), std::lower_bound(s.buckets.begin(), s.buckets.end(), first,
                                                                [](const Bucket& b, long long i) { return b.index < i; }));
        }
    }
}

void TimeChart::addToBuckets(std::vector<Bucket>& buckets, const QPointF& p, double origin, double width,
                             long long maxIndex, bool& pendingBreak)
{
    if (std::isnan(p.y())) {
        pendingBreak = true;
        return;
    }
    const auto index = std::min(maxIndex, static_cast<long long>(std::floor((p.x() - origin) / width)));
    if (!buckets.empty() && buckets.back().index == index && !pendingBreak) {
        auto& b = buckets.back();
        if (p.y() < b.lo.y()) {
            b.lo = p;
        }
        if (p.y() > b.hi.y()) {
            b.hi = p;
        }
        return;
    }
    buckets.push_back(Bucket{index, p, p, pendingBreak && !buckets.empty()});
    pendingBreak = false;
}

QList<QList<QPointF>> TimeChart::segmentsOf(const std::vector<Bucket>& buckets, long long from, long long to)
{
    QList<QList<QPointF>> segments;
    auto it = std::lower_bound(buckets.begin(), buckets.end(), from, [](const Bucket& b, long long i) { return b.index < i; });
    for (; it != buckets.end() && it->index <= to; ++it) {
        if (segments.isEmpty() || it->breakBefore) {
            segments.append(QList<QPointF>());
        }
        auto& seg = segments.back();
        if (it->lo == it->hi) {
            seg.append(it->lo);
        } else if (it->lo.x() <= it->hi.x()) {
            seg.append(it->lo);
            seg.append(it->hi);
        } else {
            seg.append(it->hi);
            seg.append(it->lo);
        }
    }
    return segments;
}

QList<QList<QPointF>> TimeChart::decimate(const std::vector<QPointF>& points, double from, double to, int buckets)
{
    if (buckets < 1 || !(to > from)) {
        return {};
    }
    const double width = (to - from) / buckets;
    std::vector<Bucket> b;
    bool pendingBreak = false;
    for (const auto& p : points) {
        if (p.x() >= from && p.x() <= to) {
            addToBuckets(b, p, from, width, buckets - 1, pendingBreak);
        }
    }
    return segmentsOf(b, 0, buckets - 1);
}

void TimeChart::scheduleRedraw()
{
    if (m_pending) {
        return;
    }
    m_pending = true;
    QMetaObject::invokeMethod(this, [this] { redraw(); }, Qt::QueuedConnection);
}

void TimeChart::flush() { redraw(); }

void TimeChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    scheduleRedraw();
}

void TimeChart::redraw()
{
    m_pending = false;
    double newest = 0;
    for (const auto& s : std::as_const(m_series)) {
        if (!s.points.empty()) {
            newest = std::max(newest, s.points.back().x());
        }
    }
    if (newest == 0) {
        newest = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
    }
    const double from = newest - m_windowSeconds * 1000.0;
    // One bucket per pixel column of the plot area (the viewport before the first layout).
    const double plotWidth = chart()->plotArea().width();
    const int buckets = std::max(10, plotWidth > 0 ? std::min(static_cast<int>(plotWidth), viewport()->width()) : viewport()->width());
    double ymax = 0;
    double ymin = 0;
    for (auto& s : m_series) {
        const double width = m_windowSeconds * 1000.0 / buckets;
        if (s.rebuild || s.bucketWidth != width) {
            s.buckets.clear();
            s.pendingBreak = false;
            s.bucketWidth = width;
            s.rebuild = false;
            for (const auto& p : s.points) {
                addToBuckets(s.buckets, p, 0, width, std::numeric_limits<long long>::max(), s.pendingBreak);
            }
        }
        const auto segments = segmentsOf(s.buckets, static_cast<long long>(std::floor(from / width)),
                                         static_cast<long long>(std::floor(newest / width)));
        for (const auto& seg : segments) {
            for (const auto& p : seg) {
                ymax = std::max(ymax, p.y());
                ymin = std::min(ymin, p.y());
            }
        }
        s.drawn = segments;
    }
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(from)),
                  QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(newest)));
    if (ymax <= ymin) {
        ymax = ymin + 1;
    }
    // Only a changed scale relays the chart out.
    if (ymin != m_yMin || ymax != m_yMax) {
        m_yMin = ymin;
        m_yMax = ymax;
        m_y->setRange(ymin, ymax * 1.1);
        m_y->applyNiceNumbers();
    }
    viewport()->update();
}

void TimeChart::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    // The lines are drawn here, not by QLineSeries: QtCharts strokes every series' outline for
    // hit testing on each change, which costs far more than drawing the polylines.
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    const double x0 = static_cast<double>(m_x->min().toMSecsSinceEpoch());
    const double x1 = static_cast<double>(m_x->max().toMSecsSinceEpoch());
    const double y0 = m_y->min();
    const double y1 = m_y->max();
    if (plot.isEmpty() || !(x1 > x0) || !(y1 > y0)) {
        return;
    }
    const double sx = plot.width() / (x1 - x0);
    const double sy = plot.height() / (y1 - y0);
    painter->save();
    painter->setClipRect(plot);
    painter->setRenderHint(QPainter::Antialiasing, false);
    QPolygonF poly;
    for (const auto& key : std::as_const(m_order)) {
        const auto& s = m_series[key];
        QPen pen(s.lines.front()->color());
        pen.setWidth(m_order.size() <= 8 ? 2 : 1); // thin when many lines share the plot
        pen.setCosmetic(true);
        painter->setPen(pen);
        for (const auto& seg : s.drawn) {
            poly.resize(seg.size());
            for (int i = 0; i < seg.size(); ++i) {
                poly[i] = QPointF(plot.left() + (seg[i].x() - x0) * sx, plot.bottom() - (seg[i].y() - y0) * sy);
            }
            if (poly.size() == 1) {
                painter->drawPoint(poly.front());
            } else {
                painter->drawPolyline(poly);
            }
        }
    }
    painter->restore();
}

QLineSeries* TimeChart::lineSeries(const QString& key) const
{
    const auto it = m_series.constFind(key);
    return it == m_series.cend() || it->lines.isEmpty() ? nullptr : it->lines.front();
}

QList<QList<QPointF>> TimeChart::drawnSegments(const QString& key) const
{
    const auto it = m_series.constFind(key);
    return it == m_series.cend() ? QList<QList<QPointF>>() : it->drawn;
}

int TimeChart::drawnPoints(const QString& key) const
{
    int n = 0;
    for (const auto& seg : drawnSegments(key)) {
        n += static_cast<int>(seg.size());
    }
    return n;
}

int TimeChart::segmentCount(const QString& key) const { return static_cast<int>(drawnSegments(key).size()); }

int TimeChart::rawCount(const QString& key) const
{
    const auto it = m_series.constFind(key);
    return it == m_series.cend() ? 0 : static_cast<int>(it->points.size());
}

std::optional<double> TimeChart::lastValue(const QString& key) const
{
    const auto it = m_series.constFind(key);
    if (it == m_series.cend() || it->points.empty() || std::isnan(it->points.back().y())) {
        return std::nullopt;
    }
    return it->points.back().y();
}

int TimeChart::drawnPointsMax() const
{
    int n = 0;
    for (const auto& k : m_order) {
        n = std::max(n, drawnPoints(k));
    }
    return n;
}

} // namespace hadeck::ui
