#pragma once

// A time chart (QtCharts) of named series: live samples appended as they come,
// history loaded at open, a sliding window (e.g. the last hour), and at most two
// points per pixel column drawn (min and max of each column), so 60 series at 1 Hz
// over 24 h stay cheap to draw. The raw samples stay here; QtCharts draws the axes,
// grid and legend (its QLineSeries hold no points), and the lines are rasterised here,
// column by column, into one image of the plot area that a paint only copies.

#include <QChartView>
#include <QHash>
#include <QImage>
#include <QPointF>
#include <QString>

#include <array>
#include <limits>
#include <optional>
#include <vector>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace hadeck::ui {

class TimeChart final : public QChartView {
    Q_OBJECT
public:
    explicit TimeChart(QWidget* parent = nullptr);

    /// The visible span, in seconds, ending at the newest sample (or now).
    void setWindowSeconds(int seconds);
    [[nodiscard]] int windowSeconds() const { return m_windowSeconds; }
    /// Samples older than this (seconds before the newest) are dropped. At least the window.
    void setKeepSeconds(int seconds);

    void setTitle(const QString& title);
    void setValueTitle(const QString& title);

    /// Adds (or renames) the series @p key, shown as @p label in the legend.
    void ensureSeries(const QString& key, const QString& label);
    void removeSeries(const QString& key);
    void clearSeries();
    [[nodiscard]] QStringList seriesKeys() const { return m_order; }
    [[nodiscard]] bool hasSeries(const QString& key) const { return m_series.contains(key); }

    /// A live sample at @p unixSeconds. A null value (no data) breaks the line.
    void append(const QString& key, double unixSeconds, std::optional<double> value);
    /// Samples from the agent's history, merged before the live ones (same times are kept once).
    void merge(const QString& key, const std::vector<std::int64_t>& times, const std::vector<double>& values);

    /// Redraws now (normally coalesced to one redraw per event loop turn).
    void flush();

    // For tests and exports.
    /// The legend entry of @p key (its colour); the lines themselves are drawn by drawForeground().
    [[nodiscard]] QLineSeries* lineSeries(const QString& key) const;
    /// What is drawn: the decimated points of the visible window, one list per unbroken segment.
    [[nodiscard]] QList<QList<QPointF>> drawnSegments(const QString& key) const;
    [[nodiscard]] int drawnPoints(const QString& key) const;
    [[nodiscard]] int segmentCount(const QString& key) const;
    [[nodiscard]] int rawCount(const QString& key) const;
    [[nodiscard]] std::optional<double> lastValue(const QString& key) const;
    /// The largest number of points drawn for one series (all its segments) after decimation.
    [[nodiscard]] int drawnPointsMax() const;

    /// Pure: at most two points (min, max, in time order) per bucket of @p buckets
    /// over [@p from, @p to], split into unbroken segments at NaN values (gaps).
    static QList<QList<QPointF>> decimate(const std::vector<QPointF>& points, double from, double to, int buckets);

    /// One pixel column of a series: its lowest and highest point.
    struct Bucket {
        long long index = 0;
        QPointF lo;
        QPointF hi;
        bool breakBefore = false; // a gap (NaN) came between the previous bucket and this one
    };
    /// Adds  p (in time order) to  buckets of  width from  origin; a NaN value breaks the line.
    static void addToBuckets(std::vector<Bucket>& buckets, const QPointF& p, double origin, double width,
                             long long maxIndex, bool& pendingBreak);
    /// The points to draw for the buckets with index in [ from,  to], one list per unbroken segment.
    static QList<QList<QPointF>> segmentsOf(const std::vector<Bucket>& buckets, long long from, long long to);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    struct Series {
        QString label;
        QList<QLineSeries*> lines;   // the legend entry (no points): its colour draws the line
        std::vector<QPointF> points; // x: ms since epoch, y: value or NaN (a gap); sorted by x
        // The points decimated into pixel columns of bucketWidth ms from time 0, kept up to date
        // as samples arrive in order, rebuilt when the width changes or history is merged.
        std::vector<Bucket> buckets;
        double bucketWidth = 0;
        bool pendingBreak = false;
        bool rebuild = true;
    };
    void scheduleRedraw();
    void redraw();
    void trim(Series& s);
    [[nodiscard]] int bucketCount(double plotWidth) const;
    /// Rasterises the buckets from index @p fromBucket on (of every series, in order) into
    /// m_lines, whose columns left of that bucket are kept.
    void renderLines(long long fromBucket);
    QLineSeries* newLine(Series& s);

    QHash<QString, Series> m_series;
    QStringList m_order;
    QDateTimeAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    int m_windowSeconds = 600;
    int m_keepSeconds = 600;
    bool m_pending = false;
    double m_yMin = 0;
    double m_yMax = 0;
    // The visible window in buckets (pixel columns of bucketWidth ms from time 0): the x axis
    // spans exactly these, so a new sample changes only the last column.
    double m_bucketWidth = 0;
    long long m_firstBucket = 0;
    long long m_lastBucket = -1;
    // The lines of the plot area, one column per bucket: a paint copies it; a redraw scrolls it
    // by the buckets the window moved and draws only the columns whose buckets changed.
    QImage m_lines;
    bool m_linesDirty = true;                                      // everything to draw again
    long long m_dirtyFrom = std::numeric_limits<long long>::max(); // buckets changed from this one on
    long long m_linesFirst = 0;                                    // m_firstBucket when drawn
    long long m_linesLast = -1;                                    // m_lastBucket when drawn
    std::array<double, 4> m_linesKey{};                            // y0, y1, bucket width, dpr it was drawn for
    int m_linesScale = 1;                                          // device columns per bucket
};

} // namespace hadeck::ui
