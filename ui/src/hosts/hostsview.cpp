#include "hosts/hostsview.h"

#include "app/clustersession.h"
#include "charts/timechart.h"
#include "export/tableexport.h"
#include "hadeck/console/agentclient.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/protocol/methods.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <map>
#include <memory>

namespace hadeck::ui {

namespace {
namespace methods = proto::methods;
constexpr int kMaxDefaultNodes = 8;
QString q(const std::string& s) { return QString::fromStdString(s); }
} // namespace

HostsView::HostsView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("hostsView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto* bar = new QHBoxLayout;
    m_metricLabel = new QLabel(this);
    m_metric = new QComboBox(this);
    m_rangeLabel = new QLabel(this);
    m_range = new QComboBox(this);
    m_png = new QPushButton(this);
    bar->addWidget(m_metricLabel);
    bar->addWidget(m_metric);
    bar->addSpacing(8);
    bar->addWidget(m_rangeLabel);
    bar->addWidget(m_range);
    bar->addStretch(1);
    bar->addWidget(m_png);
    layout->addLayout(bar);

    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* side = new QWidget(split);
    auto* sl = new QVBoxLayout(side);
    sl->setContentsMargins(0, 0, 0, 0);
    m_nodesLabel = new QLabel(side);
    m_nodes = new QListWidget(side);
    sl->addWidget(m_nodesLabel);
    sl->addWidget(m_nodes, 1);
    m_chart = new TimeChart(split);
    m_chart->setObjectName(QStringLiteral("hostsChart"));
    split->addWidget(side);
    split->addWidget(m_chart);
    split->setStretchFactor(1, 1);
    split->setSizes({180, 900});
    layout->addWidget(split, 1);

    for (int i = 0; i < kMetricCount; ++i) {
        m_metric->addItem(QString(), i);
    }
    for (int i = 0; i < 3; ++i) {
        m_range->addItem(QString(), i);
    }
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
    connect(m_nodes, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        const QString node = item->data(Qt::UserRole).toString();
        if (item->checkState() == Qt::Checked) {
            m_chart->ensureSeries(node, node);
            loadHistory(node);
        } else {
            m_chart->removeSeries(node);
            m_historyAsked.remove(node);
        }
    });
    connect(m_png, &QPushButton::clicked, this, &HostsView::exportChart);
    retranslate();
    rebuild();
}

HostsView::~HostsView() = default;

void HostsView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

void HostsView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refresh();
}

void HostsView::retranslate()
{
    m_metricLabel->setText(tr("Metric:"));
    m_rangeLabel->setText(tr("Range:"));
    m_nodesLabel->setText(tr("Nodes compared"));
    m_png->setText(tr("Export chart (PNG)…"));
    m_metric->setItemText(0, tr("CPU busy (%)"));
    m_metric->setItemText(1, tr("Memory used (%)"));
    m_metric->setItemText(2, tr("Load (1 min)"));
    m_metric->setItemText(3, tr("Network (bytes/s, in + out)"));
    m_metric->setItemText(4, tr("Disk IO busy (%, busiest disk)"));
    m_metric->setItemText(5, tr("Apache busy workers (real servers)"));
    m_metric->setItemText(6, tr("Apache requests/s (real servers)"));
    m_metric->setItemText(7, tr("Queries/s (database nodes)"));
    m_range->setItemText(0, tr("Live (10 min)"));
    m_range->setItemText(1, tr("1 hour"));
    m_range->setItemText(2, tr("24 hours"));
    m_chart->setValueTitle(m_metric->currentText());
}

HostsView::Metric HostsView::metric() const { return static_cast<Metric>(m_metric->currentData().toInt()); }
HostsView::Range HostsView::range() const { return static_cast<Range>(m_range->currentData().toInt()); }

void HostsView::setMetric(Metric metric) { m_metric->setCurrentIndex(m_metric->findData(static_cast<int>(metric))); }
void HostsView::setRange(Range range) { m_range->setCurrentIndex(m_range->findData(static_cast<int>(range))); }

void HostsView::setNodeChecked(const QString& node, bool checked)
{
    for (int i = 0; i < m_nodes->count(); ++i) {
        if (m_nodes->item(i)->data(Qt::UserRole).toString() == node) {
            m_nodes->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
        }
    }
}

QStringList HostsView::checkedNodes() const
{
    QStringList out;
    for (int i = 0; i < m_nodes->count(); ++i) {
        if (m_nodes->item(i)->checkState() == Qt::Checked) {
            out << m_nodes->item(i)->data(Qt::UserRole).toString();
        }
    }
    return out;
}

int HostsView::windowSeconds() const
{
    switch (range()) {
    case Range::Live: return 600;
    case Range::Hour: return 3600;
    case Range::Day: return 86400;
    }
    return 600;
}

std::optional<double> HostsView::value(Metric metric, const proto::HostStatus& s)
{
    switch (metric) {
    case Metric::Cpu:
        if (s.cpus.empty()) {
            return std::nullopt;
        }
        return s.cpus.front().busyPct;
    case Metric::Memory:
        if (s.memTotalKiB == 0) {
            return std::nullopt;
        }
        return 100.0 * static_cast<double>(s.memTotalKiB - s.memAvailableKiB) / static_cast<double>(s.memTotalKiB);
    case Metric::Load: return s.load1;
    case Metric::Network: {
        double sum = 0;
        for (const auto& i : s.interfaces) {
            if (i.name != "lo") {
                sum += i.rxBytesPerSec + i.txBytesPerSec;
            }
        }
        return sum;
    }
    case Metric::DiskIo: {
        if (s.disks.empty()) {
            return std::nullopt;
        }
        double busiest = 0;
        for (const auto& d : s.disks) {
            busiest = std::max(busiest, d.busyPct);
        }
        return busiest;
    }
    case Metric::ApacheBusyWorkers:
    case Metric::ApacheRequestsPerSec:
    case Metric::DbQueriesPerSec: return std::nullopt; // not in the host topic
    }
    return std::nullopt;
}

bool HostsView::hasLayer(Metric metric, const console::AppNode& node)
{
    switch (metric) {
    case Metric::ApacheBusyWorkers:
    case Metric::ApacheRequestsPerSec: return node.apache && node.apache->state == proto::ApacheState::Ok;
    case Metric::DbQueriesPerSec: return node.db && node.db->state == proto::DbState::Ok;
    case Metric::Cpu:
    case Metric::Memory:
    case Metric::Load:
    case Metric::Network:
    case Metric::DiskIo: return node.host.has_value();
    }
    return false;
}

std::optional<double> HostsView::value(Metric metric, const console::AppNode& node)
{
    if (!hasLayer(metric, node)) {
        return std::nullopt;
    }
    switch (metric) {
    case Metric::ApacheBusyWorkers: return static_cast<double>(node.apache->busyWorkers);
    case Metric::ApacheRequestsPerSec: return node.apache->requestsPerSec;
    case Metric::DbQueriesPerSec: return node.db->queriesPerSec;
    case Metric::Cpu:
    case Metric::Memory:
    case Metric::Load:
    case Metric::Network:
    case Metric::DiskIo: return value(metric, *node.host);
    }
    return std::nullopt;
}

QStringList HostsView::historySeries(Metric metric, const proto::HostStatus& s)
{
    namespace series = proto::series;
    const auto name = [](std::string_view n) { return QString::fromUtf8(n.data(), static_cast<qsizetype>(n.size())); };
    switch (metric) {
    case Metric::Cpu: return {name(series::HostCpuBusyPct)};
    case Metric::Memory: return {name(series::HostMemUsedPct)};
    case Metric::Load: return {name(series::HostLoad1)};
    case Metric::Network: {
        QStringList out;
        for (const auto& i : s.interfaces) {
            if (i.name != "lo") {
                out << q(series::perDevice(series::NetPrefix, i.name, series::NetRxSuffix))
                    << q(series::perDevice(series::NetPrefix, i.name, series::NetTxSuffix));
            }
        }
        return out;
    }
    case Metric::DiskIo: {
        QStringList out;
        for (const auto& d : s.disks) {
            out << q(series::perDevice(series::DiskPrefix, d.device, series::DiskBusySuffix));
        }
        return out;
    }
    case Metric::ApacheBusyWorkers: return {name(series::ApacheBusyWorkers)};
    case Metric::ApacheRequestsPerSec: return {name(series::ApacheRequestsPerSec)};
    case Metric::DbQueriesPerSec: return {name(series::DbQueriesPerSec)};
    }
    return {};
}

void HostsView::setSession(ClusterSession* session)
{
    disconnect(m_storeLink);
    m_session = session;
    m_last.clear();
    if (m_session != nullptr) {
        // Each sample of a compared node as it comes, while the tab is shown.
        m_storeLink = connect(&m_session->appData(), &AppDataStore::hostReceived, this, [this](const QString& node) {
            if (isVisible() && m_chart->hasSeries(node)) {
                sample(node);
            }
        });
    }
    {
        const QSignalBlocker block(m_nodes);
        m_nodes->clear();
        if (m_session != nullptr) {
            const QStringList names = m_session->model().nodeNames();
            for (int i = 0; i < names.size(); ++i) {
                auto* item = new QListWidgetItem(names[i], m_nodes);
                item->setData(Qt::UserRole, names[i]);
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
                item->setCheckState(i < kMaxDefaultNodes ? Qt::Checked : Qt::Unchecked);
            }
        }
    }
    rebuild();
}

void HostsView::rebuild()
{
    ++m_generation;
    m_historyAsked.clear();
    m_chart->clearSeries();
    m_chart->setWindowSeconds(windowSeconds());
    m_chart->setKeepSeconds(windowSeconds());
    m_chart->setValueTitle(m_metric->currentText());
    for (const auto& node : checkedNodes()) {
        m_chart->ensureSeries(node, node);
        loadHistory(node);
    }
    if (isVisible()) {
        refresh();
    }
}

void HostsView::refresh()
{
    if (m_session == nullptr || m_session->pool() == nullptr) {
        return;
    }
    for (const auto& node : checkedNodes()) {
        sample(node);
    }
}

void HostsView::sample(const QString& node)
{
    // The host topic every agent pushes each second (the session's AppDataStore holds each
    // node's last one) is what host.status would answer: read there, not asked again.
    if (m_session == nullptr || m_session->pool() == nullptr || m_session->pool()->callable(node) == nullptr) {
        return;
    }
    // The apache and db topics come only when they change: their last one is read with each host sample.
    const auto* app = m_session->appData().node(node);
    if (app != nullptr && app->host) {
        applySample(node, m_generation, static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0, *app);
    }
}

void HostsView::applySample(const QString& node, int generation, double unixSeconds, const console::AppNode& app)
{
    if (app.host) {
        m_last.insert(node, *app.host);
    }
    const auto metric = this->metric();
    applyValue(node, generation, unixSeconds, value(metric, app), !hasLayer(metric, app));
}

void HostsView::applyStatus(const QString& node, int generation, double unixSeconds, const proto::HostStatus& status)
{
    m_last.insert(node, status);
    const auto metric = this->metric();
    const auto v = value(metric, status);
    const bool hostMetric = static_cast<int>(metric) <= static_cast<int>(Metric::DiskIo);
    applyValue(node, generation, unixSeconds, v, !hostMetric);
}

void HostsView::applyValue(const QString& node, int generation, double unixSeconds, std::optional<double> value,
                           bool noData)
{
    if (!m_chart->hasSeries(node)) {
        return; // unchecked meanwhile
    }
    if (generation == m_generation) { // else asked before a metric or range change
        // A node without the layer (no Apache, no database server) is a gap named so, not a 0.
        const QString label = noData ? tr("%1 (no data)").arg(node) : node;
        if (const auto* line = m_chart->lineSeries(node); line == nullptr || line->name() != label) {
            m_chart->ensureSeries(node, label);
        }
        m_chart->append(node, unixSeconds, value);
    }
    // History not asked yet: network and disk series are named after the first answer, and a
    // node that was not online when the metric or range changed is asked once it answers.
    if (!m_historyAsked.contains(node)) {
        loadHistory(node);
    }
}

void HostsView::applyHistory(const QString& node, int generation, const std::vector<std::int64_t>& times,
                             const std::vector<double>& values)
{
    // An answer for a node unchecked meanwhile (or asked for another metric or range) is not
    // this chart's: merging or signalling it would pass another node's history off as loaded.
    if (generation != m_generation || !m_historyAsked.contains(node) || !m_chart->hasSeries(node)) {
        return;
    }
    m_chart->merge(node, times, values);
    emit historyLoaded(node);
}

void HostsView::loadHistory(const QString& node)
{
    if (m_session == nullptr || m_session->pool() == nullptr || m_historyAsked.contains(node) ||
        m_session->pool()->callable(node) == nullptr) {
        return;
    }
    const auto metric = this->metric();
    const bool perDevice = metric == Metric::Network || metric == Metric::DiskIo;
    if (perDevice && !m_last.contains(node)) {
        return; // asked again after the first host.status
    }
    const QStringList series = historySeries(metric, m_last.value(node));
    auto* c = m_session->pool()->client(node);
    if (c == nullptr || series.isEmpty()) {
        return;
    }
    m_historyAsked.insert(node);
    proto::HistoryParams p;
    p.since = QDateTime::currentSecsSinceEpoch() - windowSeconds();
    p.step = range() == Range::Day ? 60 : 1;
    // The series of one metric are combined by time: summed (network) or the largest (disks).
    struct Pending {
        int left = 0;
        std::map<std::int64_t, double> byTime;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = static_cast<int>(series.size());
    QPointer<HostsView> self(this);
    const int generation = m_generation;
    for (const auto& name : series) {
        p.series = name.toStdString();
        c->call(methods::HistoryGet, p,
                std::function<void(const Expected<proto::HistoryResult>&)>(
                    [self, node, generation, pending, metric](const Expected<proto::HistoryResult>& r) {
                        if (r) {
                            const std::size_t n = std::min(r->times.size(), r->values.size());
                            for (std::size_t i = 0; i < n; ++i) {
                                auto [it, fresh] = pending->byTime.try_emplace(r->times[i], r->values[i]);
                                if (!fresh) {
                                    it->second = metric == Metric::DiskIo ? std::max(it->second, r->values[i])
                                                                          : it->second + r->values[i];
                                }
                            }
                        }
                        if (--pending->left > 0 || self.isNull() || generation != self->m_generation) {
                            return;
                        }
                        std::vector<std::int64_t> times;
                        std::vector<double> values;
                        for (const auto& [t, v] : pending->byTime) {
                            times.push_back(t);
                            values.push_back(v);
                        }
                        self->applyHistory(node, generation, times, values);
                    }));
    }
}

void HostsView::exportChart()
{
    m_chart->flush();
    TableExport::savePngAs(m_chart, QStringLiteral("hosts-chart"));
}

} // namespace hadeck::ui
