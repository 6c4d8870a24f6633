#include "database/databaseview.h"

#include "app/clustersession.h"
#include "charts/timechart.h"
#include "database/replicationmodel.h"
#include "export/tableexport.h"
#include "hadeck/console/agentclient.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/protocol/methods.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace hadeck::ui {

namespace {
namespace methods = proto::methods;
constexpr int kWindowSeconds = 600;
constexpr int kNoServerEvery = 30; // rounds between two asks of a node without a server
const char* const kLagSeries = "db.replicaLagSeconds";
} // namespace

DatabaseView::DatabaseView(QWidget* parent) : NodePollView(QStringLiteral("dbNotice"), 1000, parent)
{
    setObjectName(QStringLiteral("databaseView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto* bar = new QHBoxLayout;
    m_start = new QPushButton(this);
    m_start->setObjectName(QStringLiteral("dbReplicaStart"));
    m_stop = new QPushButton(this);
    m_stop->setObjectName(QStringLiteral("dbReplicaStop"));
    m_readOnly = new QPushButton(this);
    m_readOnly->setObjectName(QStringLiteral("dbReadOnly"));
    m_csv = new QPushButton(this);
    m_png = new QPushButton(this);
    bar->addWidget(m_refresh);
    bar->addSpacing(8);
    bar->addWidget(m_start);
    bar->addWidget(m_stop);
    bar->addWidget(m_readOnly);
    bar->addStretch(1);
    bar->addWidget(m_csv);
    bar->addWidget(m_png);
    layout->addLayout(bar);

    layout->addWidget(m_notice);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_model = new ReplicationModel(this);
    m_table = new QTableView(split);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    auto* chartBox = new QWidget(split);
    auto* cl = new QVBoxLayout(chartBox);
    cl->setContentsMargins(0, 0, 0, 0);
    m_chartTitle = new QLabel(chartBox);
    m_chart = new TimeChart(chartBox);
    m_chart->setObjectName(QStringLiteral("dbLagChart"));
    m_chart->setWindowSeconds(kWindowSeconds);
    cl->addWidget(m_chartTitle);
    cl->addWidget(m_chart, 1);
    split->addWidget(m_table);
    split->addWidget(chartBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_start, &QPushButton::clicked, this, &DatabaseView::startReplica);
    connect(m_stop, &QPushButton::clicked, this, &DatabaseView::stopReplica);
    connect(m_readOnly, &QPushButton::clicked, this, &DatabaseView::toggleReadOnly);
    connect(m_csv, &QPushButton::clicked, this, &DatabaseView::exportCsv);
    connect(m_png, &QPushButton::clicked, this, &DatabaseView::exportChart);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { updateActions(); });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] { updateActions(); });
    retranslate();
    updateActions();
}

DatabaseView::~DatabaseView() = default;

void DatabaseView::retranslate()
{
    m_refresh->setText(tr("Refresh"));
    m_start->setText(tr("Start replica…"));
    m_stop->setText(tr("Stop replica…"));
    m_csv->setText(tr("Export table (CSV)…"));
    m_png->setText(tr("Export chart (PNG)…"));
    m_chartTitle->setText(tr("Replica lag (seconds), last 10 minutes; a gap: no lag known (a thread stopped)"));
    m_chart->setValueTitle(tr("seconds"));
    m_model->retranslate();
    updateActions();
}

void DatabaseView::setSession(ClusterSession* session)
{
    for (const auto& c : std::as_const(m_links)) {
        disconnect(c);
    }
    m_links.clear();
    m_session = session;
    m_model->clear();
    m_chart->clearSeries();
    m_inflight.clear();
    m_historyAsked.clear();
    m_noServerSkips.clear();
    {
        QHash<QString, QString> nodeByAddress;
        if (m_session != nullptr) {
            for (const auto& spec : m_session->inventory().nodes) {
                nodeByAddress.insert(spec.address, spec.name);
            }
        }
        m_model->setInventoryAddresses(nodeByAddress);
    }
    if (m_session != nullptr && m_session->pool() != nullptr) {
        m_links << connect(m_session->pool(), &console::ConnectionPool::nodeStateChanged, this,
                           [this](const QString& node, console::NodeState state, const QString& error) {
                               if (state != console::NodeState::Online) {
                                   m_model->setError(node, error.isEmpty() ? tr("not online") : error);
                               }
                           });
    }
    if (isVisible()) {
        refresh();
    }
    updateActions();
}

void DatabaseView::refresh()
{
    if (m_session == nullptr || m_session->pool() == nullptr) {
        return;
    }
    ++m_round;
    for (const auto& node : m_session->pool()->nodeNames()) {
        auto* c = client(node);
        if (c == nullptr || m_inflight.contains(node)) {
            continue;
        }
        if (auto it = m_noServerSkips.find(node); it != m_noServerSkips.end() && --it.value() > 0) {
            continue;
        }
        m_inflight.insert(node);
        const auto* spec = m_session->inventory().node(node);
        const QString address = spec != nullptr ? spec->address : QString();
        QPointer<DatabaseView> self(this);
        c->call(methods::DbStatusGet, proto::Empty{},
                std::function<void(const Expected<proto::DbStatus>&)>([self, node, address](const Expected<proto::DbStatus>& r) {
                    if (self.isNull()) {
                        return;
                    }
                    if (!r) {
                        self->m_model->setError(node, QString::fromStdString(r.error().message));
                        self->answered(node);
                        return;
                    }
                    if (!ReplicationModel::hasServer(*r)) {
                        self->m_noServerSkips[node] = kNoServerEvery;
                    } else {
                        self->m_noServerSkips.remove(node);
                    }
                    self->m_model->setStatus(node, address, *r);
                    if (r->replica) {
                        self->m_chart->ensureSeries(node, node);
                        std::optional<double> lag;
                        if (r->replica->lagSeconds) {
                            lag = static_cast<double>(*r->replica->lagSeconds);
                        }
                        self->m_chart->append(node, static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0, lag);
                        self->loadHistory(node);
                    }
                    self->answered(node);
                }));
    }
    if (m_inflight.isEmpty()) {
        emit refreshed();
    }
}

void DatabaseView::answered(const QString& node)
{
    m_inflight.remove(node);
    if (m_inflight.isEmpty()) {
        emit refreshed();
    }
}

void DatabaseView::loadHistory(const QString& node)
{
    if (m_historyAsked.contains(node)) {
        return;
    }
    auto* c = client(node);
    if (c == nullptr) {
        return;
    }
    m_historyAsked.insert(node);
    proto::HistoryParams p;
    p.series = kLagSeries;
    p.since = QDateTime::currentSecsSinceEpoch() - kWindowSeconds;
    p.step = 1;
    QPointer<DatabaseView> self(this);
    c->call(methods::HistoryGet, p,
            std::function<void(const Expected<proto::HistoryResult>&)>([self, node](const Expected<proto::HistoryResult>& r) {
                if (!self.isNull() && r) {
                    self->m_chart->merge(node, r->times, r->values);
                }
            }));
}

QString DatabaseView::selectedNode() const
{
    const auto rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.front().data(ReplicationModel::NodeNameRole).toString();
}

void DatabaseView::selectNode(const QString& node)
{
    const int r = m_model->rowOf(node);
    if (r >= 0) {
        m_table->selectRow(r);
    }
}

void DatabaseView::updateActions()
{
    const QString node = selectedNode();
    const auto* st = node.isEmpty() ? nullptr : m_model->status(node);
    const bool online = !node.isEmpty() && client(node) != nullptr;
    const bool ok = st != nullptr && st->state == proto::DbState::Ok;
    m_start->setEnabled(online && ok && st->replica.has_value());
    m_stop->setEnabled(online && ok && st->replica.has_value());
    m_readOnly->setEnabled(online && ok);
    m_readOnly->setText(st != nullptr && st->readOnly ? tr("Turn read_only off…") : tr("Turn read_only on…"));
}

void DatabaseView::finish(const QString& node, bool done, const QString& message)
{
    showOutcome(done, message);
    refresh();
    emit actionFinished(node, done, message);
}

void DatabaseView::startReplica()
{
    const QString node = selectedNode();
    AppAction::run(this, client(node), methods::DbReplicaStart, proto::ReplicaActionParams{}, tr("Start the replica threads"),
                   node, confirmHook, [this, node](bool done, const QString& m) { finish(node, done, m); });
}

void DatabaseView::stopReplica()
{
    const QString node = selectedNode();
    AppAction::run(this, client(node), methods::DbReplicaStop, proto::ReplicaActionParams{}, tr("Stop the replica threads"),
                   node, confirmHook, [this, node](bool done, const QString& m) { finish(node, done, m); });
}

void DatabaseView::toggleReadOnly()
{
    const QString node = selectedNode();
    const auto* st = m_model->status(node);
    if (st == nullptr) {
        return;
    }
    proto::ReadOnlyParams p;
    p.on = !st->readOnly;
    AppAction::run(this, client(node), methods::DbSetReadOnly, p,
                   p.on ? tr("Turn read_only on") : tr("Turn read_only off"), node, confirmHook,
                   [this, node](bool done, const QString& m) { finish(node, done, m); });
}

void DatabaseView::exportCsv() { TableExport::saveCsvAs(this, *m_model, QStringLiteral("replication")); }

void DatabaseView::exportChart()
{
    m_chart->flush();
    TableExport::savePngAs(m_chart, QStringLiteral("replica-lag"));
}

} // namespace hadeck::ui
