#include "firewall/firewallview.h"
#include "style/plaintext.h"
#include "dialogs/modal.h"

#include "app/clustersession.h"
#include "firewall/firewalldialogs.h"
#include "firewall/rulecopy.h"
#include "firewall/rulewords.h"
#include "hadeck/console/agentclient.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/console/firewall/clusterfacts.h"
#include "hadeck/console/model/clustermodel.h"
#include "hadeck/protocol/methods.h"
#include "hadeck/protocol/wire.h"

#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hadeck::ui {

namespace {

/// How long past its deadline a pending change is followed over the fresh connection
/// until the agent is seen to have rolled it back.
constexpr int kOutcomeWaitS = 120;

namespace pfw = proto::fw;
namespace methods = proto::methods;

QString q(const std::string& s) { return QString::fromStdString(s); }

/// Seconds from now to a pending change's deadline (unix seconds on the node's clock), within
/// what the agent allows (confirmWithin at most 600 s): a node's number is never trusted further.
qint64 secondsLeft(const proto::fw::Pending& p)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return p.deadline > now ? std::min<qint64>(p.deadline - now, 600) : 0;
}
QString ruleKey(const std::string& f, const std::string& t, const std::string& c, std::uint64_t h)
{
    return q(f + "/" + t + "/" + c + "/" + std::to_string(h));
}

enum Column { ItemCol = 0, WordsCol, NftCol, PacketsCol, BytesCol, ColumnCount };
constexpr int KindRole = Qt::UserRole + 1; // "table", "chain", "rule", "set"
constexpr int KeyRole = Qt::UserRole + 2;  // chain: family/table/chain; rule: + /handle; set: family/table/set

} // namespace

FirewallView::FirewallView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("firewallView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto* bar = new QHBoxLayout;
    m_nodeLabel = new QLabel(this);
    m_nodes = new QComboBox(this);
    m_nodes->setMinimumContentsLength(14);
    m_refresh = new QPushButton(this);
    m_add = new QPushButton(this);
    m_add->setObjectName(QStringLiteral("firewallAddRule"));
    m_delete = new QPushButton(this);
    m_copy = new QPushButton(this);
    m_copy->setObjectName(QStringLiteral("firewallCopyRule"));
    m_policy = new QPushButton(this);
    m_policy->setObjectName(QStringLiteral("firewallChainPolicy"));
    m_elements = new QPushButton(this);
    m_elements->setObjectName(QStringLiteral("firewallSetElements"));
    m_rollback = new QPushButton(this);
    m_hash = new QLabel(this);
    m_hash->setForegroundRole(QPalette::PlaceholderText);
    m_hash->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_nodeLabel);
    bar->addWidget(m_nodes);
    bar->addWidget(m_refresh);
    bar->addSpacing(8);
    bar->addWidget(m_add);
    bar->addWidget(m_delete);
    bar->addWidget(m_copy);
    bar->addWidget(m_policy);
    bar->addWidget(m_elements);
    bar->addWidget(m_rollback);
    bar->addSpacing(8);
    bar->addWidget(m_hash, 1);
    layout->addLayout(bar);

    m_countdown = new QLabel(this);
    m_countdown->setObjectName(QStringLiteral("firewallCountdown"));
    m_countdown->setTextFormat(Qt::PlainText);
    m_countdown->setWordWrap(true);
    m_countdown->setVisible(false);
    m_countdown->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #664d03; padding: 6px; font-weight: bold; }"));
    layout->addWidget(m_countdown);
    m_otherBar = new QWidget(this);
    m_otherBar->setObjectName(QStringLiteral("firewallOtherPending"));
    auto* other = new QHBoxLayout(m_otherBar);
    other->setContentsMargins(0, 0, 0, 0);
    m_otherText = new QLabel(m_otherBar);
    m_otherText->setTextFormat(Qt::PlainText); // ids and user names from the node
    m_otherText->setWordWrap(true);
    m_otherText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_otherText->setStyleSheet(
        QStringLiteral("QLabel { background: #fff3cd; color: #664d03; padding: 6px; font-weight: bold; }"));
    m_keepOther = new QPushButton(m_otherBar);
    m_keepOther->setObjectName(QStringLiteral("firewallKeepOther"));
    m_rollbackOther = new QPushButton(m_otherBar);
    m_rollbackOther->setObjectName(QStringLiteral("firewallRollbackOther"));
    other->addWidget(m_otherText, 1);
    other->addWidget(m_keepOther);
    other->addWidget(m_rollbackOther);
    m_otherBar->setVisible(false);
    layout->addWidget(m_otherBar);
    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("firewallNotice"));
    m_notice->setTextFormat(Qt::PlainText); // agent errors and nft output
    m_notice->setWordWrap(true);
    m_notice->setVisible(false);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_notice);

    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(ColumnCount);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(WordsCol, QHeaderView::Interactive);
    m_tree->setColumnWidth(ItemCol, 220);
    m_tree->setColumnWidth(WordsCol, 380);
    m_tree->setColumnWidth(NftCol, 380);
    layout->addWidget(m_tree, 1);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &FirewallView::tick);
    connect(m_nodes, &QComboBox::currentIndexChanged, this, [this] { setNode(m_nodes->currentText()); });
    connect(m_refresh, &QPushButton::clicked, this, &FirewallView::refresh);
    connect(m_add, &QPushButton::clicked, this, &FirewallView::addRule);
    connect(m_delete, &QPushButton::clicked, this, &FirewallView::deleteSelectedRule);
    connect(m_copy, &QPushButton::clicked, this, &FirewallView::copySelectedRule);
    connect(m_policy, &QPushButton::clicked, this, &FirewallView::editSelectedChainPolicy);
    connect(m_elements, &QPushButton::clicked, this, &FirewallView::editSelectedSetElements);
    connect(m_rollback, &QPushButton::clicked, this, &FirewallView::rollbackToConfirmed);
    connect(m_keepOther, &QPushButton::clicked, this, &FirewallView::keepOtherPending);
    connect(m_rollbackOther, &QPushButton::clicked, this, &FirewallView::rollbackOtherPending);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this] { updateActions(); });
    retranslate();
    updateActions();
}

FirewallView::~FirewallView()
{
    if (m_subClient != nullptr && m_subId >= 0) {
        m_subClient->unsubscribe(m_subId);
    }
}

void FirewallView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

void FirewallView::retranslate()
{
    m_nodeLabel->setText(tr("Node:"));
    m_refresh->setText(tr("Refresh"));
    m_add->setText(tr("Add rule…"));
    m_delete->setText(tr("Delete rule…"));
    m_copy->setText(tr("Copy to same role…"));
    m_policy->setText(tr("Chain policy…"));
    m_elements->setText(tr("Set elements…"));
    m_rollback->setText(tr("Roll back to last confirmed…"));
    m_keepOther->setText(tr("Keep it (confirm)…"));
    m_rollbackOther->setText(tr("Roll it back now…"));
    tick();
    m_tree->setHeaderLabels({tr("Table / chain / rule"), tr("In words"), tr("nft text"), tr("Packets"), tr("Bytes")});
    if (m_ruleset) {
        show(*m_ruleset);
    }
    updateActions();
}

void FirewallView::setSession(ClusterSession* session)
{
    if (session == m_session) {
        return;
    }
    if (m_subClient != nullptr && m_subId >= 0) {
        m_subClient->unsubscribe(m_subId);
    }
    for (const auto& c : std::as_const(m_sessionConnections)) {
        disconnect(c);
    }
    m_sessionConnections.clear();
    m_subClient = nullptr;
    m_subId = -1;
    m_session = session;
    m_node.clear();
    // An apply of the old session may never answer (its clients are gone with it).
    m_applying = false;
    ++m_applyToken;
    m_heldApplied.reset();
    m_rollbackAsked.clear();
    setOtherPending(std::nullopt);
    m_ruleset.reset();
    m_tree->clear();
    m_ruleItems.clear();
    const QSignalBlocker block(m_nodes);
    m_nodes->clear();
    if (m_session != nullptr) {
        m_nodes->addItems(m_session->model().nodeNames());
        m_sessionConnections << connect(&m_session->model(), &console::ClusterModel::changed, this, [this] { updateActions(); });
        if (m_session->pool() != nullptr) {
            m_sessionConnections << connect(m_session->pool(), &console::ConnectionPool::nodeStateChanged, this,
                                            [this](const QString& node, console::NodeState state) {
                                                if (node == m_node && state == console::NodeState::Online) {
                                                    refresh();
                                                }
                                            });
        }
    }
    setNode(m_nodes->currentText());
}

console::AgentClient* FirewallView::client() const
{
    if (m_session == nullptr || m_session->pool() == nullptr || m_node.isEmpty()) {
        return nullptr;
    }
    return m_session->pool()->client(m_node);
}

void FirewallView::setNode(const QString& node)
{
    if (node.isEmpty() || node == m_node || m_session == nullptr || !m_session->model().node(node)) {
        return;
    }
    m_node = node;
    m_rollbackAsked.clear();
    m_heldApplied.reset();
    setOtherPending(std::nullopt); // the new node's subscription snapshot says whether it has one
    {
        const QSignalBlocker block(m_nodes);
        m_nodes->setCurrentText(node);
    }
    m_ruleset.reset();
    m_awaitHash.clear();
    m_tree->clear();
    m_ruleItems.clear();
    m_hash->clear();
    subscribe();
    refresh();
    updateActions();
}

void FirewallView::subscribe()
{
    if (m_subClient != nullptr && m_subId >= 0) {
        m_subClient->unsubscribe(m_subId);
    }
    m_subClient = client();
    m_subId = -1;
    if (m_subClient == nullptr) {
        return;
    }
    // Counters at the sample rate, the ruleset on change, and the module's events.
    // The client re-sends the subscription after each reconnect.
    QPointer<FirewallView> self(this);
    const QString node = m_node;
    m_subId = m_subClient->subscribe(
        {console::topicName(pfw::kTopic), console::topicName(proto::topic::Events)},
        [self, node](const QString& method, const rpc::Json& params) {
            if (!self || self->m_node != node) {
                return;
            }
            try {
                if (method.toStdString() == proto::notify::StateDelta) {
                    if (auto d = pfw::topicDelta(params)) {
                        self->onTopic(*d);
                    }
                } else if (method.toStdString() == proto::notify::Event) {
                    if (auto e = pfw::rolledBackEvent(params)) {
                        self->onRolledBack(*e);
                    } else if (auto a = pfw::appliedEvent(params)) {
                        self->onApplied(a->pending);
                    } else if (auto c = pfw::confirmedEvent(params)) {
                        self->onConfirmed(*c);
                    }
                }
            } catch (const proto::wire::DecodeError&) {
                // A malformed notification leaves the last good picture in place.
            }
        });
}

void FirewallView::refresh()
{
    auto* c = client();
    if (c == nullptr) {
        return;
    }
    QPointer<FirewallView> self(this);
    const QString node = m_node;
    c->call(methods::FirewallShow, proto::Empty{},
            std::function<void(const Expected<pfw::Ruleset>&)>([self, node](const Expected<pfw::Ruleset>& rs) {
                if (!self || self->m_node != node) {
                    return;
                }
                // A rollback notice is not replaced by a read error: after a change that cut the
                // console off, its own link is still down when the agent's rollback is learned.
                const QString lasting = self->m_rollbackNotice;
                if (!rs) {
                    const QString error = tr("Cannot read the firewall of %1: %2").arg(node, q(rs.error().message));
                    self->setNotice(lasting.isEmpty() ? error : lasting + QLatin1Char('\n') + error, true);
                    return;
                }
                if (!lasting.isEmpty()) {
                    self->setNotice(lasting, true); // without a read error of before
                }
                self->m_awaitHash.clear(); // read after the confirm or rollback: what the node has now
                self->show(*rs);
            }));
}

void FirewallView::show(const pfw::Ruleset& rs)
{
    m_ruleset = rs;
    if (rs.hash == m_awaitHash) {
        m_awaitHash.clear();
    }
    const QString current = m_tree->currentItem() ? m_tree->currentItem()->data(ItemCol, KeyRole).toString() : QString();
    m_tree->clear();
    m_ruleItems.clear();
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const auto& t : rs.tables) {
        auto* ti = new QTreeWidgetItem(m_tree);
        ti->setText(ItemCol, QStringLiteral("table %1 %2").arg(q(t.family), q(t.name)));
        ti->setData(ItemCol, KindRole, QStringLiteral("table"));
        if (t.iptablesNft) {
            ti->setText(WordsCol, tr("written by iptables-nft: edit it with iptables, not here"));
        }
        for (const auto& c : rs.chains) {
            if (c.family != t.family || c.table != t.name) {
                continue;
            }
            auto* ci = new QTreeWidgetItem(ti);
            ci->setText(ItemCol, QStringLiteral("chain %1").arg(q(c.name)));
            ci->setText(WordsCol, fw::chainInWords(c));
            ci->setData(ItemCol, KindRole, QStringLiteral("chain"));
            ci->setData(ItemCol, KeyRole, q(c.family + "/" + c.table + "/" + c.name));
            std::uint64_t packets = 0;
            std::uint64_t bytes = 0;
            for (const auto* r : rs.rulesOf(c)) {
                auto* ri = new QTreeWidgetItem(ci);
                ri->setText(ItemCol, QStringLiteral("#%1%2").arg(r->handle).arg(r->comment.empty() ? QString()
                                                                                                     : QStringLiteral("  ") + q(r->comment)));
                ri->setText(WordsCol, fw::ruleInWords(*r));
                ri->setText(NftCol, q(r->text));
                ri->setFont(NftCol, mono);
                ri->setToolTip(NftCol, plainToolTip(q(r->text)));
                const QString key = ruleKey(r->family, r->table, r->chain, r->handle);
                ri->setData(ItemCol, KindRole, QStringLiteral("rule"));
                ri->setData(ItemCol, KeyRole, key);
                if (r->counter) {
                    ri->setText(PacketsCol, QString::number(r->counter->packets));
                    ri->setText(BytesCol, QString::number(r->counter->bytes));
                    packets += r->counter->packets;
                    bytes += r->counter->bytes;
                }
                m_ruleItems.insert(key, ri);
                if (key == current) {
                    m_tree->setCurrentItem(ri);
                }
            }
            ci->setText(PacketsCol, QString::number(packets));
            ci->setText(BytesCol, QString::number(bytes));
            if (ci->data(ItemCol, KeyRole).toString() == current) {
                m_tree->setCurrentItem(ci);
            }
        }
        for (const auto& s : rs.sets) {
            if (s.family != t.family || s.table != t.name) {
                continue;
            }
            QStringList elems;
            for (const auto& e : s.elementTexts) {
                elems << q(e);
            }
            auto* si = new QTreeWidgetItem(ti);
            si->setText(ItemCol, QStringLiteral("%1 %2").arg(s.isMap ? QStringLiteral("map") : QStringLiteral("set"), q(s.name)));
            si->setData(ItemCol, KindRole, QStringLiteral("set"));
            si->setData(ItemCol, KeyRole, q(s.family + "/" + s.table + "/" + s.name));
            if (si->data(ItemCol, KeyRole).toString() == current) {
                m_tree->setCurrentItem(si);
            }
            si->setText(WordsCol, tr("%n element(s) of type %1", nullptr, int(s.elementTexts.size())).arg(q(s.type)));
            si->setText(NftCol, elems.join(QStringLiteral(", ")));
            si->setFont(NftCol, mono);
        }
    }
    if (rs.legacy.present) {
        auto* li = new QTreeWidgetItem(m_tree);
        li->setText(ItemCol, tr("iptables-legacy (read-only)"));
        li->setText(WordsCol, q(rs.legacy.note));
        for (const auto& line : q(rs.legacy.saveText).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            auto* l = new QTreeWidgetItem(li);
            l->setText(NftCol, line);
            l->setFont(NftCol, mono);
        }
    }
    m_tree->expandAll();
    m_hash->setText(tr("ruleset %1").arg(q(rs.hash).left(12)));
    updateActions();
    emit rulesetShown();
}

void FirewallView::applyCounters(const std::vector<pfw::CounterSample>& counters)
{
    QHash<QTreeWidgetItem*, std::pair<std::uint64_t, std::uint64_t>> chains;
    for (const auto& s : counters) {
        auto* item = m_ruleItems.value(ruleKey(s.family, s.table, s.chain, s.handle));
        if (item == nullptr) {
            continue;
        }
        item->setText(PacketsCol, QString::number(s.counter.packets));
        item->setText(BytesCol, QString::number(s.counter.bytes));
        auto& sum = chains[item->parent()];
        sum.first += s.counter.packets;
        sum.second += s.counter.bytes;
    }
    for (auto it = chains.begin(); it != chains.end(); ++it) {
        it.key()->setText(PacketsCol, QString::number(it.value().first));
        it.key()->setText(BytesCol, QString::number(it.value().second));
    }
}

void FirewallView::onTopic(const pfw::TopicDelta& d)
{
    if (d.ruleset) {
        show(*d.ruleset);
    } else if (!d.counters.empty()) {
        if (m_ruleset && d.hash == m_ruleset->hash) {
            applyCounters(d.counters);
        } else {
            refresh();
        }
    } else if (!m_ruleset || d.hash != m_ruleset->hash) {
        refresh(); // the snapshot on (re)subscribe: a new version since we last looked
    }
    // After a reconnect the snapshot tells whether our change is still pending, and whether
    // one we did not make (or whose answer was lost) is.
    if (d.pending) {
        const bool ours = m_pending && m_pendingNode == m_node;
        if (ours) {
            concludePending(d.pending->pending && d.pending->id == m_pending->id, d.hash);
        }
        onPendingNow(*d.pending);
    }
}

void FirewallView::onPendingNow(const pfw::Pending& p)
{
    if (!p.pending) {
        m_heldApplied.reset();
        setOtherPending(std::nullopt);
    } else if (!m_pending || m_pending->id != p.id) {
        onApplied(p);
    }
}

void FirewallView::onApplied(const pfw::Pending& p)
{
    if (m_pending && m_pending->id == p.id) {
        return; // ours
    }
    if (m_applying && m_applyNode == m_node) {
        m_heldApplied = p; // ours or not: the apply's answer tells
        return;
    }
    setOtherPending(p);
}

void FirewallView::onConfirmed(const pfw::ConfirmedEvent& e)
{
    if (m_heldApplied && m_heldApplied->id == e.id) {
        m_heldApplied.reset(); // held while our apply was in flight, and kept meanwhile
    }
    if (!m_other || m_other->id != e.id) {
        return;
    }
    setNotice(tr("Change %1 on %2 was confirmed from another connection.").arg(q(e.id), m_node), false);
    setOtherPending(std::nullopt);
    refresh();
}

void FirewallView::askPending()
{
    auto* c = client();
    if (c == nullptr) {
        return;
    }
    QPointer<FirewallView> self(this);
    const QString node = m_node;
    c->call(methods::FirewallPending, proto::Empty{},
            std::function<void(const Expected<pfw::Pending>&)>([self, node](const Expected<pfw::Pending>& p) {
                if (self && self->m_node == node && p) {
                    self->onPendingNow(*p);
                }
            }));
}

QString FirewallView::userOf(const pfw::Pending& p) { return p.user.empty() ? tr("an unnamed user") : q(p.user); }

void FirewallView::setOtherPending(std::optional<pfw::Pending> p)
{
    if (p && !p->pending) {
        p.reset();
    }
    const bool changed = p.has_value() != m_other.has_value() || (p && m_other && p->id != m_other->id);
    m_other = std::move(p);
    m_otherBar->setVisible(m_other.has_value());
    if (m_other) {
        tick();
        m_tick->start();
    } else if (!m_pending) {
        m_tick->stop();
    }
    updateActions();
    if (changed) {
        emit otherPendingChanged();
    }
}

void FirewallView::keepOtherPending()
{
    if (!m_other || m_session == nullptr) {
        return;
    }
    const pfw::Pending p = *m_other;
    QString text = tr("Keep change %1 by %2 on %3? It is confirmed over a new connection, which proves the new rules "
                      "still let the console in.")
                       .arg(q(p.id), userOf(p), m_node);
    if (!p.diff.empty()) {
        // The change as the agent describes it, bounded so the buttons stay on screen.
        constexpr std::size_t kShown = 30;
        QStringList lines;
        for (std::size_t i = 0; i < std::min(p.diff.size(), kShown); ++i) {
            lines << q(p.diff[i]).left(300);
        }
        if (p.diff.size() > kShown) {
            lines << tr("… and %n more line(s)", nullptr, int(std::min<std::size_t>(p.diff.size() - kShown, 1000000)));
        }
        text += QStringLiteral("\n\n") + lines.join(QLatin1Char('\n'));
    }
    if (Modal::question(this, tr("Keep a pending firewall change"), text, QMessageBox::Yes | QMessageBox::No,
                        QMessageBox::No) != QMessageBox::Yes ||
        !m_other || m_other->id != p.id) {
        return;
    }
    // From here on it is followed like a change of ours: countdown, fresh connection, outcome.
    // An earlier rollback's notice ends with this admin's act, as with a change of their own.
    m_rollbackNotice.clear();
    m_rollbackAsked.clear();
    m_pending = p;
    m_pendingNode = m_node;
    m_freshError.clear();
    // The agent's deadline on its own clock: the best there is for a change made elsewhere.
    m_deadline = QDateTime::currentDateTimeUtc().addSecs(secondsLeft(p));
    setOtherPending(std::nullopt);
    setNotice({}, false);
    m_countdown->setVisible(true);
    tick();
    m_tick->start();
    updateActions();
    confirmFresh();
}

void FirewallView::rollbackOtherPending()
{
    auto* c = client();
    if (c == nullptr || !m_other) {
        return;
    }
    const std::string id = m_other->id;
    if (Modal::question(this, tr("Roll back a pending firewall change"),
                        tr("Roll back change %1 by %2 on %3 now, restoring the ruleset from before it?")
                            .arg(q(id), userOf(*m_other), m_node),
                        QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes) {
        return;
    }
    m_rollbackNotice.clear();
    m_rollbackAsked = id; // its firewall.rolledBack is then no alarm: the answer says what happened
    QPointer<FirewallView> self(this);
    const QString node = m_node;
    auto sent = std::make_shared<console::AgentClient::RequestId>(0);
    *sent = c->call(
        methods::FirewallRollback, pfw::RollbackParams{id},
        std::function<void(const Expected<pfw::RollbackResult>&)>([self, node, id,
                                                                   sent](const Expected<pfw::RollbackResult>& r) {
            if (!self) {
                return;
            }
            if (!r && console::mayHaveRun(*sent, r.error())) {
                // The agent's event or the next snapshot tells what became of it.
                self->setNotice(tr("No answer from %1 to the rollback of change %2 (%3): it may be rolled back.")
                                    .arg(node, q(id), q(r.error().message)),
                                true);
                return;
            }
            if (!r) {
                self->m_rollbackAsked.clear();
                self->setNotice(tr("Change %1 not rolled back: %2").arg(q(id), q(r.error().message)), true);
                self->askPending(); // what is pending now (it may have been kept or rolled back meanwhile)
                return;
            }
            self->setNotice(tr("%1: change %2 rolled back; restored %3").arg(node, q(id), q(r->restoredFrom)), false);
            if (node == self->m_node) {
                if (self->m_other && self->m_other->id == id) {
                    self->setOtherPending(std::nullopt);
                }
                if (!self->m_ruleset || self->m_ruleset->hash != r->hash) {
                    self->m_awaitHash = r->hash;
                    self->updateActions();
                }
            }
            self->refresh();
        }));
}

void FirewallView::concludePending(bool stillPending, const std::string& hash)
{
    if (!m_pending || stillPending) {
        return;
    }
    if (hash == m_pending->hashAfter) {
        // Confirmed by someone (the fresh connection's answer may have been lost).
        setNotice(tr("Change %1 on %2 is confirmed.").arg(q(m_pending->id), m_pendingNode), false);
        const QString id = q(m_pending->id);
        finishPending();
        emit changeConfirmed(id);
        return;
    }
    pfw::RolledBack e;
    e.id = m_pending->id;
    e.ok = true;
    e.reason = "not confirmed in time";
    onRolledBack(e);
}

void FirewallView::askOutcome(console::ConnectionPool* pool, const QString& node, const std::string& id)
{
    auto* c = pool->client(node);
    if (c == nullptr) {
        return;
    }
    c->call(
        methods::FirewallPending, proto::Empty{},
        std::function<void(const Expected<pfw::Pending>&)>([this, pool, node, id](const Expected<pfw::Pending>& p) {
            if (m_fresh.get() != pool || !m_pending || m_pending->id != id || !p) {
                return;
            }
            if (p->pending && p->id == id) {
                const QDateTime now = QDateTime::currentDateTimeUtc();
                if (now < m_deadline) {
                    // Still live and still in time: this connection got in, so confirm again.
                    QTimer::singleShot(2000, pool, [this, pool, node, id] { sendConfirm(pool, node, id); });
                } else if (now < m_deadline.addSecs(kOutcomeWaitS)) {
                    // The agent has not rolled back yet: ask again shortly (bounded).
                    QTimer::singleShot(2000, pool, [this, pool, node, id] { askOutcome(pool, node, id); });
                }
                return;
            }
            pool->client(node)->call(
                methods::FirewallShow, proto::Empty{},
                std::function<void(const Expected<pfw::Ruleset>&)>([this, pool, id](const Expected<pfw::Ruleset>& rs) {
                    if (m_fresh.get() != pool || !m_pending || m_pending->id != id || !rs) {
                        return;
                    }
                    concludePending(false, rs->hash);
                }));
        }));
}

void FirewallView::onRolledBack(const pfw::RolledBack& e)
{
    if (e.ok && m_other && m_other->id == e.id) {
        setOtherPending(std::nullopt);
    }
    if (m_heldApplied && m_heldApplied->id == e.id) {
        m_heldApplied.reset();
    }
    if (e.ok && !e.id.empty() && e.id == m_rollbackAsked && (!m_pending || m_pending->id != e.id)) {
        m_rollbackAsked.clear();
        setNotice(tr("Change %1 on %2 is rolled back, as asked.").arg(q(e.id), m_node), false);
        refresh();
        return;
    }
    if (!m_pending || e.id != m_pending->id) {
        if (e.ok) {
            m_rollbackNotice = tr("The agent on %1 rolled back change %2: %3").arg(m_node, q(e.id), q(e.reason));
            setNotice(m_rollbackNotice, true);
            refresh();
        }
        return;
    }
    QString why = q(e.reason);
    if (!m_freshError.isEmpty()) {
        why += QLatin1Char(' ') + tr("(the new connection to confirm it failed: %1 — the change most likely cut the console off)")
                                      .arg(m_freshError);
    }
    const QString text = e.ok ? tr("ROLLED BACK: the agent on %1 restored the ruleset from before change %2: %3")
                                    .arg(m_pendingNode, q(e.id), why)
                              : tr("The agent on %1 could not roll back change %2 yet (%3): %4; it retries")
                                    .arg(m_pendingNode, q(e.id), why, q(e.error));
    setNotice(text, true);
    if (e.ok) {
        m_rollbackNotice = text;
        const QString id = q(e.id);
        finishPending();
        refresh();
        emit changeRolledBack(id, why);
    }
}

void FirewallView::setNotice(const QString& text, bool bad)
{
    m_notice->setText(text);
    m_notice->setStyleSheet(bad ? QStringLiteral("QLabel { background: #f8d7da; color: #58151c; padding: 6px; font-weight: bold; }")
                                : QStringLiteral("QLabel { background: #d1e7dd; color: #0a3622; padding: 6px; }"));
    m_notice->setVisible(!text.isEmpty());
}

void FirewallView::updateActions()
{
    const auto* snap = m_session != nullptr && !m_node.isEmpty() ? m_session->model().node(m_node) : nullptr;
    // The permission the agent's dispatcher enforces, read from the method's declaration.
    const auto need = methods::FirewallApply.permission;
    const bool online = client() != nullptr && snap != nullptr && snap->reachable();
    const bool allowed = snap != nullptr && snap->permission() >= need;
    QString why;
    if (!online) {
        why = tr("%1 is not connected").arg(m_node);
    } else if (!allowed) {
        why = tr("Changing the firewall needs membership of the group %1; you have %2 access")
                  .arg(q(std::string(proto::groupFor(need))), console::permissionName(snap->permission()));
    }
    const bool busy = m_pending.has_value() || m_other.has_value();
    const bool outdated = !m_awaitHash.empty();
    if (why.isEmpty() && outdated) {
        why = tr("Reading the new ruleset of %1…").arg(m_node);
    }
    const bool can = online && allowed && m_ruleset.has_value() && !busy && !outdated;
    const auto* item = m_tree->currentItem();
    const QString kind = item != nullptr ? item->data(ItemCol, KindRole).toString() : QString();
    const bool rule = kind == QLatin1String("rule");
    bool baseChain = false;
    if (kind == QLatin1String("chain") && m_ruleset) {
        const QStringList k = item->data(ItemCol, KeyRole).toString().split(QLatin1Char('/'));
        const auto* c =
            k.size() == 3 ? m_ruleset->findChain(k[0].toStdString(), k[1].toStdString(), k[2].toStdString()) : nullptr;
        baseChain = c != nullptr && c->isBase();
    }
    m_add->setEnabled(can);
    m_delete->setEnabled(can && rule);
    m_copy->setEnabled(can && rule && !fw::sameRoleNodes(m_session->model(), m_node).isEmpty());
    m_policy->setEnabled(can && baseChain);
    m_elements->setEnabled(can && kind == QLatin1String("set"));
    m_rollback->setEnabled(online && allowed && !busy);
    for (auto* b : {m_add, m_delete, m_copy, m_policy, m_elements, m_rollback}) {
        b->setToolTip(why.isEmpty() && busy ? tr("A change is waiting for its confirmation") : plainToolTip(why));
    }
    m_keepOther->setEnabled(online && allowed && m_other && !m_pending);
    m_rollbackOther->setEnabled(online && allowed && m_other && !m_pending);
    m_keepOther->setToolTip(plainToolTip(why));
    m_rollbackOther->setToolTip(plainToolTip(why));
    m_refresh->setEnabled(online);
}

void FirewallView::addRule()
{
    if (!m_ruleset) {
        return;
    }
    QString chain;
    if (const auto* item = m_tree->currentItem()) {
        chain = item->data(ItemCol, KeyRole).toString();
        if (item->data(ItemCol, KindRole).toString() == QLatin1String("rule")) {
            chain = chain.section(QLatin1Char('/'), 0, 2);
        }
    }
    if (chain.isEmpty()) {
        for (const auto& c : m_ruleset->chains) {
            if (c.hook == "input") {
                chain = q(c.family + "/" + c.table + "/" + c.name);
                break;
            }
        }
    }
    fw::RuleEditorDialog dialog(*m_ruleset, chain, this);
    if (Modal::exec(dialog) != QDialog::Accepted) {
        return;
    }
    if (auto c = dialog.change()) {
        checkAndApply({*c});
    }
}

void FirewallView::deleteSelectedRule()
{
    const auto* item = m_tree->currentItem();
    if (item == nullptr || item->data(ItemCol, KindRole).toString() != QLatin1String("rule")) {
        return;
    }
    const QStringList key = item->data(ItemCol, KeyRole).toString().split(QLatin1Char('/'));
    if (key.size() != 4) {
        return;
    }
    pfw::Change c;
    c.op = pfw::ChangeOp::DeleteRule;
    c.family = key[0].toStdString();
    c.table = key[1].toStdString();
    c.chain = key[2].toStdString();
    c.handle = key[3].toULongLong();
    checkAndApply({c});
}

bool FirewallView::select(const QString& key)
{
    const auto items = m_tree->findItems(QStringLiteral("*"), Qt::MatchWildcard | Qt::MatchRecursive, ItemCol);
    for (auto* item : items) {
        if (item->data(ItemCol, KeyRole).toString() == key) {
            m_tree->setCurrentItem(item);
            updateActions();
            return true;
        }
    }
    return false;
}

void FirewallView::copySelectedRule()
{
    const auto* item = m_tree->currentItem();
    if (item == nullptr || !m_ruleset || m_session == nullptr ||
        item->data(ItemCol, KindRole).toString() != QLatin1String("rule")) {
        return;
    }
    const QStringList key = item->data(ItemCol, KeyRole).toString().split(QLatin1Char('/'));
    if (key.size() != 4) {
        return;
    }
    const pfw::Rule* rule = nullptr;
    for (const auto& r : m_ruleset->rules) {
        if (q(r.family) == key[0] && q(r.table) == key[1] && q(r.chain) == key[2] && r.handle == key[3].toULongLong()) {
            rule = &r;
        }
    }
    if (rule == nullptr) {
        return;
    }
    fw::RuleCopyDialog dialog(m_session, m_node, *rule, this);
    Modal::exec(dialog);
    refresh();
}

void FirewallView::editSelectedChainPolicy()
{
    const auto* item = m_tree->currentItem();
    if (item == nullptr || !m_ruleset || item->data(ItemCol, KindRole).toString() != QLatin1String("chain")) {
        return;
    }
    const QStringList key = item->data(ItemCol, KeyRole).toString().split(QLatin1Char('/'));
    const auto* chain = key.size() == 3
                            ? m_ruleset->findChain(key[0].toStdString(), key[1].toStdString(), key[2].toStdString())
                            : nullptr;
    if (chain == nullptr || !chain->isBase()) {
        return;
    }
    fw::ChainPolicyDialog dialog(*chain, this);
    if (Modal::exec(dialog) == QDialog::Accepted) {
        checkAndApply({dialog.change()});
    }
}

void FirewallView::editSelectedSetElements()
{
    const auto* item = m_tree->currentItem();
    if (item == nullptr || !m_ruleset || item->data(ItemCol, KindRole).toString() != QLatin1String("set")) {
        return;
    }
    const QStringList key = item->data(ItemCol, KeyRole).toString().split(QLatin1Char('/'));
    const auto* set = key.size() == 3
                          ? m_ruleset->findSet(key[0].toStdString(), key[1].toStdString(), key[2].toStdString())
                          : nullptr;
    if (set == nullptr) {
        return;
    }
    fw::SetElementsDialog dialog(*set, this);
    if (Modal::exec(dialog) == QDialog::Accepted) {
        if (const auto changes = dialog.changes(); !changes.empty()) {
            checkAndApply(changes);
        }
    }
}

void FirewallView::checkAndApply(const std::vector<pfw::Change>& changes)
{
    auto* c = client();
    if (c == nullptr || !m_ruleset) {
        return;
    }
    pfw::ChangeSet cs;
    cs.baseHash = m_ruleset->hash; // the version on screen: a stale change set is refused, naming what changed
    cs.changes = changes;
    const pfw::Ruleset current = *m_ruleset;
    QPointer<FirewallView> self(this);
    const QString node = m_node;
    m_rollbackNotice.clear();
    setNotice(tr("Checking the change on %1…").arg(node), false);
    c->call(methods::FirewallCheck, pfw::CheckParams{cs},
            std::function<void(const Expected<pfw::CheckResult>&)>([self, node, cs, current](const Expected<pfw::CheckResult>& r) {
                if (!self || self->m_node != node) {
                    return;
                }
                if (!r) {
                    self->setNotice(tr("Not checked: %1").arg(q(r.error().message)), true);
                    return;
                }
                if (!r->ok) {
                    self->setNotice(tr("nft refused the change (nothing changed):\n%1").arg(q(r->error).trimmed()), true);
                    return;
                }
                self->setNotice({}, false);
                // The preview is modal: open it outside the client's answer.
                QTimer::singleShot(0, self, [self, node, cs, current, result = *r] {
                    if (self && self->m_node == node) {
                        self->preview(node, cs, current, result);
                    }
                });
            }));
}

void FirewallView::preview(const QString& node, const pfw::ChangeSet& cs, const pfw::Ruleset& current,
                           const pfw::CheckResult& r)
{
    std::vector<console::fw::Finding> findings;
    if (r.after) {
        const auto facts = console::fw::factsFromModel(m_session->model(), current);
        findings = console::fw::lint(*r.after, console::fw::neededPackets(facts, node.toStdString()));
    }
    fw::ChangePreviewDialog dialog(node, r, findings, this);
    QPointer<FirewallView> self(this);
    if (Modal::exec(dialog) != QDialog::Accepted || !self || m_node != node) {
        return;
    }
    std::vector<std::string> texts;
    for (const auto& f : findings) {
        texts.push_back(f.text());
    }
    if (!r.after) {
        texts.push_back("no preview: " + r.previewError);
    }
    apply(cs, dialog.confirmWithin(), dialog.forced(), std::move(texts));
}

void FirewallView::apply(const pfw::ChangeSet& changes, int confirmWithin, bool force, std::vector<std::string> findings)
{
    auto* c = client();
    if (c == nullptr) {
        return;
    }
    pfw::ApplyParams ap;
    ap.changes = changes;
    ap.confirmWithin = confirmWithin;
    ap.force = force;
    ap.lintFindings = std::move(findings);
    QPointer<FirewallView> self(this);
    const QString node = m_node;
    auto sent = std::make_shared<console::AgentClient::RequestId>(0);
    const quint64 token = ++m_applyToken;
    m_applying = true;
    m_applyNode = node;
    m_heldApplied.reset();
    *sent = c->call(methods::FirewallApply, ap,
                    std::function<void(const Expected<pfw::ApplyResult>&)>(
                        [self, node, sent, token](const Expected<pfw::ApplyResult>& r) {
                            if (!self || self->m_applyToken != token) {
                                return; // the tab moved on to another session
                            }
                            self->m_applying = false;
                            auto held = std::move(self->m_heldApplied);
                            self->m_heldApplied.reset();
                            if (held && node == self->m_node && (!r || held->id != r->pending.id)) {
                                self->setOtherPending(std::move(held)); // another's, or ours whose answer was lost
                            }
                            if (!r && console::mayHaveRun(*sent, r.error())) {
                                self->setNotice(
                                    tr("No answer from %1 to the change (%2): it may be live. If it is, it shows here "
                                       "as pending once the link is back, and the agent rolls it back unless it is "
                                       "confirmed.")
                                        .arg(node, q(r.error().message)),
                                    true);
                                return;
                            }
                            if (!r) {
                                self->setNotice(tr("Not applied on %1: %2").arg(node, q(r.error().message)), true);
                                return;
                            }
                            self->m_pending = r->pending;
                            self->m_pendingNode = node;
                            self->m_freshError.clear();
                            // The agent's own deadline, counted here from now: clocks of console and node may differ.
                            self->m_deadline = QDateTime::currentDateTimeUtc().addSecs(r->pending.confirmWithin);
                            self->setNotice({}, false);
                            self->m_countdown->setVisible(true);
                            self->tick();
                            self->m_tick->start();
                            self->updateActions();
                            emit self->changeApplied(q(r->pending.id));
                            self->confirmFresh();
                        }));
}

void FirewallView::confirmFresh()
{
    if (!m_pending || m_session == nullptr) {
        return;
    }
    // A connection of its own, a new SSH session: proof that the new rules still let the console in.
    console::ClusterInventory inv = m_session->inventory();
    inv.nodes.clear();
    if (const auto* spec = m_session->inventory().node(m_pendingNode)) {
        inv.nodes.push_back(*spec);
    }
    console::ConnectionPoolOptions opts;
    opts.client.clientName = QStringLiteral("hadeck-confirm");
    opts.connectTimeoutMs = 10000;
    m_fresh = std::make_unique<console::ConnectionPool>(inv, m_session->prompter(), opts);
    m_confirmInFlight = false;
    const std::string id = m_pending->id;
    const QString node = m_pendingNode;
    auto* pool = m_fresh.get();
    connect(pool, &console::ConnectionPool::nodeStateChanged, this,
            [this, pool, id, node](const QString&, console::NodeState state, const QString& error) {
                if (m_fresh.get() != pool || !m_pending || m_pending->id != id) {
                    return;
                }
                if (state == console::NodeState::Unreachable || state == console::NodeState::Refused) {
                    m_freshError = error;
                    tick();
                    // Past the deadline too: once the agent rolled back, this connection gets in and
                    // learns so, even when the console's own connection is still waiting to reconnect.
                    if (QDateTime::currentDateTimeUtc() < m_deadline.addSecs(kOutcomeWaitS)) {
                        QTimer::singleShot(2000, pool, [pool, node] { pool->retry(node); });
                    }
                    return;
                }
                if (state != console::NodeState::Online) {
                    return;
                }
                sendConfirm(pool, node, id);
            });
    pool->connectAll();
}

void FirewallView::sendConfirm(console::ConnectionPool* pool, const QString& node, const std::string& id)
{
    auto* c = pool->client(node);
    if (c == nullptr || m_confirmInFlight) {
        return;
    }
    m_confirmInFlight = true;
    c->call(methods::FirewallConfirm, pfw::ConfirmParams{id},
            std::function<void(const Expected<pfw::ConfirmResult>&)>([this, pool, id,
                                                                      node](const Expected<pfw::ConfirmResult>& r) {
                if (m_fresh.get() != pool || !m_pending || m_pending->id != id) {
                    return;
                }
                m_confirmInFlight = false;
                if (!r) {
                    // A refusal after the link came up; the first reason why it could not get in stays.
                    if (m_freshError.isEmpty()) {
                        m_freshError = QDateTime::currentDateTimeUtc() >= m_deadline
                                           ? tr("it got through only after the deadline")
                                           : q(r.error().message);
                    }
                    tick();
                    // Whatever the reason (too late, rolled back meanwhile, a lost answer):
                    // ask the agent what became of the change; while it is still live and
                    // the deadline not passed, that confirms again.
                    askOutcome(pool, node, id);
                    return;
                }
                setNotice(tr("Confirmed change %1 on %2 over a new connection; saved to %3%4")
                              .arg(q(r->id), node, q(r->persistedTo),
                                   r->backup.empty() ? QString() : tr(" (previous file kept as %1)").arg(q(r->backup))),
                          false);
                if (node == m_node && (!m_ruleset || m_ruleset->hash != r->hash)) {
                    m_awaitHash = r->hash; // until the refresh below shows it
                }
                finishPending();
                refresh();
                emit changeConfirmed(q(id));
            }));
}

void FirewallView::tick()
{
    if (m_other) {
        const qint64 left = secondsLeft(*m_other);
        const QString user = userOf(*m_other);
        m_otherText->setText(
            left > 0
                ? tr("Change %1 by %2 is live on %3 and waits for its confirmation: the agent rolls it back in %n s "
                     "(by the node's clock) unless it is kept.",
                     nullptr, int(left))
                      .arg(q(m_other->id), user, m_node)
                : tr("Change %1 by %2 on %3 was not confirmed in time: waiting for the agent's rollback…")
                      .arg(q(m_other->id), user, m_node));
    }
    if (!m_pending) {
        return;
    }
    const qint64 left = std::max<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(m_deadline));
    QString text = left > 0 ? tr("Change %1 on %2 is live: confirming it over a new connection. The agent rolls it back in %n s "
                                 "unless confirmed.",
                                 nullptr, int(left))
                                  .arg(q(m_pending->id), m_pendingNode)
                            : tr("Change %1 on %2 was not confirmed in time: waiting for the agent's rollback…")
                                  .arg(q(m_pending->id), m_pendingNode);
    if (!m_freshError.isEmpty()) {
        text += QLatin1Char('\n') + tr("The new connection cannot get in: %1").arg(m_freshError);
    }
    m_countdown->setText(text);
}

void FirewallView::finishPending()
{
    m_pending.reset();
    if (!m_other) {
        m_tick->stop();
    }
    m_countdown->setVisible(false);
    if (m_fresh) {
        m_fresh.release()->deleteLater(); // may be inside one of its own signals
    }
    m_confirmInFlight = false;
    updateActions();
}

void FirewallView::rollbackToConfirmed()
{
    auto* c = client();
    if (c == nullptr) {
        return;
    }
    if (Modal::question(this, tr("Roll back the firewall"),
                        tr("Restore the last confirmed ruleset of %1 (its persisted file)?").arg(m_node),
                        QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes) {
        return;
    }
    m_rollbackNotice.clear();
    QPointer<FirewallView> self(this);
    const QString node = m_node;
    c->call(methods::FirewallRollback, pfw::RollbackParams{},
            std::function<void(const Expected<pfw::RollbackResult>&)>([self, node](const Expected<pfw::RollbackResult>& r) {
                if (!self) {
                    return;
                }
                if (!r) {
                    self->setNotice(tr("Not rolled back: %1").arg(q(r.error().message)), true);
                    return;
                }
                self->setNotice(tr("%1: restored %2").arg(node, q(r->restoredFrom)), false);
                if (node == self->m_node && (!self->m_ruleset || self->m_ruleset->hash != r->hash)) {
                    self->m_awaitHash = r->hash;
                    self->updateActions();
                }
                self->refresh();
            }));
}

} // namespace hadeck::ui
