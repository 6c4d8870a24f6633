#include "storage/storageview.h"

#include "app/clustersession.h"
#include "export/tableexport.h"
#include "hadeck/console/agentclient.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/protocol/methods.h"
#include "storage/storagemodels.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace hadeck::ui {

namespace {
namespace methods = proto::methods;
QString q(const std::string& s) { return QString::fromStdString(s); }

QTableView* makeTable(QWidget* parent)
{
    auto* t = new QTableView(parent);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setAlternatingRowColors(true);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(false);
    return t;
}
} // namespace

StorageView::StorageView(QWidget* parent) : NodePollView(QStringLiteral("mfsNotice"), 2000, parent)
{
    setObjectName(QStringLiteral("storageView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto* bar = new QHBoxLayout;
    m_maintenance = new QPushButton(this);
    m_maintenance->setObjectName(QStringLiteral("mfsMaintenance"));
    m_csv = new QPushButton(this);
    bar->addWidget(m_refresh);
    bar->addSpacing(8);
    bar->addWidget(m_maintenance);
    bar->addStretch(1);
    bar->addWidget(m_csv);
    layout->addLayout(bar);

    m_master = new QLabel(this);
    m_master->setTextFormat(Qt::PlainText); // text from the node
    m_master->setObjectName(QStringLiteral("mfsMaster"));
    m_master->setWordWrap(true);
    m_master->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_health = new QLabel(this);
    m_health->setTextFormat(Qt::PlainText); // text from the node
    m_health->setObjectName(QStringLiteral("mfsHealth"));
    m_health->setWordWrap(true);
    layout->addWidget(m_master);
    layout->addWidget(m_health);
    layout->addWidget(m_notice);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_servers = new ChunkserverModel(this);
    m_serverTable = makeTable(split);
    m_serverTable->setModel(m_servers);
    m_serverTable->setItemDelegateForColumn(ChunkserverModel::Space, new SpaceBarDelegate(m_serverTable));
    auto* diskBox = new QWidget(split);
    auto* dl = new QVBoxLayout(diskBox);
    dl->setContentsMargins(0, 0, 0, 0);
    m_disksTitle = new QLabel(diskBox);
    m_disks = new ChunkDiskModel(this);
    m_diskFilter = new QSortFilterProxyModel(this);
    m_diskFilter->setSourceModel(m_disks);
    m_diskFilter->setFilterRole(ChunkDiskModel::ServerRole);
    m_diskFilter->setFilterKeyColumn(ChunkDiskModel::Server);
    m_diskTable = makeTable(diskBox);
    m_diskTable->setModel(m_diskFilter);
    m_diskTable->setItemDelegateForColumn(ChunkDiskModel::Space, new SpaceBarDelegate(m_diskTable));
    dl->addWidget(m_disksTitle);
    dl->addWidget(m_diskTable, 1);
    split->addWidget(m_serverTable);
    split->addWidget(diskBox);
    layout->addWidget(split, 1);

    connect(m_maintenance, &QPushButton::clicked, this, &StorageView::toggleMaintenance);
    connect(m_csv, &QPushButton::clicked, this, &StorageView::exportCsv);
    connect(m_serverTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const auto rows = m_serverTable->selectionModel()->selectedRows();
        // Disks name their server as ip:port, like the chunkserver column.
        m_diskFilter->setFilterFixedString(rows.isEmpty() ? QString() : rows.front().data(ChunkserverModel::ServerRole).toString());
        updateActions();
    });
    connect(m_servers, &QAbstractItemModel::dataChanged, this, [this] { updateActions(); });
    retranslate();
    updateActions();
}

StorageView::~StorageView() = default;

void StorageView::retranslate()
{
    m_refresh->setText(tr("Refresh"));
    m_csv->setText(tr("Export chunkservers (CSV)…"));
    m_disksTitle->setText(tr("Disks of the selected chunkserver (all disks when none is selected)"));
    m_servers->retranslate();
    m_disks->retranslate();
    showMaster();
    updateActions();
}

void StorageView::setSession(ClusterSession* session)
{
    disconnect(m_storeLink);
    m_session = session;
    m_masterNode.clear();
    m_status.reset();
    m_inflight.clear();
    if (m_session != nullptr) {
        // A change the agent pushes (an action's outcome) shows at once while the tab is shown.
        m_storeLink = connect(&m_session->appData(), &AppDataStore::mfsReceived, this, [this] {
            if (isVisible()) {
                refresh();
            }
        });
    }
    m_servers->setChunkservers({});
    m_disks->setDisks({});
    showMaster();
    if (isVisible()) {
        refresh();
    }
    updateActions();
}

void StorageView::refresh()
{
    if (m_session == nullptr || m_session->pool() == nullptr) {
        return;
    }
    // The mfs topic every agent pushes (the session's AppDataStore holds each node's last one) is
    // what mfs.status would answer: read there, not asked again. The master's node first; when
    // it no longer reads the master, another node that does (the master may move).
    QStringList nodes = m_session->pool()->nodeNames();
    if (!m_masterNode.isEmpty() && nodes.removeAll(m_masterNode) > 0) {
        nodes.prepend(m_masterNode);
    }
    for (const auto& node : std::as_const(nodes)) {
        const auto* app = client(node) != nullptr ? m_session->appData().node(node) : nullptr;
        if (app == nullptr || !app->mfs) {
            continue;
        }
        if (app->mfs->ok) {
            show(node, *app->mfs);
            return;
        }
        if (node == m_masterNode) {
            // The master's node no longer reads it: say so, keep the last tables.
            m_notice->setText(tr("%1 no longer reads the MooseFS master: %2").arg(node, q(app->mfs->reason)));
            m_notice->setVisible(true);
        }
    }
}

void StorageView::show(const QString& node, const proto::MfsStatus& status)
{
    m_masterNode = node;
    // A part the agent could not read this time (its reason says which) keeps the last list
    // shown, rather than emptying the table and losing the selection; the health line says so.
    proto::MfsStatus shown = status;
    if (m_status && !status.reason.empty()) {
        if (shown.chunkservers.empty()) {
            shown.chunkservers = m_status->chunkservers;
        }
        if (shown.disks.empty()) {
            shown.disks = m_status->disks;
        }
    }
    m_status = shown;
    m_servers->setChunkservers(shown.chunkservers);
    m_disks->setDisks(shown.disks);
    showMaster();
    updateActions();
    emit statusShown();
}

void StorageView::showMaster()
{
    if (!m_status || !m_status->master) {
        m_master->setText(tr("No node reads a MooseFS master yet."));
        m_health->clear();
        return;
    }
    const auto& m = *m_status->master;
    m_master->setText(tr("MooseFS master %1 on %2 · RAM %3 · space %4 free of %5 · %6 files, %7 directories · %8 chunkservers, %9 metaloggers")
                          .arg(q(m.version), m_masterNode, formatBytes(m.ramUsedBytes), formatBytes(m.availSpaceBytes),
                               formatBytes(m.totalSpaceBytes))
                          .arg(m.files)
                          .arg(m.directories)
                          .arg(m.chunkservers)
                          .arg(m_status->metaloggers.size()));
    const bool bad = m.undergoalChunks > 0 || m.missingChunks > 0;
    m_health->setText(tr("Chunks: %1 · undergoal %2 · missing %3").arg(m.chunks).arg(m.undergoalChunks).arg(m.missingChunks));
    m_health->setStyleSheet(bad ? QStringLiteral("QLabel { color: #c01c28; font-weight: bold; }") : QString());
    if (!m_status->reason.empty()) {
        // The master answered, but a part could not be read (mfscli -SHD failed...): say which.
        m_health->setText(m_health->text() + QStringLiteral("\n") + tr("Partly read: %1").arg(q(m_status->reason)));
    }
}

bool StorageView::selectChunkserver(const QString& host)
{
    for (int r = 0; r < m_servers->rowCount(); ++r) {
        if (m_servers->index(r, 0).data(ChunkserverModel::HostRole).toString() == host) {
            m_serverTable->selectRow(r);
            return true;
        }
    }
    return false;
}

void StorageView::updateActions()
{
    const auto rows = m_serverTable->selectionModel()->selectedRows();
    const auto* cs = rows.isEmpty() ? nullptr : m_servers->chunkserver(rows.front().row());
    m_maintenance->setEnabled(cs != nullptr && actionClient(m_masterNode) != nullptr);
    m_maintenance->setText(cs != nullptr && ChunkserverModel::maintenanceOn(*cs) ? tr("Turn maintenance off…")
                                                                                 : tr("Turn maintenance on…"));
}

void StorageView::toggleMaintenance()
{
    const auto rows = m_serverTable->selectionModel()->selectedRows();
    const auto* cs = rows.isEmpty() ? nullptr : m_servers->chunkserver(rows.front().row());
    if (cs == nullptr) {
        return;
    }
    proto::MfsMaintenanceParams p;
    p.host = cs->host;
    p.port = cs->port;
    p.on = !ChunkserverModel::maintenanceOn(*cs);
    const QString server = QStringLiteral("%1:%2").arg(q(cs->host)).arg(cs->port);
    const QString what = p.on ? tr("Turn maintenance on for chunkserver %1").arg(server)
                              : tr("Turn maintenance off for chunkserver %1").arg(server);
    AppAction::run(
        this, actionClient(m_masterNode), methods::MfsSetMaintenance, p, what, m_masterNode, confirmHook,
        [this, server](bool done, const QString& message) {
            showOutcome(done, message);
            refresh();
            emit actionFinished(server, done, message);
        },
        [this](const QString& message) { showOutcome(true, message); });
}

void StorageView::exportCsv() { TableExport::saveCsvAs(this, *m_servers, QStringLiteral("chunkservers")); }

} // namespace hadeck::ui
