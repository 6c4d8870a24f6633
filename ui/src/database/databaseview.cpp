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
                               if (!console::takesCalls(state)) {
                                   m_model->setError(node, error.isEmpty() ? tr("not online") : error);
                               }
                           });
    }
    if (m_session != nullptr) {
        // A change the agent pushes (an action's outcome, a thread that stopped) shows at once;
        // the chart takes its samples at the poll.
        m_links << connect(&m_session->appData(), &AppDataStore::dbReceived, this, [this](const QString& node) {
            if (client(node) != nullptr) {
                readNode(node, false);
                updateActions();
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
    // The db topic every agent pushes (the session's AppDataStore holds each node's last one) is
    // what db.status would answer: read there, not asked again. A sample of each replica's lag
    // per poll keeps the chart moving while nothing changes, and shows a gap while no lag is known.
    for (const auto& node : m_session->pool()->nodeNames()) {
        if (client(node) != nullptr) {
            readNode(node, true);
        }
    }
    updateActions();
    emit refreshed();
}

void DatabaseView::readNode(const QString& node, bool sample)
{
    const auto* app = m_session->appData().node(node);
    if (app == nullptr || !app->db) {
        return; // its agent has not sent its db topic yet
    }
    const proto::DbStatus& status = *app->db;
    const auto* spec = m_session->inventory().node(node);
    m_model->setStatus(node, spec != nullptr ? spec->address : QString(), status);
    if (!sample || !status.replica) {
        return;
    }
    m_chart->ensureSeries(node, node);
    std::optional<double> lag;
    if (status.replica->lagSeconds) {
        lag = static_cast<double>(*status.replica->lagSeconds);
    }
    m_chart->append(node, static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0, lag);
    loadHistory(node);
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
    p.series = std::string(proto::series::DbReplicaLagSeconds);
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
    AppAction::run(
        this, actionClient(node), methods::DbReplicaStart, proto::ReplicaActionParams{},
        tr("Start the replica threads"), node, confirmHook,
        [this, node](bool done, const QString& m) { finish(node, done, m); },
        [this](const QString& m) { showOutcome(true, m); });
}

void DatabaseView::stopReplica()
{
    const QString node = selectedNode();
    AppAction::run(
        this, actionClient(node), methods::DbReplicaStop, proto::ReplicaActionParams{}, tr("Stop the replica threads"),
        node, confirmHook, [this, node](bool done, const QString& m) { finish(node, done, m); },
        [this](const QString& m) { showOutcome(true, m); });
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
    AppAction::run(
        this, actionClient(node), methods::DbSetReadOnly, p, p.on ? tr("Turn read_only on") : tr("Turn read_only off"),
        node, confirmHook, [this, node](bool done, const QString& m) { finish(node, done, m); },
        [this](const QString& m) { showOutcome(true, m); });
}

void DatabaseView::exportCsv() { TableExport::saveCsvAs(this, *m_model, QStringLiteral("replication")); }

void DatabaseView::exportChart()
{
    m_chart->flush();
    TableExport::savePngAs(m_chart, QStringLiteral("replica-lag"));
}

} // namespace hadeck::ui
