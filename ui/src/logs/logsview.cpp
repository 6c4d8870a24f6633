#include "logs/logsview.h"

#include "app/clustersession.h"
#include "export/tableexport.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/protocol/methods.h"
#include "logs/logmodel.h"
#include "models/timelinemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <cstdlib>

namespace hadeck::ui {

namespace {
namespace methods = proto::methods;
constexpr int kMaxDefaultNodes = 4;
constexpr std::uint32_t kLinesPerSource = 500;
QString q(const std::string& s) { return QString::fromStdString(s); }
QString followKey(const QString& node, const QString& source) { return node + QLatin1Char('\n') + source; }
} // namespace

QStringList LogsView::knownSources()
{
    // The agent's default sources (more come from each agent's [modules.logs]).
    return {QStringLiteral("apache-access"), QStringLiteral("apache-error"), QStringLiteral("mariadb-error"),
            QStringLiteral("keepalived"),    QStringLiteral("moosefs"),      QStringLiteral("syslog")};
}

LogsView::LogsView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("logsView"));
    m_model = new LogModel(20000, this);
    m_filter = new QSortFilterProxyModel(this);
    m_filter->setSourceModel(m_model);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setFilterKeyColumn(LogModel::Text);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto* bar = new QHBoxLayout;
    m_filterLabel = new QLabel(this);
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setObjectName(QStringLiteral("logsFilter"));
    m_filterEdit->setClearButtonEnabled(true);
    m_sinceLabel = new QLabel(this);
    m_since = new QComboBox(this);
    for (const int minutes : {15, 60, 24 * 60}) {
        m_since->addItem(QString(), minutes);
    }
    m_since->setCurrentIndex(1);
    m_follow = new QCheckBox(this);
    m_follow->setObjectName(QStringLiteral("logsFollow"));
    m_reload = new QPushButton(this);
    m_reload->setObjectName(QStringLiteral("logsReload"));
    m_back = new QPushButton(this);
    m_back->setObjectName(QStringLiteral("logsBack"));
    m_back->setEnabled(false);
    m_csv = new QPushButton(this);
    m_csv->setObjectName(QStringLiteral("logsCsv"));
    bar->addWidget(m_filterLabel);
    bar->addWidget(m_filterEdit, 1);
    bar->addSpacing(8);
    bar->addWidget(m_sinceLabel);
    bar->addWidget(m_since);
    bar->addWidget(m_follow);
    bar->addWidget(m_reload);
    bar->addWidget(m_back);
    bar->addWidget(m_csv);
    layout->addLayout(bar);

    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* side = new QWidget(split);
    auto* sl = new QVBoxLayout(side);
    sl->setContentsMargins(0, 0, 0, 0);
    m_nodesLabel = new QLabel(side);
    m_nodes = new QListWidget(side);
    m_sourcesLabel = new QLabel(side);
    m_sources = new QListWidget(side);
    sl->addWidget(m_nodesLabel);
    sl->addWidget(m_nodes, 2);
    sl->addWidget(m_sourcesLabel);
    sl->addWidget(m_sources, 1);
    auto* main = new QWidget(split);
    auto* ml = new QVBoxLayout(main);
    ml->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableView(main);
    m_table->setObjectName(QStringLiteral("logsTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 4);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(LogModel::Time, 150);
    m_table->setColumnWidth(LogModel::Node, 90);
    m_table->setColumnWidth(LogModel::Source, 110);
    m_notice = new QLabel(main);
    m_notice->setTextFormat(Qt::PlainText); // node text
    m_notice->setWordWrap(true);
    m_notice->hide();
    ml->addWidget(m_table, 1);
    ml->addWidget(m_notice);
    split->addWidget(side);
    split->addWidget(main);
    split->setStretchFactor(1, 1);
    split->setSizes({180, 900});
    layout->addWidget(split, 1);

    for (const auto& s : knownSources()) {
        addSource(s, s == QStringLiteral("apache-access"));
    }

    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_reload, &QPushButton::clicked, this, &LogsView::reload);
    connect(m_back, &QPushButton::clicked, this, &LogsView::back);
    connect(m_csv, &QPushButton::clicked, this, &LogsView::exportCsv);
    connect(m_since, &QComboBox::currentIndexChanged, this, [this] { reload(); });
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on) {
            reload(); // the agents start following on a logs.query with follow
        } else {
            unfollowAll();
        }
    });
    connect(m_nodes, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        const QString node = item->data(Qt::UserRole).toString();
        if (item->checkState() == Qt::Checked) {
            for (const auto& s : checkedSources()) {
                query(node, s, m_generation);
            }
        } else {
            for (auto it = m_follows.begin(); it != m_follows.end();) {
                if (it.key().startsWith(node + QLatin1Char('\n'))) {
                    if (!it->client.isNull()) {
                        it->client->unsubscribe(it->id);
                    }
                    it = m_follows.erase(it);
                } else {
                    ++it;
                }
            }
            m_model->removeLines(node);
        }
    });
    connect(m_sources, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        const QString source = item->data(Qt::UserRole).toString();
        if (item->checkState() == Qt::Checked) {
            for (const auto& n : checkedNodes()) {
                query(n, source, m_generation);
            }
        } else {
            for (const auto& n : checkedNodes()) {
                if (const auto f = m_follows.take(followKey(n, source)); !f.client.isNull()) {
                    f.client->unsubscribe(f.id);
                }
                m_model->removeLines(n, source);
            }
        }
    });
    // Follow keeps to the end only while the view is at its end (the admin may be reading above).
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const auto* scroll = m_table->verticalScrollBar();
        m_atEnd = scroll->value() >= scroll->maximum() - 2;
    });
    connect(m_filter, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        const auto* scroll = m_table->verticalScrollBar();
        m_atEnd = scroll->value() >= scroll->maximum() - 2;
    });
    const auto keepToEnd = [this] {
        if (m_follow->isChecked() && m_atEnd) {
            m_table->scrollToBottom();
        }
    };
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, keepToEnd);
    // A merge resets the model: the admin's current line (and the Back target) stay, by identity.
    connect(m_model, &LogModel::aboutToMerge, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        m_currentSeq = current.isValid() ? m_model->seqAt(m_filter->mapToSource(current).row()) : 0;
        m_backSeq = m_model->seqAt(m_backRow);
    });
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this, keepToEnd] {
        if (m_backSeq != 0) {
            m_backRow = m_model->rowOfSeq(m_backSeq);
            m_backSeq = 0;
        }
        const int row = m_currentSeq != 0 ? m_model->rowOfSeq(m_currentSeq) : -1;
        m_currentSeq = 0;
        const QModelIndex target =
            row >= 0 ? m_filter->mapFromSource(m_model->index(row, LogModel::Text)) : QModelIndex();
        if (target.isValid()) {
            m_programmatic = true;
            m_table->setCurrentIndex(target);
            if (!(m_follow->isChecked() && m_atEnd)) {
                m_table->scrollTo(target);
            }
            m_programmatic = false;
        }
        keepToEnd();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (m_programmatic || !current.isValid()) {
                    return;
                }
                const qint64 t = m_model->timeAt(m_filter->mapToSource(current).row());
                if (t > 0) {
                    emit momentSelected(t);
                }
            });
    retranslate();
}

LogsView::~LogsView() { unfollowAll(); }

void LogsView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

void LogsView::retranslate()
{
    m_filterLabel->setText(tr("Filter:"));
    m_filterEdit->setPlaceholderText(tr("Text in the line"));
    m_sinceLabel->setText(tr("Since:"));
    m_since->setItemText(0, tr("15 minutes"));
    m_since->setItemText(1, tr("1 hour"));
    m_since->setItemText(2, tr("24 hours"));
    m_follow->setText(tr("Follow"));
    m_follow->setToolTip(tr("New lines as the nodes write them"));
    m_reload->setText(tr("Reload"));
    m_back->setText(tr("Back"));
    m_back->setToolTip(tr("Back to where the lines were before the jump to a timeline event"));
    m_csv->setText(tr("Export CSV…"));
    m_nodesLabel->setText(tr("Nodes"));
    m_sourcesLabel->setText(tr("Sources"));
    m_model->retranslate();
}

void LogsView::addSource(const QString& source, bool checked)
{
    for (int i = 0; i < m_sources->count(); ++i) {
        if (m_sources->item(i)->data(Qt::UserRole).toString() == source) {
            return;
        }
    }
    const QSignalBlocker block(m_sources);
    auto* item = new QListWidgetItem(source, m_sources);
    item->setData(Qt::UserRole, source);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

void LogsView::setSession(ClusterSession* session)
{
    unfollowAll();
    m_session = session;
    m_model->clear();
    ++m_generation;
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
    disconnect(m_poolLink);
    if (m_session != nullptr && m_session->pool() != nullptr) {
        // A node back online follows again: its agent forgot the follow with the old connection
        // (and after Degraded, a query that timed out is asked again).
        m_poolLink = connect(m_session->pool(), &console::ConnectionPool::nodeStateChanged, this,
                             [this, pool = QPointer<console::ConnectionPool>(m_session->pool())](
                                 const QString& node, console::NodeState state) {
                                 if (pool.isNull() || m_session == nullptr || m_session->pool() != pool ||
                                     state != console::NodeState::Online || !m_follow->isChecked() ||
                                     !checkedNodes().contains(node)) {
                                     return;
                                 }
                                 for (const auto& s : checkedSources()) {
                                     if (const auto f = m_follows.take(followKey(node, s)); !f.client.isNull()) {
                                         f.client->unsubscribe(f.id);
                                     }
                                     query(node, s, m_generation);
                                 }
                             });
    }
}

QStringList LogsView::checkedNodes() const
{
    QStringList out;
    for (int i = 0; i < m_nodes->count(); ++i) {
        if (m_nodes->item(i)->checkState() == Qt::Checked) {
            out << m_nodes->item(i)->data(Qt::UserRole).toString();
        }
    }
    return out;
}

QStringList LogsView::checkedSources() const
{
    QStringList out;
    for (int i = 0; i < m_sources->count(); ++i) {
        if (m_sources->item(i)->checkState() == Qt::Checked) {
            out << m_sources->item(i)->data(Qt::UserRole).toString();
        }
    }
    return out;
}

bool LogsView::following() const { return m_follow->isChecked(); }

QStringList LogsView::followedTopics() const
{
    QStringList out;
    for (auto it = m_follows.cbegin(); it != m_follows.cend(); ++it) {
        out << QString(it.key()).replace(QLatin1Char('\n'), QLatin1Char(' '));
    }
    out.sort();
    return out;
}

void LogsView::setNodeChecked(const QString& node, bool checked)
{
    for (int i = 0; i < m_nodes->count(); ++i) {
        if (m_nodes->item(i)->data(Qt::UserRole).toString() == node) {
            m_nodes->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
        }
    }
}

void LogsView::setSourceChecked(const QString& source, bool checked)
{
    addSource(source, false);
    for (int i = 0; i < m_sources->count(); ++i) {
        if (m_sources->item(i)->data(Qt::UserRole).toString() == source) {
            m_sources->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
        }
    }
}

void LogsView::setFollow(bool on) { m_follow->setChecked(on); }

void LogsView::setFilterText(const QString& text) { m_filterEdit->setText(text); }

console::AgentClient* LogsView::client(const QString& node) const
{
    if (m_session == nullptr || m_session->pool() == nullptr) {
        return nullptr;
    }
    return m_session->pool()->callable(node);
}

void LogsView::unfollowAll()
{
    for (const auto& f : std::as_const(m_follows)) {
        if (!f.client.isNull()) {
            f.client->unsubscribe(f.id);
        }
    }
    m_follows.clear();
}

void LogsView::reload()
{
    unfollowAll();
    m_model->clear();
    m_problems.clear();
    m_notice->hide();
    m_backRow = -1;
    m_back->setEnabled(false);
    ++m_generation;
    m_pending = 0;
    for (const auto& n : checkedNodes()) {
        for (const auto& s : checkedSources()) {
            query(n, s, m_generation);
        }
    }
    if (m_pending == 0) {
        emit loaded();
    }
}

void LogsView::query(const QString& node, const QString& source, int generation)
{
    auto* c = client(node);
    if (c == nullptr) {
        m_problems << tr("%1 is not online").arg(node);
        m_notice->setText(m_problems.join(QLatin1Char('\n')));
        m_notice->show();
        return;
    }
    proto::LogsParams p;
    p.source = source.toStdString();
    p.since = QDateTime::currentSecsSinceEpoch() - static_cast<qint64>(m_since->currentData().toInt()) * 60;
    p.maxLines = kLinesPerSource;
    p.follow = m_follow->isChecked();
    ++m_pending;
    QPointer<LogsView> self(this);
    QPointer<console::AgentClient> guard(c);
    c->call(methods::LogsQuery, p,
            std::function<void(const Expected<proto::LogsResult>&)>([self, guard, node, source, generation](const Expected<proto::LogsResult>& r) {
                if (self.isNull() || generation != self->m_generation) {
                    return;
                }
                if (!r) {
                    // A node without this source says so; that is not worth a red line per node.
                    if (r.error().code != rpc::InvalidParams) {
                        self->m_problems << tr("%1, %2: %3").arg(node, source, q(r.error().message));
                    }
                } else if (self->checkedNodes().contains(node) && self->checkedSources().contains(source)) {
                    for (const auto& s : r->sources) {
                        self->addSource(q(s), false);
                    }
                    self->m_model->addLines(node, source, r->lines);
                    if (r->truncated) {
                        self->m_problems << tr("%1, %2: older lines left out (at most %3 a source)").arg(node, source).arg(kLinesPerSource);
                    }
                    const QString key = followKey(node, source);
                    if (self->m_follow->isChecked() && !r->followTopic.empty() && !guard.isNull() && !self->m_follows.contains(key)) {
                        const int id = guard->subscribe({q(r->followTopic)}, [self, node, source](const QString&, const rpc::Json& params) {
                            if (self.isNull()) {
                                return;
                            }
                            const auto delta = proto::fromJson<proto::LogTopic>(params);
                            if (!delta || delta->lines.empty()) {
                                return;
                            }
                            self->m_model->addLines(node, source, delta->lines);
                            emit self->followedLines(node, source, static_cast<int>(delta->lines.size()));
                        });
                        self->m_follows.insert(key, Follow{guard, id});
                    }
                }
                self->answered();
            }));
}

void LogsView::answered()
{
    m_notice->setText(m_problems.join(QLatin1Char('\n')));
    m_notice->setVisible(!m_problems.isEmpty());
    if (--m_pending == 0) {
        if (m_follow->isChecked()) {
            m_table->scrollToBottom();
        }
        emit loaded();
    }
    m_pending = std::max(0, m_pending);
}

void LogsView::showMoment(qint64 unixSeconds)
{
    const QModelIndex current = m_table->currentIndex();
    m_backRow = current.isValid() ? m_filter->mapToSource(current).row() : -1;
    if (m_backRow < 0) {
        // Nothing selected: back means the end (where a follow keeps).
        m_backRow = m_model->rowCount();
    }
    int row = m_model->rowAtTime(unixSeconds);
    // The first shown (filtered) line at or after the moment.
    QModelIndex target;
    for (; row < m_model->rowCount() && !target.isValid(); ++row) {
        target = m_filter->mapFromSource(m_model->index(row, LogModel::Text));
    }
    if (!target.isValid() && m_filter->rowCount() > 0) {
        target = m_filter->index(m_filter->rowCount() - 1, LogModel::Text); // every line is older
    }
    m_back->setEnabled(true);
    if (!target.isValid()) {
        return;
    }
    m_programmatic = true;
    m_table->setCurrentIndex(target);
    m_table->scrollTo(target, QAbstractItemView::PositionAtCenter);
    m_programmatic = false;
}

void LogsView::back()
{
    const int row = m_backRow;
    m_backRow = -1;
    m_back->setEnabled(false);
    m_programmatic = true;
    if (row >= 0 && row < m_model->rowCount()) {
        const QModelIndex target = m_filter->mapFromSource(m_model->index(row, LogModel::Text));
        if (target.isValid()) {
            m_table->setCurrentIndex(target);
            m_table->scrollTo(target, QAbstractItemView::PositionAtCenter);
        }
    } else {
        m_table->clearSelection();
        m_table->setCurrentIndex({});
        m_table->scrollToBottom();
    }
    m_programmatic = false;
}

void LogsView::exportCsv() { TableExport::saveCsvAs(this, *m_filter, QStringLiteral("logs")); }

void linkLogsToTimeline(LogsView* logs, QAbstractItemView* timeline)
{
    QObject::connect(timeline, &QAbstractItemView::clicked, logs, [logs](const QModelIndex& index) {
        const qint64 ms = index.data(TimelineModel::TimeRole).toLongLong();
        if (ms > 0) {
            logs->showMoment(ms / 1000);
        }
    });
    QObject::connect(logs, &LogsView::momentSelected, timeline, [timeline](qint64 unixSeconds) {
        const auto* m = timeline->model();
        if (m == nullptr || m->rowCount() == 0) {
            return;
        }
        int best = -1;
        qint64 bestDistance = 0;
        for (int r = 0; r < m->rowCount(); ++r) {
            const qint64 d = std::abs(m->index(r, 0).data(TimelineModel::TimeRole).toLongLong() - unixSeconds * 1000);
            if (best < 0 || d < bestDistance) {
                best = r;
                bestDistance = d;
            }
        }
        const QModelIndex target = m->index(best, 0);
        timeline->setCurrentIndex(target);
        timeline->scrollTo(target);
    });
}

} // namespace hadeck::ui
