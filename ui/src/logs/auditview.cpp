#include "logs/auditview.h"

#include "app/clustersession.h"
#include "export/tableexport.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/protocol/methods.h"
#include "logs/auditmodel.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hadeck::ui {

namespace {
namespace methods = proto::methods;
constexpr std::uint32_t kEntriesPerNode = 2000;
QString q(const std::string& s) { return QString::fromStdString(s); }
} // namespace

AuditView::AuditView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("auditView"));
    m_model = new AuditModel(this);
    m_filter = new AuditFilter(this);
    m_filter->setSourceModel(m_model);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto* bar = new QHBoxLayout;
    m_userLabel = new QLabel(this);
    m_user = new QComboBox(this);
    m_user->setObjectName(QStringLiteral("auditUser"));
    m_user->setMinimumContentsLength(12);
    m_user->addItem(QString(), QString());
    m_actionLabel = new QLabel(this);
    m_action = new QLineEdit(this);
    m_action->setObjectName(QStringLiteral("auditAction"));
    m_action->setClearButtonEnabled(true);
    m_reload = new QPushButton(this);
    m_reload->setObjectName(QStringLiteral("auditReload"));
    m_csv = new QPushButton(this);
    m_csv->setObjectName(QStringLiteral("auditCsv"));
    bar->addWidget(m_userLabel);
    bar->addWidget(m_user);
    bar->addSpacing(8);
    bar->addWidget(m_actionLabel);
    bar->addWidget(m_action, 1);
    bar->addWidget(m_reload);
    bar->addWidget(m_csv);
    layout->addLayout(bar);

    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* side = new QWidget(split);
    auto* sl = new QVBoxLayout(side);
    sl->setContentsMargins(0, 0, 0, 0);
    m_nodesLabel = new QLabel(side);
    m_nodes = new QListWidget(side);
    sl->addWidget(m_nodesLabel);
    sl->addWidget(m_nodes, 1);
    auto* main = new QSplitter(Qt::Vertical, split);
    m_table = new QTableView(main);
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(AuditModel::Time, 150);
    m_table->setColumnWidth(AuditModel::Params, 260);
    auto* chainPane = new QWidget(main);
    auto* cl = new QVBoxLayout(chainPane);
    cl->setContentsMargins(0, 0, 0, 0);
    m_chainsLabel = new QLabel(chainPane);
    m_chains = new QTableWidget(0, 3, chainPane);
    m_chains->setObjectName(QStringLiteral("auditChains"));
    m_chains->verticalHeader()->hide();
    m_chains->horizontalHeader()->setStretchLastSection(true);
    m_chains->setEditTriggers(QAbstractItemView::NoEditTriggers);
    cl->addWidget(m_chainsLabel);
    cl->addWidget(m_chains, 1);
    main->addWidget(m_table);
    main->addWidget(chainPane);
    main->setStretchFactor(0, 3);
    main->setStretchFactor(1, 1);
    split->addWidget(side);
    split->addWidget(main);
    split->setStretchFactor(1, 1);
    split->setSizes({160, 900});
    layout->addWidget(split, 1);

    connect(m_user, &QComboBox::currentIndexChanged, this, [this] { m_filter->setUser(m_user->currentData().toString()); });
    connect(m_action, &QLineEdit::textChanged, m_filter, &AuditFilter::setAction);
    connect(m_reload, &QPushButton::clicked, this, &AuditView::reload);
    connect(m_csv, &QPushButton::clicked, this, &AuditView::exportCsv);
    connect(m_nodes, &QListWidget::itemChanged, this, [this] { applyNodeFilter(); });
    retranslate();
}

AuditView::~AuditView() = default;

void AuditView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

void AuditView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!m_loadedOnce) {
        reload();
    }
}

void AuditView::retranslate()
{
    m_userLabel->setText(tr("User:"));
    m_user->setItemText(0, tr("Any user"));
    m_actionLabel->setText(tr("Action:"));
    m_action->setPlaceholderText(tr("Part of the action, e.g. drain or firewall"));
    m_reload->setText(tr("Reload"));
    m_csv->setText(tr("Export CSV…"));
    m_nodesLabel->setText(tr("Nodes"));
    m_chainsLabel->setText(tr("Chain verification (agent.auditVerify)"));
    m_chains->setHorizontalHeaderLabels({tr("Node"), tr("Chain"), tr("Detail")});
    for (int r = 0; r < m_chains->rowCount(); ++r) {
        const QString state = m_chains->item(r, 1)->data(Qt::UserRole).toString();
        m_chains->item(r, 1)->setText(state == QStringLiteral("ok")       ? tr("intact")
                                      : state == QStringLiteral("broken") ? tr("BROKEN")
                                      : state == QStringLiteral("error")  ? tr("not verified")
                                                                           : tr("asking…"));
    }
    m_model->retranslate();
}

void AuditView::setSession(ClusterSession* session)
{
    m_session = session;
    ++m_generation;
    m_pending = 0;
    m_loadedOnce = false;
    m_model->clear();
    m_chainState.clear();
    m_chains->setRowCount(0);
    {
        const QSignalBlocker block(m_nodes);
        m_nodes->clear();
        if (m_session != nullptr) {
            for (const auto& n : m_session->model().nodeNames()) {
                auto* item = new QListWidgetItem(n, m_nodes);
                item->setData(Qt::UserRole, n);
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
                item->setCheckState(Qt::Checked);
            }
        }
    }
    applyNodeFilter();
    if (isVisible()) {
        reload();
    }
}

void AuditView::applyNodeFilter()
{
    QSet<QString> nodes;
    for (int i = 0; i < m_nodes->count(); ++i) {
        if (m_nodes->item(i)->checkState() == Qt::Checked) {
            nodes.insert(m_nodes->item(i)->data(Qt::UserRole).toString());
        }
    }
    // All checked is no filter; none checked shows none (an empty set would mean all).
    if (nodes.size() == m_nodes->count()) {
        nodes.clear();
    } else if (nodes.isEmpty()) {
        nodes.insert(QStringLiteral("\n")); // matches no node name
    }
    m_filter->setNodes(nodes);
}

void AuditView::setNodeChecked(const QString& node, bool checked)
{
    for (int i = 0; i < m_nodes->count(); ++i) {
        if (m_nodes->item(i)->data(Qt::UserRole).toString() == node) {
            m_nodes->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
        }
    }
}

void AuditView::setUserFilter(const QString& user)
{
    int i = m_user->findData(user);
    if (i < 0) {
        m_user->addItem(user, user);
        i = m_user->count() - 1;
    }
    m_user->setCurrentIndex(i);
}

void AuditView::setActionFilter(const QString& action) { m_action->setText(action); }

void AuditView::updateUsers()
{
    const QString current = m_user->currentData().toString();
    const QSignalBlocker block(m_user);
    while (m_user->count() > 1) {
        m_user->removeItem(1);
    }
    QStringList users = m_model->users();
    if (!current.isEmpty() && !users.contains(current)) {
        users << current;
    }
    for (const auto& u : users) {
        m_user->addItem(u, u);
    }
    m_user->setCurrentIndex(std::max(0, m_user->findData(current)));
}

void AuditView::setChain(const QString& node, const QString& state, const QString& text)
{
    m_chainState.insert(node, state);
    int row = -1;
    for (int r = 0; r < m_chains->rowCount(); ++r) {
        if (m_chains->item(r, 0)->text() == node) {
            row = r;
        }
    }
    if (row < 0) {
        row = m_chains->rowCount();
        m_chains->insertRow(row);
        m_chains->setItem(row, 0, new QTableWidgetItem(node));
        m_chains->setItem(row, 1, new QTableWidgetItem);
        m_chains->setItem(row, 2, new QTableWidgetItem);
    }
    auto* item = m_chains->item(row, 1);
    item->setData(Qt::UserRole, state);
    item->setText(state == QStringLiteral("ok")       ? tr("intact")
                  : state == QStringLiteral("broken") ? tr("BROKEN")
                  : state == QStringLiteral("error")  ? tr("not verified")
                                                       : tr("asking…"));
    item->setForeground(state == QStringLiteral("broken") ? QBrush(Qt::red) : QBrush());
    m_chains->item(row, 2)->setText(text);
}

void AuditView::reload()
{
    ++m_generation;
    m_pending = 0;
    m_loadedOnce = true;
    if (m_session == nullptr || m_session->pool() == nullptr) {
        emit loaded();
        return;
    }
    const int generation = m_generation;
    QPointer<AuditView> self(this);
    for (const auto& node : m_session->pool()->nodeNames()) {
        auto* c = m_session->pool()->callable(node);
        if (c == nullptr) {
            setChain(node, QStringLiteral("error"), tr("not online"));
            continue;
        }
        setChain(node, QString(), QString());
        m_pending += 2;
        proto::AuditTailParams p;
        p.maxEntries = kEntriesPerNode;
        c->call(methods::AuditTail, p,
                std::function<void(const Expected<proto::AuditTailResult>&)>(
                    [self, node, generation](const Expected<proto::AuditTailResult>& r) {
                        if (self.isNull() || generation != self->m_generation) {
                            return;
                        }
                        if (r) {
                            self->m_model->setEntries(node, r->entries);
                            self->updateUsers();
                        }
                        self->answered();
                    }));
        c->call(methods::AuditVerify, proto::Empty{},
                std::function<void(const Expected<proto::AuditVerifyResult>&)>(
                    [self, node, generation](const Expected<proto::AuditVerifyResult>& r) {
                        if (self.isNull() || generation != self->m_generation) {
                            return;
                        }
                        if (!r) {
                            self->setChain(node, QStringLiteral("error"), q(r.error().message));
                        } else if (r->ok) {
                            self->setChain(node, QStringLiteral("ok"),
                                           tr("%n entries checked in %1", nullptr, static_cast<int>(r->entries)).arg(q(r->path)));
                        } else {
                            self->setChain(node, QStringLiteral("broken"),
                                           tr("first broken line %1 of %2: %3").arg(r->brokenLine).arg(q(r->path), q(r->reason)));
                        }
                        self->answered();
                    }),
                60000);
    }
    if (m_pending == 0) {
        emit loaded();
    }
}

void AuditView::answered()
{
    if (--m_pending <= 0) {
        m_pending = 0;
        emit loaded();
    }
}

void AuditView::exportCsv() { TableExport::saveCsvAs(this, *m_filter, QStringLiteral("audit")); }

} // namespace hadeck::ui
