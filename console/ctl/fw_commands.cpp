// hadeckctl fw: the node's nftables firewall, seen and changed safely.
//   fw show NODE [--json]          the ruleset, with counters
//   fw pending NODE                the change waiting for confirmation
//   fw check|diff NODE FILE|--add-rule RULE --chain FAMILY/TABLE/CHAIN
//                                  dry run + preview: nft's error, or the diff and the lockout lint
//   fw apply NODE FILE|--add-rule ... [--confirm-within 60] [--force]
//                                  lint, apply commit-confirmed, confirm over a fresh connection
//        the change may also be --policy accept|drop --chain F/T/C, or
//        --add-element E / --delete-element E --set F/T/SET (each repeatable)
//        --no-confirm: leave it pending (fw confirm NODE ID keeps it; else the agent rolls it back)
//        --same-role: NODE and every node sharing one of its roles, each with a change set of
//        its own (made against its own ruleset), checked, linted and confirmed on its own
//   fw confirm NODE ID             confirm over a fresh connection
//   fw rollback NODE [ID]          roll back the pending change, or to the last confirmed ruleset

#include "commands.h"
#include "ctl_tr.h"

#include <hadeck/console/agentclient.h>
#include <hadeck/console/connectionpool.h>
#include <hadeck/console/credentialprompter.h>
#include <hadeck/console/firewall/clusterfacts.h>
#include <hadeck/console/firewall/lint.h>
#include <hadeck/console/firewall/linttext.h>
#include <hadeck/console/model/clustermodel.h>
#include <hadeck/protocol/methods.h>

#include "terminalprompter.h"
#include "textout.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace hadeck::ctl {

namespace {

namespace pfw = proto::fw;
namespace methods = proto::methods;

void out(const QString& text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

void err(const QString& text)
{
    std::fputs(text.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
}

/// A node's string for the terminal: control characters and bidi overrides shown as escapes
/// (newlines kept: nft's errors and listings span lines).
QString q(const std::string& s) { return ctl::terminalSafe(QString::fromStdString(s), true); }
/// --json output: every non-ASCII character and control escaped by the JSON encoder itself.
QString jsonText(const rpc::Json& j) { return QString::fromStdString(j.dump(2, ' ', true)) + QLatin1Char('\n'); }

/// One connection (its own SSH session) to the nodes of @p names.
class Link {
public:
    Link(const Context& ctx, const QStringList& names)
    {
        console::ClusterInventory inv = ctx.inventory;
        inv.nodes.clear();
        for (const auto& n : ctx.inventory.nodes) {
            if (names.contains(n.name)) {
                inv.nodes.push_back(n);
            }
        }
        m_prompter = commandPrompter(ctx.batch);
        console::ConnectionPoolOptions opts;
        opts.client.clientName = QStringLiteral("hadeckctl");
        opts.connectTimeoutMs = ctx.timeoutSeconds * 1000;
        m_pool = std::make_unique<console::ConnectionPool>(inv, m_prompter.get(), opts);
        QEventLoop loop;
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(m_pool.get(), &console::ConnectionPool::settled, &loop, &QEventLoop::quit);
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        deadline.start(ctx.timeoutSeconds * 1000);
        m_pool->connectAll();
        if (!m_pool->allSettled()) {
            loop.exec();
        }
    }

    console::AgentClient* client(const QString& node) const { return m_pool->callable(node); }
    console::ConnectionPool& pool() { return *m_pool; }

    /// Calls @p spec and waits for the answer. @p sent, when given, is the request's id (0: not sent).
    template <typename Spec>
    Expected<typename Spec::Result> call(const QString& node, const Spec& spec, const typename Spec::Params& params,
                                         int timeoutMs = 60000, console::AgentClient::RequestId* sent = nullptr)
    {
        auto* c = client(node);
        if (!c) {
            return fail(Ctl::tr("%1 is not online: %2").arg(node, m_pool->lastError(node)).toStdString(), rpc::Disconnected);
        }
        std::optional<Expected<typename Spec::Result>> result;
        QEventLoop loop;
        const auto id = c->call(
            spec, params,
            std::function<void(const Expected<typename Spec::Result>&)>([&](const Expected<typename Spec::Result>& r) {
                result = r;
                loop.quit();
            }),
            timeoutMs);
        if (sent != nullptr) {
            *sent = id;
        }
        if (!result) {
            loop.exec();
        }
        return std::move(*result);
    }

private:
    std::unique_ptr<console::CredentialPrompter> m_prompter;
    std::unique_ptr<console::ConnectionPool> m_pool;
};

/// The change set from FILE (raw nft text) or --add-rule/--chain.
std::optional<pfw::ChangeSet> changeSetFrom(const Context& ctx, const QStringList& rest, QString* error)
{
    pfw::ChangeSet cs;
    if (!rest.isEmpty()) {
        QFile f(rest.first());
        if (!f.open(QIODevice::ReadOnly)) {
            *error = Ctl::tr("cannot read %1: %2").arg(rest.first(), f.errorString());
            return std::nullopt;
        }
        pfw::Change c;
        c.op = pfw::ChangeOp::Raw;
        c.text = f.readAll().toStdString();
        cs.changes.push_back(c);
    }
    const QStringList parts = ctx.fwChain.split(QLatin1Char('/'));
    if ((!ctx.fwAddRules.isEmpty() || !ctx.fwPolicy.isEmpty()) && parts.size() != 3) {
        *error = Ctl::tr("--add-rule and --policy need --chain FAMILY/TABLE/CHAIN, e.g. inet/filter/input");
        return std::nullopt;
    }
    for (const auto& r : ctx.fwAddRules) {
        pfw::Change c;
        c.op = pfw::ChangeOp::AddRule;
        c.family = parts[0].toStdString();
        c.table = parts[1].toStdString();
        c.chain = parts[2].toStdString();
        c.rule = r.toStdString();
        cs.changes.push_back(c);
    }
    if (!ctx.fwPolicy.isEmpty()) {
        pfw::Change c;
        c.op = pfw::ChangeOp::SetPolicy;
        c.family = parts[0].toStdString();
        c.table = parts[1].toStdString();
        c.chain = parts[2].toStdString();
        c.policy = ctx.fwPolicy.toStdString();
        cs.changes.push_back(c);
    }
    if (!ctx.fwAddElements.isEmpty() || !ctx.fwDeleteElements.isEmpty()) {
        const QStringList set = ctx.fwSet.split(QLatin1Char('/'));
        if (set.size() != 3) {
            *error = Ctl::tr("--add-element and --delete-element need --set FAMILY/TABLE/SET, e.g. inet/filter/admins");
            return std::nullopt;
        }
        for (const auto* list : {&ctx.fwAddElements, &ctx.fwDeleteElements}) {
            if (list->isEmpty()) {
                continue;
            }
            pfw::Change c;
            c.op = list == &ctx.fwAddElements ? pfw::ChangeOp::AddElements : pfw::ChangeOp::DeleteElements;
            c.family = set[0].toStdString();
            c.table = set[1].toStdString();
            c.set = set[2].toStdString();
            for (const auto& e : *list) {
                c.elements.push_back(e.trimmed().toStdString());
            }
            cs.changes.push_back(c);
        }
    }
    // Checked here too (names, policy, elements), so a bad option is a usage error before any connection.
    if (!cs.changes.empty()) {
        if (auto script = pfw::toNftScript(cs); !script) {
            *error = q(script.error().message);
            return std::nullopt;
        }
    }
    if (cs.changes.empty()) {
        *error =
            Ctl::tr("give a FILE of nft commands, --add-rule RULE --chain FAMILY/TABLE/CHAIN, --policy POLICY --chain "
                    "FAMILY/TABLE/CHAIN, or --add-element/--delete-element ELEMENT --set FAMILY/TABLE/SET");
        return std::nullopt;
    }
    return cs;
}

/// What the lint knows of the cluster, from a live model fed by this link: the roles
/// each agent reported, the virtual services from the directors' IPVS tables, and the
/// console as the node sees it.
/// @p unknown: the directors whose IPVS table is missing (offline, or no snapshot in time).
console::fw::ClusterFacts factsFrom(Link& link, const Context& ctx, const pfw::Ruleset& current, QStringList* unknown)
{
    console::ClusterModel model(ctx.inventory.name);
    model.setTickInterval(0);
    QStringList waiting;
    std::vector<std::pair<console::AgentClient*, console::AgentClient::SubscriptionId>> subs;
    for (const auto& n : ctx.inventory.nodes) {
        std::vector<proto::Role> hints;
        for (const auto& r : n.roles) {
            if (auto role = proto::roleFromString(r.toStdString())) {
                hints.push_back(*role);
            }
        }
        model.addNode(n.name, n.address, hints);
        if (auto h = link.pool().hello(n.name)) {
            model.setHello(n.name, *h);
        }
        const auto h = link.pool().hello(n.name);
        const bool director = h && std::find(h->roles.begin(), h->roles.end(), proto::Role::Director) != h->roles.end();
        if (!h && std::find(hints.begin(), hints.end(), proto::Role::Director) != hints.end()) {
            // Not silent: without it the lint knows none of its virtual services (VIP, health
            // checks, the gateway's forward path) and cannot find them blocked.
            err(Ctl::tr("no IPVS table from %1 (not online: %2): the lint does not know its virtual services\n")
                    .arg(n.name, link.pool().lastError(n.name)));
            *unknown << n.name;
        }
        if (auto* c = link.client(n.name); c && director) {
            // The ipvs topic answers with its snapshot at once.
            waiting << n.name;
            subs.emplace_back(c, c->subscribe({console::topicName(proto::topic::Ipvs)}, [&model, &waiting, name = n.name](const QString&, const rpc::Json& params) {
                if (model.applyStateDelta(name, params)) {
                    waiting.removeAll(name);
                }
            }));
        }
    }
    if (!waiting.isEmpty()) {
        QEventLoop loop;
        QTimer poll;
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (waiting.isEmpty()) {
                loop.quit();
            }
        });
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        poll.start(20);
        deadline.start(ctx.timeoutSeconds * 1000);
        loop.exec();
    }
    for (const auto& [c, id] : subs) {
        c->unsubscribe(id); // the handlers refer to this frame
    }
    for (const auto& n : waiting) {
        err(Ctl::tr("no IPVS table from %1: the lint does not know its virtual services\n").arg(n));
        *unknown << n;
    }
    model.flush();
    return console::fw::factsFromModel(model, current);
}

void printRuleset(const pfw::Ruleset& rs)
{
    for (const auto& t : rs.tables) {
        out(QStringLiteral("table %1 %2%3\n").arg(q(t.family), q(t.name),
                                                 t.iptablesNft ? Ctl::tr("  (owned by iptables-nft: edit with iptables)") : QString()));
        for (const auto& c : rs.chains) {
            if (c.family != t.family || c.table != t.name) {
                continue;
            }
            out(c.isBase() ? QStringLiteral("  chain %1  (%2 hook %3 priority %4, policy %5)\n")
                                 .arg(q(c.name), q(c.type), q(c.hook))
                                 .arg(c.priority.value_or(0))
                                 .arg(q(c.policy))
                           : QStringLiteral("  chain %1\n").arg(q(c.name)));
            for (const auto* r : rs.rulesOf(c)) {
                QString counter;
                if (r->counter) {
                    counter = Ctl::tr("  [%1 packets, %2 bytes]").arg(r->counter->packets).arg(r->counter->bytes);
                }
                out(QStringLiteral("    #%1  %2%3\n").arg(r->handle).arg(q(r->text), counter));
            }
        }
        for (const auto& s : rs.sets) {
            if (s.family == t.family && s.table == t.name) {
                QStringList elems;
                for (const auto& e : s.elementTexts) {
                    elems << q(e);
                }
                out(QStringLiteral("  %1 %2 { %3 }\n").arg(s.isMap ? QStringLiteral("map") : QStringLiteral("set"), q(s.name),
                                                           elems.join(QStringLiteral(", "))));
            }
        }
    }
    if (rs.legacy.present) {
        out(Ctl::tr("iptables-legacy (read-only): %1\n").arg(q(rs.legacy.note)));
        out(q(rs.legacy.saveText));
    }
    out(Ctl::tr("hash %1\n").arg(q(rs.hash)));
}

int failWith(const Failure& f)
{
    err(Ctl::tr("hadeckctl fw: %1\n").arg(q(f.message)));
    return f.code == rpc::Disconnected ? ExitNotOnline : f.code == rpc::PermissionDenied ? ExitRefused : ExitActionFailed;
}

/// How long a change's apply or confirm is awaited: --timeout, and at least 10 s (a healthy one
/// answers in well under a second).
int changeTimeoutMs(const Context& ctx) { return std::max(ctx.actionTimeoutSeconds, 10) * 1000; }

int printConfirmed(const pfw::ConfirmResult& r)
{
    out(Ctl::tr("confirmed %1 over a new connection; persisted to %2%3\n")
            .arg(q(r.id), q(r.persistedTo),
                 r.backup.empty() ? QString() : Ctl::tr(" (previous kept as %1)").arg(q(r.backup))));
    return ExitOk;
}

/// The confirm of @p id went out and its answer never came: whether the change still waits is
/// asked over a connection of its own.
int confirmAnswerLost(const Context& ctx, const QString& node, const std::string& id, const Failure& f)
{
    err(Ctl::tr("hadeckctl fw: no answer from %1 to the confirm of %2 (%3): it may have been kept\n")
            .arg(node, q(id), q(f.message)));
    Link fresh(ctx, {node});
    auto p = fresh.call(node, methods::FirewallPending, proto::Empty{}, ctx.actionTimeoutSeconds * 1000);
    if (!p) {
        err(Ctl::tr("hadeckctl fw: cannot ask %1 over a new connection either (%2): hadeckctl fw pending %1 tells once "
                    "it answers; unconfirmed, the agent rolls the change back at its deadline\n")
                .arg(node, q(p.error().message)));
        return ExitNotOnline;
    }
    if (p->pending && p->id == id) {
        // Still waiting, and this connection got in: confirm over it.
        if (auto again = fresh.call(node, methods::FirewallConfirm, pfw::ConfirmParams{id}, changeTimeoutMs(ctx))) {
            return printConfirmed(*again);
        }
        out(Ctl::tr("%1: change %2 still waits for confirmation, rolled back at %3: hadeckctl fw confirm %1 %2 keeps it\n")
                .arg(node, q(id), QDateTime::fromSecsSinceEpoch(p->deadline).toString(Qt::ISODate)));
        return ExitActionFailed;
    }
    out(Ctl::tr("%1: change %2 no longer waits for confirmation: it was kept, or rolled back at its deadline "
                "(hadeckctl fw show %1 shows the rules in force)\n")
            .arg(node, q(id)));
    return ExitActionFailed;
}

/// Confirms @p id over a connection of its own: it proves the new rules still let us in.
int confirmFresh(const Context& ctx, const QString& node, const std::string& id)
{
    Link fresh(ctx, {node});
    console::AgentClient::RequestId sent = 0;
    auto r = fresh.call(node, methods::FirewallConfirm, pfw::ConfirmParams{id}, changeTimeoutMs(ctx), &sent);
    if (!r) {
        if (console::mayHaveRun(sent, r.error())) {
            return confirmAnswerLost(ctx, node, id, r.error());
        }
        err(Ctl::tr("hadeckctl fw: could not confirm over a new connection: %1\n").arg(q(r.error().message)));
        return r.error().code == rpc::Disconnected ? ExitNotOnline : ExitActionFailed;
    }
    return printConfirmed(*r);
}

/// The apply went out and its answer never came: whether the change is live is asked over a
/// connection of its own, and the admin is told how to keep it or end it.
int applyAnswerLost(const Context& ctx, const QString& node, const Failure& f)
{
    err(Ctl::tr("hadeckctl fw: no answer from %1 to the apply (%2): the change may be live\n").arg(node, q(f.message)));
    Link fresh(ctx, {node});
    auto p = fresh.call(node, methods::FirewallPending, proto::Empty{}, ctx.actionTimeoutSeconds * 1000);
    if (!p) {
        err(Ctl::tr("hadeckctl fw: cannot ask %1 over a new connection either (%2): if the change is live it may have "
                    "cut this console off; unconfirmed, the agent rolls it back at its deadline (--confirm-within)\n")
                .arg(node, q(p.error().message)));
        return ExitNotOnline;
    }
    if (!p->pending) {
        out(Ctl::tr("nothing is waiting for confirmation on %1: the change was not applied, or is rolled back "
                    "already\n")
                .arg(node));
        return ExitActionFailed;
    }
    out(Ctl::tr("%1: change %2 by %3 is live, rolled back at %4 unless confirmed: hadeckctl fw confirm %1 %2 keeps it, "
                "hadeckctl fw rollback %1 %2 ends it now\n")
            .arg(node, q(p->id), q(p->user), QDateTime::fromSecsSinceEpoch(p->deadline).toString(Qt::ISODate)));
    return ExitActionFailed;
}

/// The nodes other than @p node that share one of its roles (as their agents report them).
QStringList sameRoleNodes(Link& link, const Context& ctx, const QString& node)
{
    const auto roles = [&](const QString& name) {
        std::vector<proto::Role> out;
        if (auto h = link.pool().hello(name)) {
            out = h->roles;
        } else if (const auto* spec = ctx.inventory.node(name)) {
            for (const auto& r : spec->roles) {
                if (auto role = proto::roleFromString(r.toStdString())) {
                    out.push_back(*role);
                }
            }
        }
        return out;
    };
    const auto mine = roles(node);
    QStringList out;
    for (const auto& n : ctx.inventory.nodes) {
        if (n.name == node) {
            continue;
        }
        const auto theirs = roles(n.name);
        if (std::any_of(mine.begin(), mine.end(),
                        [&](proto::Role r) { return std::find(theirs.begin(), theirs.end(), r) != theirs.end(); })) {
            out << n.name;
        }
    }
    return out;
}

/// check, diff or apply of @p changes on one node, against that node's own ruleset.
int changeOne(const Context& ctx, Link& link, const QString& sub, const QString& node, pfw::ChangeSet changes)
{
    auto current = link.call(node, methods::FirewallShow, proto::Empty{});
    if (!current) {
        return failWith(current.error());
    }
    changes.baseHash = current->hash;
    auto checked = link.call(node, methods::FirewallCheck, pfw::CheckParams{changes});
    if (!checked) {
        return failWith(checked.error());
    }
    if (!checked->ok) {
        err(Ctl::tr("nft refused the change (nothing changed):\n%1").arg(q(checked->error)));
        return ExitActionFailed;
    }
    for (const auto& d : checked->diff) {
        out(q(d) + QLatin1Char('\n'));
    }
    std::vector<console::fw::Finding> findings;
    QString servicesUnknown;
    if (checked->after) {
        QStringList unknown;
        const auto facts = factsFrom(link, ctx, *current, &unknown);
        findings = console::fw::lint(*checked->after, console::fw::neededPackets(facts, node.toStdString()));
        // A director's table missing: the VIP, health-check and forward packets of this node are
        // not known, so they cannot be judged. That blocks like any "cannot judge".
        const auto self = std::find_if(facts.nodes.begin(), facts.nodes.end(), [&](const console::fw::ClusterNode& cn) {
            return cn.name == node.toStdString();
        });
        const bool needsServices =
            self != facts.nodes.end() &&
            (self->has(proto::Role::Director) || self->has(proto::Role::RealServer) || self->has(proto::Role::Gateway));
        if (!unknown.isEmpty() && needsServices) {
            servicesUnknown = Ctl::tr("cannot judge: the virtual services are not known (no IPVS table from %1)")
                                  .arg(unknown.join(QStringLiteral(", ")));
        }
    } else {
        err(Ctl::tr("no preview of the new ruleset (%1): the lockout lint cannot judge it\n")
                .arg(q(checked->previewError)));
    }
    std::vector<std::string> findingTexts;
    for (const auto& f : findings) {
        findingTexts.push_back(f.text());
        out(Ctl::tr("lint: %1\n").arg(console::fw::findingText(f))); // the audit keeps the English text()
    }
    if (!servicesUnknown.isEmpty()) {
        findingTexts.push_back(servicesUnknown.toStdString());
        out(Ctl::tr("lint: %1\n").arg(servicesUnknown));
    }
    const bool blocked = !findings.empty() || !checked->after || !servicesUnknown.isEmpty();
    if (sub != QLatin1String("apply")) {
        if (!blocked) {
            out(Ctl::tr("lint: nothing the cluster needs is blocked\n"));
        }
        return blocked ? ExitActionFailed : ExitOk;
    }
    if (blocked && !ctx.force) {
        err(Ctl::tr("hadeckctl fw: not applied: the change blocks or cannot be judged for what the cluster needs; "
                    "--force applies it anyway (audited)\n"));
        return ExitActionFailed;
    }
    pfw::ApplyParams ap;
    ap.changes = changes;
    ap.confirmWithin = ctx.fwConfirmWithin;
    ap.force = blocked && ctx.force;
    ap.lintFindings = findingTexts;
    console::AgentClient::RequestId sent = 0;
    auto applied = link.call(node, methods::FirewallApply, ap, changeTimeoutMs(ctx), &sent);
    if (!applied) {
        return console::mayHaveRun(sent, applied.error()) ? applyAnswerLost(ctx, node, applied.error())
                                                          : failWith(applied.error());
    }
    if (ctx.fwNoConfirm) {
        out(Ctl::tr(
                "applied %1 on %2, not confirmed (--no-confirm): hadeckctl fw confirm %2 %1 keeps it; otherwise the agent "
                "rolls it back in %3 s\n")
                .arg(q(applied->pending.id), node)
                .arg(applied->pending.confirmWithin));
        return ExitOk;
    }
    out(Ctl::tr("applied %1 on %2; confirming over a new connection (rolled back in %3 s otherwise)\n")
            .arg(q(applied->pending.id), node)
            .arg(applied->pending.confirmWithin));
    return confirmFresh(ctx, node, applied->pending.id);
}

} // namespace

int runFw(Context& ctx)
{
    if (ctx.args.size() < 2) {
        err(Ctl::tr("usage: hadeckctl fw show|pending|check|diff|apply|confirm|rollback NODE ...\n"));
        return ExitUsage;
    }
    const QString sub = ctx.args[0];
    const QString node = ctx.args[1];
    const QStringList rest = ctx.args.mid(2);
    if (!ctx.inventory.node(node)) {
        err(Ctl::tr("hadeckctl fw: no node \"%1\" in the inventory\n").arg(node));
        return ExitUsage;
    }
    if (sub == QLatin1String("confirm")) {
        if (rest.isEmpty()) {
            err(Ctl::tr("usage: hadeckctl fw confirm NODE ID\n"));
            return ExitUsage;
        }
        return confirmFresh(ctx, node, rest.first().toStdString());
    }
    // Everything else may use the whole cluster's roles (the lint): connect to all.
    QStringList all;
    for (const auto& n : ctx.inventory.nodes) {
        all << n.name;
    }
    Link link(ctx, sub == QLatin1String("apply") || sub == QLatin1String("check") || sub == QLatin1String("diff")
                       ? all
                       : QStringList{node});
    if (sub == QLatin1String("show")) {
        auto rs = link.call(node, methods::FirewallShow, proto::Empty{});
        if (!rs) {
            return failWith(rs.error());
        }
        if (ctx.json) {
            out(jsonText(rpc::Json(*rs)));
        } else {
            printRuleset(*rs);
        }
        return ExitOk;
    }
    if (sub == QLatin1String("pending")) {
        auto p = link.call(node, methods::FirewallPending, proto::Empty{});
        if (!p) {
            return failWith(p.error());
        }
        if (ctx.json) {
            out(jsonText(rpc::Json(*p)));
        } else if (!p->pending) {
            out(Ctl::tr("nothing is waiting for confirmation on %1\n").arg(node));
        } else {
            out(Ctl::tr("%1: change %2 by %3, rolled back at %4 unless confirmed\n")
                    .arg(node, q(p->id), q(p->user), QDateTime::fromSecsSinceEpoch(p->deadline).toString(Qt::ISODate)));
        }
        return ExitOk;
    }
    if (sub == QLatin1String("rollback")) {
        auto r = link.call(node, methods::FirewallRollback, pfw::RollbackParams{rest.isEmpty() ? std::string() : rest.first().toStdString()});
        if (!r) {
            return failWith(r.error());
        }
        out(Ctl::tr("restored %1\n").arg(q(r->restoredFrom)));
        for (const auto& d : r->diff) {
            out(q(d) + QLatin1Char('\n'));
        }
        return ExitOk;
    }
    if (sub != QLatin1String("check") && sub != QLatin1String("diff") && sub != QLatin1String("apply")) {
        err(Ctl::tr("hadeckctl fw: unknown subcommand \"%1\"\n").arg(sub));
        return ExitUsage;
    }
    QString error;
    const auto changes = changeSetFrom(ctx, rest, &error);
    if (!changes) {
        err(Ctl::tr("hadeckctl fw: %1\n").arg(error));
        return ExitUsage;
    }
    QStringList targets{node};
    if (ctx.fwSameRole) {
        targets += sameRoleNodes(link, ctx, node);
    }
    if (targets.size() == 1) {
        return changeOne(ctx, link, sub, node, *changes);
    }
    // One change set per node, made against its own ruleset, each checked, linted and
    // confirmed on its own; one node's refusal does not stop the others.
    std::vector<std::pair<QString, int>> results;
    for (const auto& t : targets) {
        out(QStringLiteral("== %1 ==\n").arg(t));
        results.emplace_back(t, changeOne(ctx, link, sub, t, *changes));
    }
    int worst = ExitOk;
    for (const auto& [t, code] : results) {
        out(code == ExitOk ? Ctl::tr("%1: done\n").arg(t) : Ctl::tr("%1: failed (exit %2)\n").arg(t).arg(code));
        worst = std::max(worst, code);
    }
    return worst;
}

} // namespace hadeck::ctl
