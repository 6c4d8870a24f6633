#include "firewall/rulecopy.h"
#include "style/plaintext.h"

#include "app/clustersession.h"
#include "firewall/firewalldialogs.h"
#include "hadeck/console/agentclient.h"
#include "hadeck/console/connectionpool.h"
#include "hadeck/console/firewall/clusterfacts.h"
#include "hadeck/console/firewall/lint.h"
#include "hadeck/console/model/clustermodel.h"
#include "hadeck/protocol/methods.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHash>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace hadeck::ui::fw {

namespace {
namespace pfw = proto::fw;
namespace methods = proto::methods;
QString q(const std::string& s) { return QString::fromStdString(s); }
} // namespace

QStringList sameRoleNodes(const console::ClusterModel& model, const QString& node)
{
    QStringList out;
    const auto* self = model.node(node);
    if (self == nullptr) {
        return out;
    }
    const auto roles = self->roles();
    for (const auto* n : model.nodes()) {
        if (n->name == node) {
            continue;
        }
        const bool shares = std::any_of(roles.begin(), roles.end(), [n](proto::Role r) { return n->hasRole(r); });
        if (shares) {
            out << n->name;
        }
    }
    return out;
}

pfw::Change copyOf(const pfw::Rule& rule)
{
    pfw::Change c;
    c.op = pfw::ChangeOp::AddRule;
    c.family = rule.family;
    c.table = rule.table;
    c.chain = rule.chain;
    c.rule = rule.text; // as nft lists it, without counter values or handle
    return c;
}

// --- RuleCopyJob ---

RuleCopyJob::RuleCopyJob(ClusterSession* session, pfw::Change change, QStringList nodes, int confirmWithin,
                         QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_change(std::move(change))
    , m_nodes(std::move(nodes))
    , m_confirmWithin(confirmWithin)
{}

RuleCopyJob::~RuleCopyJob() = default;

void RuleCopyJob::start()
{
    m_index = -1;
    next();
}

void RuleCopyJob::next()
{
    if (m_fresh) {
        m_fresh.release()->deleteLater(); // may be inside one of its own signals
    }
    ++m_index;
    if (m_index >= m_nodes.size()) {
        emit finished();
        return;
    }
    const QString node = m_nodes[m_index];
    auto* c = m_session && m_session->pool() != nullptr ? m_session->pool()->callable(node) : nullptr;
    if (c == nullptr) {
        done(Outcome::Failed, tr("not connected: nothing changed"));
        return;
    }
    emit progress(node, tr("reading its ruleset…"));
    QPointer<RuleCopyJob> self(this);
    c->call(methods::FirewallShow, proto::Empty{},
            std::function<void(const Expected<pfw::Ruleset>&)>([self](const Expected<pfw::Ruleset>& rs) {
                if (!self) {
                    return;
                }
                if (!rs) {
                    self->done(Outcome::Failed, tr("cannot read its firewall: %1").arg(q(rs.error().message)));
                    return;
                }
                self->check(*rs);
            }));
}

void RuleCopyJob::done(Outcome outcome, const QString& text)
{
    const QString node = m_nodes.value(m_index);
    emit nodeDone(node, outcome, text);
    // The next node after this answer has unwound.
    QMetaObject::invokeMethod(this, &RuleCopyJob::next, Qt::QueuedConnection);
}

void RuleCopyJob::check(const pfw::Ruleset& current)
{
    const QString node = m_nodes[m_index];
    if (current.findChain(m_change.family, m_change.table, m_change.chain) == nullptr) {
        done(Outcome::Refused, tr("it has no chain %1 %2 %3: nothing changed")
                                   .arg(q(m_change.family), q(m_change.table), q(m_change.chain)));
        return;
    }
    pfw::ChangeSet cs;
    cs.baseHash = current.hash; // this node's own version
    cs.changes.push_back(m_change);
    auto* c = m_session->pool()->client(node);
    if (c == nullptr) {
        done(Outcome::Failed, tr("not connected: nothing changed"));
        return;
    }
    emit progress(node, tr("checking (nft dry run and lockout lint)…"));
    QPointer<RuleCopyJob> self(this);
    c->call(
        methods::FirewallCheck, pfw::CheckParams{cs},
        std::function<void(const Expected<pfw::CheckResult>&)>([self, cs, current,
                                                                node](const Expected<pfw::CheckResult>& r) {
            if (!self || !self->m_session) {
                return;
            }
            if (!r) {
                self->done(Outcome::Failed, tr("not checked: %1").arg(q(r.error().message)));
                return;
            }
            if (!r->ok) {
                self->done(Outcome::Refused,
                           tr("nft refused the rule (nothing changed): %1").arg(q(r->error).trimmed()));
                return;
            }
            if (!r->after) {
                self->done(Outcome::Blocked,
                           tr("no preview of the new ruleset (%1): the lint cannot judge it, so it was not applied")
                               .arg(q(r->previewError)));
                return;
            }
            const auto facts = console::fw::factsFromModel(self->m_session->model(), current);
            const auto findings = console::fw::lint(*r->after, console::fw::neededPackets(facts, node.toStdString()));
            if (!findings.empty()) {
                QStringList texts;
                for (const auto& f : findings) {
                    texts << ChangePreviewDialog::explain(f);
                }
                self->done(Outcome::Blocked, tr("not applied: the lockout lint found %n blocked packet(s):", nullptr,
                                                int(findings.size())) +
                                                 QLatin1Char('\n') + texts.join(QLatin1Char('\n')));
                return;
            }
            self->apply(cs, {});
        }));
}

void RuleCopyJob::apply(const pfw::ChangeSet& cs, std::vector<std::string> findings)
{
    const QString node = m_nodes[m_index];
    auto* c = m_session->pool()->client(node);
    if (c == nullptr) {
        done(Outcome::Failed, tr("not connected: nothing changed"));
        return;
    }
    pfw::ApplyParams ap;
    ap.changes = cs;
    ap.confirmWithin = m_confirmWithin;
    ap.force = false;
    ap.lintFindings = std::move(findings);
    emit progress(node, tr("applying (rolled back in %n s unless confirmed)…", nullptr, m_confirmWithin));
    QPointer<RuleCopyJob> self(this);
    auto sent = std::make_shared<console::AgentClient::RequestId>(0);
    *sent = c->call(
        methods::FirewallApply, ap,
        std::function<void(const Expected<pfw::ApplyResult>&)>(
            [self, sent, within = m_confirmWithin](const Expected<pfw::ApplyResult>& r) {
                if (!self) {
                    return;
                }
                if (!r && console::mayHaveRun(*sent, r.error())) {
                    self->done(Outcome::Failed,
                               tr("no answer to the apply (%1): it may be live; if it is, the Firewall tab shows it as "
                                  "pending and the agent rolls it back within %n s unless it is confirmed",
                                  nullptr, within)
                                   .arg(q(r.error().message)));
                    return;
                }
                if (!r) {
                    self->done(Outcome::Failed, tr("not applied: %1").arg(q(r.error().message)));
                    return;
                }
                self->confirm(r->pending);
            }));
}

void RuleCopyJob::confirm(const pfw::Pending& pending)
{
    const QString node = m_nodes[m_index];
    emit progress(node, tr("change %1 is live: confirming it over a new connection…").arg(q(pending.id)));
    // A connection of its own: proof that the new rules still let the console in.
    console::ClusterInventory inv = m_session->inventory();
    inv.nodes.clear();
    if (const auto* spec = m_session->inventory().node(node)) {
        inv.nodes.push_back(*spec);
    }
    console::ConnectionPoolOptions opts;
    opts.client.clientName = QStringLiteral("hadeck-confirm");
    opts.connectTimeoutMs = 10000;
    m_fresh = std::make_unique<console::ConnectionPool>(inv, m_session->prompter(), opts);
    auto* pool = m_fresh.get();
    const std::string id = pending.id;
    const int within = pending.confirmWithin;
    // One confirm per change: a Degraded -> Online flap of the new connection sends no second one.
    auto sent = std::make_shared<bool>(false);
    connect(
        pool, &console::ConnectionPool::nodeStateChanged, this,
        [this, pool, id, node, within, sent](const QString&, console::NodeState state, const QString& error) {
            if (m_fresh.get() != pool || *sent) {
                return;
            }
            if (state == console::NodeState::Unreachable || state == console::NodeState::Refused) {
                done(Outcome::NotConfirmed, tr("change %1 applied but a new connection cannot get in (%2): the agent "
                                               "rolls it back within %n s",
                                               nullptr, within)
                                                .arg(q(id), error));
                return;
            }
            if (state != console::NodeState::Online) {
                return;
            }
            *sent = true;
            pool->client(node)->call(
                methods::FirewallConfirm, pfw::ConfirmParams{id},
                std::function<void(const Expected<pfw::ConfirmResult>&)>([this, pool,
                                                                          id](const Expected<pfw::ConfirmResult>& r) {
                    if (m_fresh.get() != pool) {
                        return;
                    }
                    if (!r) {
                        done(Outcome::NotConfirmed,
                             tr("change %1 not confirmed (%2): the agent rolls it back at its deadline")
                                 .arg(q(id), q(r.error().message)));
                        return;
                    }
                    done(Outcome::Confirmed,
                         tr("confirmed change %1 over a new connection; saved to %2").arg(q(r->id), q(r->persistedTo)));
                }));
        });
    pool->connectAll();
}

// --- RuleCopyDialog ---

RuleCopyDialog::RuleCopyDialog(ClusterSession* session, const QString& sourceNode, const pfw::Rule& rule,
                               QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_change(copyOf(rule))
{
    setObjectName(QStringLiteral("firewallRuleCopy"));
    setWindowTitle(tr("Copy a rule to nodes of the same role"));
    resize(760, 520);
    auto* layout = new QVBoxLayout(this);
    auto* what = new QLabel(
        tr("Rule of %1, chain %2 %3 %4:").arg(sourceNode, q(rule.family), q(rule.table), q(rule.chain)), this);
    what->setTextFormat(Qt::PlainText);
    layout->addWidget(what);
    auto* text = new QLabel(q(rule.text), this);
    text->setTextFormat(Qt::PlainText);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(text);
    auto* how =
        new QLabel(tr("Each node gets a change of its own: checked by nft, judged by the lockout lint for that node, "
                      "applied and confirmed over a new connection, one node after the other. A node where the lint "
                      "finds a blocked packet is left unchanged."),
                   this);
    how->setWordWrap(true);
    layout->addWidget(how);

    m_nodes = new QListWidget(this);
    m_nodes->setObjectName(QStringLiteral("copyNodes"));
    const auto* src = session->model().node(sourceNode);
    QStringList roleNames;
    if (src != nullptr) {
        for (const auto r : src->roles()) {
            roleNames << console::roleName(r);
        }
    }
    for (const auto& n : sameRoleNodes(session->model(), sourceNode)) {
        auto* item = new QListWidgetItem(n, m_nodes);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    layout->addWidget(new QLabel(
        roleNames.isEmpty()
            ? tr("%1 reports no role: there is no node to copy to.").arg(sourceNode)
            : tr("Nodes that share a role with %1 (%2):").arg(sourceNode, roleNames.join(QStringLiteral(", "))),
        this));
    layout->addWidget(m_nodes, 1);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Roll back each unless confirmed within"), this));
    m_seconds = new QSpinBox(this);
    m_seconds->setRange(pfw::kConfirmMin, pfw::kConfirmMax);
    m_seconds->setValue(pfw::kConfirmDefault);
    m_seconds->setSuffix(tr(" s"));
    row->addWidget(m_seconds);
    row->addStretch(1);
    layout->addLayout(row);

    m_results = new QTreeWidget(this);
    m_results->setObjectName(QStringLiteral("copyResults"));
    m_results->setColumnCount(2);
    m_results->setHeaderLabels({tr("Node"), tr("Result")});
    m_results->setRootIsDecorated(false);
    m_results->setWordWrap(true);
    m_results->header()->setStretchLastSection(true);
    m_results->setColumnWidth(0, 120);
    layout->addWidget(m_results, 2);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Close, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Copy"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_nodes->count() > 0);
    connect(m_buttons->button(QDialogButtonBox::Ok), &QPushButton::clicked, this, &RuleCopyDialog::startCopy);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &RuleCopyDialog::reject);
    layout->addWidget(m_buttons);
}

RuleCopyDialog::~RuleCopyDialog() = default;

void RuleCopyDialog::reject()
{
    // The job is the dialog's child: closing here would destroy it mid-copy, and a node
    // applied but not yet confirmed would be rolled back by its agent with no result shown.
    if (m_job != nullptr && m_job->running()) {
        return;
    }
    QDialog::reject();
}

void RuleCopyDialog::startCopy()
{
    QStringList chosen;
    for (int i = 0; i < m_nodes->count(); ++i) {
        if (m_nodes->item(i)->checkState() == Qt::Checked) {
            chosen << m_nodes->item(i)->text();
        }
    }
    if (chosen.isEmpty() || (m_job != nullptr && m_job->running())) {
        return;
    }
    m_results->clear();
    m_finished = false;
    QHash<QString, QTreeWidgetItem*> rows;
    for (const auto& n : chosen) {
        auto* item = new QTreeWidgetItem(m_results, {n, tr("waiting")});
        rows.insert(n, item);
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_buttons->button(QDialogButtonBox::Close)->setEnabled(false);
    m_nodes->setEnabled(false);
    m_seconds->setEnabled(false);
    delete m_job;
    m_job = new RuleCopyJob(m_session, m_change, chosen, m_seconds->value(), this);
    auto counts = std::make_shared<std::pair<int, int>>(0, 0); // confirmed, not
    connect(m_job, &RuleCopyJob::progress, this, [rows](const QString& node, const QString& text) {
        if (auto* item = rows.value(node)) {
            item->setText(1, text);
        }
    });
    connect(m_job, &RuleCopyJob::nodeDone, this,
            [this, rows, counts](const QString& node, RuleCopyJob::Outcome outcome, const QString& text) {
                auto* item = rows.value(node);
                if (item == nullptr) {
                    return;
                }
                const bool ok = outcome == RuleCopyJob::Outcome::Confirmed;
                (ok ? counts->first : counts->second) += 1;
                item->setText(1, text);
                item->setToolTip(1, plainToolTip(text));
                item->setIcon(0,
                              style()->standardIcon(ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxWarning));
                item->setData(0, Qt::UserRole, static_cast<int>(outcome));
            });
    connect(m_job, &RuleCopyJob::finished, this, [this, counts] {
        m_finished = true;
        m_summary->setText(
            tr("Copied and confirmed on %1 of %2 node(s).").arg(counts->first).arg(counts->first + counts->second));
        m_buttons->button(QDialogButtonBox::Close)->setEnabled(true);
        emit copyFinished();
    });
    m_job->start();
}

} // namespace hadeck::ui::fw
