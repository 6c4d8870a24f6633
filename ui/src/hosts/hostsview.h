#pragma once

// The Hosts tab: one metric (CPU, memory, load, network, disk IO; Apache's busy
// workers and requests/s on the real servers, queries/s on the database nodes) of
// several nodes compared on one chart, live from each host topic sample the agents push
// (read with the node's last apache and db topics from the session's AppDataStore) and from the agents' history (last 10 minutes, 1 h at 1 s, 24 h at 1 min); the chart draws at
// most two points per pixel column, so many nodes over 24 h stay smooth.

#include "hadeck/console/appdata/appoverview.h"
#include "hadeck/protocol/appdata.h"

#include <QHash>
#include <QSet>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace hadeck::ui {

class ClusterSession;
class TimeChart;

class HostsView final : public QWidget {
    Q_OBJECT
public:
    enum class Metric { Cpu, Memory, Load, Network, DiskIo, ApacheBusyWorkers, ApacheRequestsPerSec, DbQueriesPerSec };
    static constexpr int kMetricCount = static_cast<int>(Metric::DbQueriesPerSec) + 1;
    enum class Range { Live, Hour, Day };

    explicit HostsView(QWidget* parent = nullptr);
    ~HostsView() override;

    void setSession(ClusterSession* session);

    [[nodiscard]] TimeChart* chart() const { return m_chart; }
    [[nodiscard]] QListWidget* nodeList() const { return m_nodes; }
    [[nodiscard]] Metric metric() const;
    [[nodiscard]] Range range() const;
    /// The nodes compared on the chart.
    [[nodiscard]] QStringList checkedNodes() const;

    /// The metric's value in @p status (nullopt when the node reports none). Pure.
    static std::optional<double> value(Metric metric, const proto::HostStatus& status);
    /// The metric's value on @p node from its last host, apache and db topics (nullopt when the
    /// node lacks the layer: no Apache answering, no database server). Pure.
    static std::optional<double> value(Metric metric, const console::AppNode& node);
    /// Whether @p node has the layer @p metric reads (a host for the host metrics; Apache
    /// answering its status page; a database server answering). Pure.
    static bool hasLayer(Metric metric, const console::AppNode& node);
    /// The history series of @p metric on a node that answered @p status (summed or
    /// maxed by time as value() does). Pure.
    static QStringList historySeries(Metric metric, const proto::HostStatus& status);

    /// The last topics of @p node taken at @p unixSeconds, in @p generation: a live sample of
    /// the current metric, or a gap with the node's legend saying "no data" when it lacks the
    /// metric's layer. Dropped as applyStatus() drops. Used for each host topic sample.
    void applySample(const QString& node, int generation, double unixSeconds, const console::AppNode& app);
    /// A host status of @p node taken at @p unixSeconds, in @p generation: a live sample of
    /// the metric on the chart. Samples for a node no longer compared, or from before a
    /// metric or range change, are dropped. Used for each host topic sample (and the benchmark).
    void applyStatus(const QString& node, int generation, double unixSeconds, const proto::HostStatus& status);
    /// A node's history of the current metric (combined over its series), asked in
    /// @p generation: merged and historyLoaded() emitted, unless the node was unchecked or
    /// the metric or range changed meanwhile (then dropped, and no signal).
    void applyHistory(const QString& node, int generation, const std::vector<std::int64_t>& times,
                      const std::vector<double>& values);
    /// Changes with each metric or range change; history answers carry the one they were asked in.
    [[nodiscard]] int generation() const { return m_generation; }

public slots:
    void setMetric(hadeck::ui::HostsView::Metric metric);
    void setRange(hadeck::ui::HostsView::Range range);
    void setNodeChecked(const QString& node, bool checked);
    /// A sample now of each compared node, from its last host topic.
    void refresh();
    void exportChart();

signals:
    /// A node's history for the current metric and range was merged into the chart.
    void historyLoaded(const QString& node);

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void retranslate();
    void rebuild();
    void loadHistory(const QString& node);
    /// @p node's last host topic as a sample, when it is online.
    void sample(const QString& node);
    void applyValue(const QString& node, int generation, double unixSeconds, std::optional<double> value, bool noData);
    int windowSeconds() const;

    ClusterSession* m_session = nullptr;
    QComboBox* m_metric = nullptr;
    QComboBox* m_range = nullptr;
    QListWidget* m_nodes = nullptr;
    QLabel* m_metricLabel = nullptr;
    QLabel* m_rangeLabel = nullptr;
    QLabel* m_nodesLabel = nullptr;
    QPushButton* m_png = nullptr;
    TimeChart* m_chart = nullptr;
    QMetaObject::Connection m_storeLink;
    QHash<QString, proto::HostStatus> m_last;
    QSet<QString> m_historyAsked;
    int m_generation = 0; // a metric or range change outdates answers in flight
};

} // namespace hadeck::ui
