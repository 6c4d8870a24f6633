#include "charts/timechart.h"

#include "app/logging.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace hadeck::ui {

namespace {

// What a sample may carry. Its time comes from an agent's clock (history) or the console's (live
// samples). The window ends with the newest sample of any series, so one sample ahead of now
// moves every line to the left by as much (a century ahead: out of the plot), and the bucket
// arithmetic turns times into integers. Clocks of a cluster agree within a second or so; history
// further ahead of this computer's clock than this is not drawn (and is logged).
constexpr double kMaxAheadMs = 60 * 1000.0;
// No metric reaches this (bytes per second, percent, seconds of lag); the scale and the pixel rows
// stay finite below it.
constexpr double kMaxAbsValue = 1e15;

bool drawableTime(double ms, double nowMs) { return std::isfinite(ms) && ms >= 0 && ms <= nowMs + kMaxAheadMs; }

/// The value as drawn: NaN (a gap, no data) for a value no metric has.
double drawableValue(std::optional<double> v)
{
    return v && std::isfinite(*v) && std::abs(*v) <= kMaxAbsValue ? *v : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

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
    // A bucket is a pixel column of the plot area: when the layout changes its width (the
    // axis labels grew, say), the buckets follow.
    connect(c, &QChart::plotAreaChanged, this, [this](const QRectF& plot) {
        if (bucketCount(plot.width()) != m_lastBucket - m_firstBucket + 1) {
            scheduleRedraw();
        }
    });
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
        m_linesDirty = true;
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
    m_linesDirty = true;
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
    const QPointF p(unixSeconds * 1000.0, drawableValue(value));
    if (!drawableTime(p.x(), static_cast<double>(QDateTime::currentMSecsSinceEpoch()))) {
        return;
    }
    auto& pts = it->points;
    if (pts.empty() || pts.back().x() < p.x()) {
        pts.push_back(p);
        if (!it->rebuild && it->bucketWidth > 0) {
            addToBuckets(it->buckets, p, 0, it->bucketWidth, std::numeric_limits<long long>::max(), it->pendingBreak);
            // Only this sample's column (and those after it) is drawn again.
            m_dirtyFrom = std::min(m_dirtyFrom, static_cast<long long>(std::floor(p.x() / it->bucketWidth)));
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
    const auto nowMs = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
    std::size_t untimely = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (const double x = static_cast<double>(times[i]) * 1000.0; drawableTime(x, nowMs)) {
            merged.emplace_back(x, drawableValue(values[i]));
        } else {
            ++untimely;
        }
    }
    if (untimely > 0) {
        qCWarning(lcUi) << "history of" << key << "has" << untimely
                        << "samples timed before 1970 or more than 60 s ahead of this computer's clock: not drawn";
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

int TimeChart::bucketCount(double plotWidth) const
{
    // One bucket per pixel column of the plot area (the viewport before the first layout).
    return std::max(10,
                    plotWidth > 0 ? std::min(static_cast<int>(plotWidth), viewport()->width()) : viewport()->width());
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
    const int buckets = bucketCount(chart()->plotArea().width());
    const double width = m_windowSeconds * 1000.0 / buckets;
    if (width != m_bucketWidth) {
        m_bucketWidth = width;
        m_linesDirty = true;
    }
    // The window ends with the newest sample's bucket: the axis moves a column at a time.
    m_lastBucket = static_cast<long long>(std::floor(newest / width));
    m_firstBucket = m_lastBucket - buckets + 1;
    double ymax = 0;
    double ymin = 0;
    for (auto& s : m_series) {
        if (s.rebuild || s.bucketWidth != width) {
            s.buckets.clear();
            s.pendingBreak = false;
            s.bucketWidth = width;
            s.rebuild = false;
            for (const auto& p : s.points) {
                addToBuckets(s.buckets, p, 0, width, std::numeric_limits<long long>::max(), s.pendingBreak);
            }
            m_linesDirty = true;
        }
        // The scale from the columns' extremes: no point lists are built for the paint.
        auto it = std::lower_bound(s.buckets.begin(), s.buckets.end(), m_firstBucket,
                                   [](const Bucket& b, long long i) { return b.index < i; });
        for (; it != s.buckets.end() && it->index <= m_lastBucket; ++it) {
            ymax = std::max(ymax, it->hi.y());
            ymin = std::min(ymin, it->lo.y());
        }
    }
    const auto from = static_cast<qint64>(std::llround(static_cast<double>(m_firstBucket) * width));
    const auto to = static_cast<qint64>(std::llround(static_cast<double>(m_lastBucket + 1) * width));
    if (m_x->min().toMSecsSinceEpoch() != from || m_x->max().toMSecsSinceEpoch() != to) {
        m_x->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
    }
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
    // The lines are not QLineSeries points: QtCharts strokes every series' outline for hit
    // testing on each change, and QPainter's polylines cost about 55 ns a segment (60 series x
    // 2 points x 1300 columns: 8 ms a tick). They are rasterised here into an image of the plot
    // area, one column per bucket; a tick scrolls it and draws only the columns that changed.
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    if (plot.isEmpty() || m_lastBucket < m_firstBucket || !(m_y->max() > m_y->min())) {
        return;
    }
    const qreal dpr = painter->device() != nullptr ? painter->device()->devicePixelRatio() : devicePixelRatioF();
    const QSize size(static_cast<int>(std::ceil(plot.width() * dpr)), static_cast<int>(std::ceil(plot.height() * dpr)));
    const std::array<double, 4> key{m_y->min(), m_y->max(), m_bucketWidth, dpr};
    const long long shift = m_firstBucket - m_linesFirst;
    if (m_linesDirty || m_lines.size() != size || key != m_linesKey || shift < 0 ||
        shift * m_linesScale >= size.width()) {
        if (m_lines.size() != size) {
            m_lines = QImage(size, QImage::Format_ARGB32_Premultiplied);
        }
        m_lines.setDevicePixelRatio(dpr);
        m_linesKey = key;
        const long long buckets = m_lastBucket - m_firstBucket + 1;
        m_linesScale =
            std::max(1, static_cast<int>(std::floor(static_cast<double>(size.width()) / static_cast<double>(buckets))));
        m_linesFirst = m_firstBucket;
        renderLines(m_firstBucket);
    } else if (shift > 0 || m_dirtyFrom <= m_lastBucket || m_linesLast != m_lastBucket) {
        if (shift > 0) {
            // The window moved: what is drawn moves left, the columns it uncovered are drawn.
            const auto cols = static_cast<qsizetype>(shift * m_linesScale);
            const auto keep = static_cast<std::size_t>(m_lines.width() - cols) * sizeof(QRgb);
            for (int y = 0; y < m_lines.height(); ++y) {
                auto* row = reinterpret_cast<QRgb*>(m_lines.scanLine(y));
                std::memmove(row, row + cols, keep);
            }
            m_linesFirst = m_firstBucket;
        }
        renderLines(std::max(m_firstBucket, std::min(m_dirtyFrom, m_linesLast + 1)));
    }
    m_linesLast = m_lastBucket;
    m_linesDirty = false;
    m_dirtyFrom = std::numeric_limits<long long>::max();
    painter->drawImage(plot.topLeft(), m_lines);
}

namespace {

/// Pixels of one line, set column by column in an ARGB32 premultiplied image: a vertical run
/// per column covers what a one-pixel polyline through the column's points covers.
class ColumnPen {
public:
    ColumnPen(QImage& image, QRgb colour, int width, int minColumn)
        : m_bits(reinterpret_cast<QRgb*>(image.bits()))
        , m_stride(image.bytesPerLine() / 4)
        , m_w(image.width())
        , m_h(image.height())
        , m_colour(qPremultiply(colour))
        , m_width(std::max(1, width))
        , m_min(std::max(0, minColumn))
    {}

    /// The rows [ra, rb] (either order, fractions rounded down) of column @p c, clamped to the
    /// image. A row far outside it (a point of a column left of the window, on another scale)
    /// is clamped before it is made an integer.
    void run(int c, double ra, double rb)
    {
        const auto toRow = [this](double r) {
            return std::isnan(r) ? 0 : static_cast<int>(std::floor(std::clamp(r, -1.0, static_cast<double>(m_h))));
        };
        int a = toRow(ra);
        int b = toRow(rb);
        if (a > b) {
            std::swap(a, b);
        }
        a = std::clamp(a, 0, m_h - 1);
        b = std::clamp(b + m_width - 1, 0, m_h - 1);
        for (int x = std::max(c, m_min); x < c + m_width && x < m_w; ++x) {
            QRgb* p = m_bits + static_cast<qsizetype>(a) * m_stride + x;
            for (int y = a; y <= b; ++y, p += m_stride) {
                *p = m_colour;
            }
        }
    }

    /// A straight line from (c0, r0) to (c1, r1), c0 < c1: each column after c0 gets the rows
    /// the line crosses in it ((c0, r0) itself is drawn by the caller).
    void line(int c0, double r0, int c1, double r1)
    {
        const double d = c1 - c0;
        const int first = std::max(c0 + 1, m_min - m_width);
        const int last = std::min(c1, m_w - 1);
        for (int c = first; c <= last; ++c) {
            const double ra = r0 + (r1 - r0) * (c - 1 - c0) / d;
            const double rb = r0 + (r1 - r0) * (c - c0) / d;
            run(c, ra, rb);
        }
    }

private:
    QRgb* m_bits;
    qsizetype m_stride;
    int m_w;
    int m_h;
    QRgb m_colour;
    int m_width;
    int m_min;
};

} // namespace

void TimeChart::renderLines(long long fromBucket)
{
    if (m_lines.isNull() || fromBucket > m_lastBucket) {
        return;
    }
    const int k = m_linesScale;
    const int minColumn = static_cast<int>(std::clamp<long long>((fromBucket - m_firstBucket) * k, 0, m_lines.width()));
    // Those columns are cleared, then every series draws into them, in order (the last on top).
    for (int y = 0; y < m_lines.height(); ++y) {
        auto* row = reinterpret_cast<QRgb*>(m_lines.scanLine(y));
        std::fill(row + minColumn, row + m_lines.width(), QRgb(0));
    }
    const double y0 = m_y->min();
    const double y1 = m_y->max();
    const double sy = m_lines.height() / (y1 - y0);
    const auto row = [&](double v) { return (y1 - v) * sy; };
    const int width = (m_order.size() <= 8 ? 2 : 1) * k; // thin when many lines share the plot
    for (const auto& key : std::as_const(m_order)) {
        const auto& s = m_series[key];
        ColumnPen pen(m_lines, s.lines.front()->color().rgba(), width, minColumn);
        auto it = std::lower_bound(s.buckets.begin(), s.buckets.end(), std::max(fromBucket, m_firstBucket),
                                   [](const Bucket& b, long long i) { return b.index < i; });
        // Two columns back: the one before spills into the first redrawn column (a two pixel
        // pen), and its run includes the line from the one before it.
        for (int back = 0; back < 2 && it != s.buckets.begin(); ++back) {
            --it;
        }
        bool have = false;
        int prevCol = 0;
        double prevRow = 0;
        for (; it != s.buckets.end() && it->index <= m_lastBucket; ++it) {
            const int c = static_cast<int>((it->index - m_firstBucket) * k);
            // The column's points in time order: into the first from the previous column, then
            // to the second; both in this column.
            const bool loFirst = it->lo.x() <= it->hi.x();
            const double ra = row(loFirst ? it->lo.y() : it->hi.y());
            const double rb = row(loFirst ? it->hi.y() : it->lo.y());
            double top = std::min(ra, rb);
            double bottom = std::max(ra, rb);
            if (have && !it->breakBefore) {
                if (c - prevCol <= k) {
                    top = std::min(top, prevRow);
                    bottom = std::max(bottom, prevRow);
                } else {
                    pen.line(prevCol, prevRow, c, ra);
                }
            }
            pen.run(c, top, bottom);
            have = true;
            prevCol = c;
            prevRow = rb;
        }
    }
}

QLineSeries* TimeChart::lineSeries(const QString& key) const
{
    const auto it = m_series.constFind(key);
    return it == m_series.cend() || it->lines.isEmpty() ? nullptr : it->lines.front();
}

QList<QList<QPointF>> TimeChart::drawnSegments(const QString& key) const
{
    const auto it = m_series.constFind(key);
    return it == m_series.cend() ? QList<QList<QPointF>>() : segmentsOf(it->buckets, m_firstBucket, m_lastBucket);
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
