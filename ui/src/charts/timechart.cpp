#include "charts/timechart.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
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
    } else {
        const auto pos = std::lower_bound(pts.begin(), pts.end(), p, [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
        if (pos != pts.end() && pos->x() == p.x()) {
            *pos = p;
        } else {
            pts.insert(pos, p);
        }
    }
    const double oldest = pts.back().x() - m_keepSeconds * 1000.0;
    if (pts.front().x() < oldest) {
        pts.erase(pts.begin(), std::lower_bound(pts.begin(), pts.end(), QPointF(oldest, 0),
                                                [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
    }
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
    scheduleRedraw();
}

QList<QList<QPointF>> TimeChart::decimate(const std::vector<QPointF>& points, double from, double to, int buckets)
{
    QList<QList<QPointF>> segments;
    if (buckets < 1 || !(to > from)) {
        return segments;
    }
    const double width = (to - from) / buckets;
    QList<QPointF> seg;
    long long bucket = -1;
    QPointF lo;
    QPointF hi;
    bool have = false;
    const auto flushBucket = [&] {
        if (!have) {
            return;
        }
        if (lo == hi) {
            seg.append(lo);
        } else if (lo.x() <= hi.x()) {
            seg.append(lo);
            seg.append(hi);
        } else {
            seg.append(hi);
            seg.append(lo);
        }
        have = false;
    };
    const auto endSegment = [&] {
        flushBucket();
        if (!seg.isEmpty()) {
            segments.append(seg);
            seg.clear();
        }
    };
    for (const auto& p : points) {
        if (p.x() < from || p.x() > to) {
            continue;
        }
        if (std::isnan(p.y())) {
            endSegment();
            bucket = -1;
            continue;
        }
        const auto b = std::min<long long>(buckets - 1, static_cast<long long>((p.x() - from) / width));
        if (b != bucket) {
            flushBucket();
            bucket = b;
        }
        if (!have) {
            lo = hi = p;
            have = true;
        } else {
            if (p.y() < lo.y()) {
                lo = p;
            }
            if (p.y() > hi.y()) {
                hi = p;
            }
        }
    }
    endSegment();
    return segments;
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
        const auto segments = decimate(s.points, from, newest, buckets);
        while (s.lines.size() < segments.size()) {
            newLine(s);
        }
        for (int i = 0; i < s.lines.size(); ++i) {
            if (i < segments.size()) {
                s.lines[i]->replace(segments[i]);
                for (const auto& p : segments[i]) {
                    ymax = std::max(ymax, p.y());
                    ymin = std::min(ymin, p.y());
                }
            } else if (s.lines[i]->count() > 0) {
                s.lines[i]->clear();
            }
        }
    }
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(from)),
                  QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(newest)));
    if (ymax <= ymin) {
        ymax = ymin + 1;
    }
    m_y->setRange(ymin, ymax * 1.1);
    m_y->applyNiceNumbers();
}

QLineSeries* TimeChart::lineSeries(const QString& key) const
{
    const auto it = m_series.constFind(key);
    return it == m_series.cend() || it->lines.isEmpty() ? nullptr : it->lines.front();
}

int TimeChart::drawnPoints(const QString& key) const
{
    const auto it = m_series.constFind(key);
    int n = 0;
    if (it != m_series.cend()) {
        for (const auto* l : it->lines) {
            n += l->count();
        }
    }
    return n;
}

int TimeChart::segmentCount(const QString& key) const
{
    const auto it = m_series.constFind(key);
    int n = 0;
    if (it != m_series.cend()) {
        for (const auto* l : it->lines) {
            n += l->count() > 0 ? 1 : 0;
        }
    }
    return n;
}

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
