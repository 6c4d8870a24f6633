// hadeckctl's alarm commands: `alarms` lists what is wrong now, `check` says it
// as an exit code for cron and systemd timers, and `status` shows the same list
// below its nodes. One list holds the agents' own alarms (alarms.list on each
// node) and the console core's checks across nodes (split brain, no MASTER,
// keepalived down, unreachable nodes, drift between directors), the same checks
// the GUI runs, on the VRRP and IPVS state the directors give right now.

#include "alarm_commands.h"

#include "commands.h"
#include "ctl_tr.h"
#include "terminalprompter.h"
#include "textout.h"

#include <hadeck/console/checks/clusterchecks.h>
#include <hadeck/console/connectionpool.h>
#include <hadeck/protocol/methods.h>

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

namespace hadeck::ctl {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

int severityRank(const QString& s)
{
    if (s == QLatin1String("critical"))
        return 2;
    if (s == QLatin1String("warning"))
        return 1;
    return 0;
}

QString severityId(console::Severity s)
{
    switch (s) {
    case console::Severity::Critical: return QStringLiteral("critical");
    case console::Severity::Warning: return QStringLiteral("warning");
    case console::Severity::Info: break;
    }
    return QStringLiteral("info");
}

/// Answers of one node, filled while the event loop runs.
struct NodeAnswers {
    std::optional<proto::AlarmsListResult> alarms;
    QString alarmsError;
    std::optional<proto::VrrpListResult> vrrp;
    std::optional<proto::IpvsListResult> ipvs;
    QStringList unread; ///< "method: why", for what a director could not give
};

} // namespace

ActiveAlarms collectAlarms(const console::ClusterInventory& inventory, console::ConnectionPool& pool, int timeoutMs)
{
    std::map<QString, NodeAnswers> answers;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    int pending = 0;
    const auto done = [&] {
        if (--pending == 0)
            loop.quit();
    };
    for (const auto& spec : inventory.nodes) {
        auto* client = pool.callable(spec.name);
        if (client == nullptr)
            continue;
        answers[spec.name];
        ++pending;
        proto::AlarmsListParams params;
        params.includeHistory = false;
        params.limit = 0;
        client->call(proto::methods::AlarmsList, params,
                     std::function<void(const Expected<proto::AlarmsListResult>&)>(
                         [&, name = spec.name](const Expected<proto::AlarmsListResult>& r) {
                             if (r)
                                 answers[name].alarms = *r;
                             else
                                 answers[name].alarmsError = q(r.error().message);
                             done();
                         }));
        const auto hello = pool.hello(spec.name);
        const bool director = hello ? std::find(hello->roles.begin(), hello->roles.end(), proto::Role::Director) !=
                                          hello->roles.end()
                                    : spec.roles.contains(QStringLiteral("director"));
        if (!director)
            continue;
        pending += 2;
        client->call(proto::methods::VrrpList, proto::VrrpListParams{},
                     std::function<void(const Expected<proto::VrrpListResult>&)>(
                         [&, name = spec.name](const Expected<proto::VrrpListResult>& r) {
                             if (r)
                                 answers[name].vrrp = *r;
                             else
                                 answers[name].unread << QStringLiteral("%1: %2").arg(
                                     q(std::string(proto::methods::VrrpList.name)), q(r.error().message));
                             done();
                         }));
        client->call(proto::methods::IpvsList, proto::Empty{},
                     std::function<void(const Expected<proto::IpvsListResult>&)>(
                         [&, name = spec.name](const Expected<proto::IpvsListResult>& r) {
                             if (r)
                                 answers[name].ipvs = *r;
                             else
                                 answers[name].unread << QStringLiteral("%1: %2").arg(
                                     q(std::string(proto::methods::IpvsList.name)), q(r.error().message));
                             done();
                         }));
    }
    if (pending > 0) {
        deadline.start(timeoutMs);
        loop.exec();
    }

    ActiveAlarms out;
    // The cluster checks, on what the nodes said just now.
    std::vector<console::NodeSnapshot> snapshots;
    snapshots.reserve(static_cast<std::size_t>(inventory.nodes.size()));
    for (const auto& spec : inventory.nodes) {
        console::NodeSnapshot n;
        n.name = spec.name;
        n.address = spec.address;
        for (const auto& r : spec.roles) {
            if (const auto role = proto::roleFromString(r.toStdString()))
                n.roleHints.push_back(*role);
        }
        n.link = pool.state(spec.name);
        n.lastError = pool.lastError(spec.name);
        n.hello = pool.hello(spec.name);
        if (const auto it = answers.find(spec.name); it != answers.end()) {
            if (it->second.vrrp) {
                n.hasVrrp = true;
                n.vrrp = it->second.vrrp->instances;
                n.keepalivedRunning = it->second.vrrp->running;
            }
            if (it->second.ipvs) {
                n.hasIpvs = true;
                n.ipvs = it->second.ipvs->services;
            }
            if (!it->second.unread.isEmpty())
                out.unread.insert(spec.name, it->second.unread.join(QStringLiteral("; ")));
        }
        snapshots.push_back(std::move(n));
    }
    std::vector<const console::NodeSnapshot*> ptrs;
    for (const auto& n : snapshots)
        ptrs.push_back(&n);
    for (const auto& a : console::runClusterChecks(ptrs)) {
        ActiveAlarm row;
        row.source = QStringLiteral("cluster");
        row.id = a.id;
        row.severity = severityId(a.severity);
        row.node = a.nodes.value(0);
        row.nodes = a.nodes;
        row.text = a.text;
        row.detail = a.detail;
        out.alarms.push_back(row);
    }
    // The agents' own alarms.
    for (const auto& spec : inventory.nodes) {
        const auto it = answers.find(spec.name);
        if (it == answers.end())
            continue;
        if (!it->second.alarms) {
            out.unanswered << spec.name;
            if (!it->second.alarmsError.isEmpty())
                out.errors.insert(spec.name, it->second.alarmsError);
            continue;
        }
        for (const auto& a : it->second.alarms->active) {
            ActiveAlarm row;
            row.source = QStringLiteral("agent");
            row.id = q(a.key);
            row.agentId = a.id;
            row.severity = q(std::string(proto::toString(a.severity)));
            row.node = spec.name;
            row.nodes = {spec.name};
            row.rule = q(a.rule);
            row.text = q(a.message);
            row.raisedAt = a.raisedAt;
            row.acknowledged = a.acknowledged;
            row.ackBy = q(a.ackBy);
            out.alarms.push_back(row);
        }
    }
    std::stable_sort(out.alarms.begin(), out.alarms.end(), [](const ActiveAlarm& a, const ActiveAlarm& b) {
        return severityRank(a.severity) > severityRank(b.severity);
    });
    for (const auto& a : out.alarms)
        out.worst = std::max(out.worst, severityRank(a.severity));
    return out;
}

QJsonArray alarmsJson(const ActiveAlarms& alarms)
{
    QJsonArray list;
    for (const auto& a : alarms.alarms) {
        QJsonObject o{{QStringLiteral("source"), a.source},
                      {QStringLiteral("id"), a.id},
                      {QStringLiteral("severity"), a.severity},
                      {QStringLiteral("node"), a.node},
                      {QStringLiteral("nodes"), QJsonArray::fromStringList(a.nodes)},
                      {QStringLiteral("text"), a.text}};
        if (!a.detail.isEmpty())
            o[QStringLiteral("detail")] = a.detail;
        if (a.source == QLatin1String("agent")) {
            o[QStringLiteral("agentId")] = static_cast<double>(a.agentId);
            o[QStringLiteral("rule")] = a.rule;
            o[QStringLiteral("raisedAt")] = static_cast<double>(a.raisedAt);
            o[QStringLiteral("acknowledged")] = a.acknowledged;
            if (a.acknowledged)
                o[QStringLiteral("ackBy")] = a.ackBy;
        }
        list.append(o);
    }
    return list;
}

QString alarmsText(const ActiveAlarms& alarms)
{
    QString text;
    if (alarms.alarms.empty()) {
        text += Ctl::tr("No active alarm.") + QLatin1Char('\n');
    }
    for (const auto& a : alarms.alarms) {
        QString line = QStringLiteral("%1  %2  %3").arg(a.severity.toUpper().leftJustified(8), terminalSafe(a.node).leftJustified(8),
                                                        terminalSafe(a.text));
        if (a.acknowledged)
            line += QLatin1Char(' ') + Ctl::tr("(acknowledged by %1)").arg(terminalSafe(a.ackBy));
        text += line + QLatin1Char('\n');
        if (!a.detail.isEmpty())
            text += QStringLiteral("          ") + terminalSafe(a.detail) + QLatin1Char('\n');
    }
    for (const auto& node : alarms.unanswered) {
        text += Ctl::tr("%1 did not list its alarms: %2")
                    .arg(terminalSafe(node), terminalSafe(alarms.errors.value(node, Ctl::tr("no answer in time")))) +
                QLatin1Char('\n');
    }
    for (auto it = alarms.unread.cbegin(); it != alarms.unread.cend(); ++it) {
        text += Ctl::tr("%1: the checks across nodes ran without what it could not give (%2)")
                    .arg(terminalSafe(it.key()), terminalSafe(it.value())) +
                QLatin1Char('\n');
    }
    return text;
}

namespace {

struct Connected {
    std::unique_ptr<console::CredentialPrompter> prompter;
    std::unique_ptr<console::ConnectionPool> pool;
};

Connected connectAll(Context& ctx)
{
    Connected c;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    const int timeoutMs = ctx.timeoutSeconds * 1000;
    c.prompter = commandPrompter(ctx.batch, [&deadline, timeoutMs] { deadline.start(timeoutMs); });
    console::ConnectionPoolOptions opts;
    opts.client.clientName = QStringLiteral("hadeckctl");
    opts.client.autoReconnect = false;
    opts.connectTimeoutMs = timeoutMs;
    opts.client.requestTimeoutMs = timeoutMs;
    c.pool = std::make_unique<console::ConnectionPool>(ctx.inventory, c.prompter.get(), opts);
    QObject::connect(c.pool.get(), &console::ConnectionPool::settled, &loop, &QEventLoop::quit);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(timeoutMs);
    c.pool->connectAll();
    if (!c.pool->allSettled() && !c.pool->nodeNames().isEmpty())
        loop.exec();
    return c;
}

} // namespace

static QJsonObject byNodeJson(const QMap<QString, QString>& byNode)
{
    QJsonObject o;
    for (auto it = byNode.cbegin(); it != byNode.cend(); ++it)
        o[it.key()] = it.value();
    return o;
}

static QJsonObject errorsJson(const ActiveAlarms& alarms) { return byNodeJson(alarms.errors); }
static QJsonObject unreadJson(const ActiveAlarms& alarms) { return byNodeJson(alarms.unread); }

int runAlarms(Context& ctx)
{
    if (!ctx.args.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(Ctl::tr("alarms takes no arguments")));
        return ExitUsage;
    }
    auto c = connectAll(ctx);
    const auto alarms = collectAlarms(ctx.inventory, *c.pool, ctx.timeoutSeconds * 1000);
    // Like status: the exit code says whether every node could be asked.
    int code = ExitOk;
    for (const auto& spec : ctx.inventory.nodes) {
        const auto state = c.pool->state(spec.name);
        if (state == console::NodeState::Refused)
            code = ExitRefused;
        else if ((state == console::NodeState::ProtocolError || state == console::NodeState::VersionMismatch) &&
                 code != ExitRefused)
            code = ExitProtocol;
        else if (!console::takesCalls(state) && code == ExitOk)
            code = ExitNotOnline;
    }
    c.pool->disconnectAll(); // after reading the states: disconnected is not a verdict
    if ((!alarms.unanswered.isEmpty() || !alarms.unread.isEmpty()) && code == ExitOk)
        code = ExitNotOnline;
    if (ctx.json) {
        QJsonObject root{{QStringLiteral("cluster"), ctx.inventory.name},
                         {QStringLiteral("alarms"), alarmsJson(alarms)},
                         {QStringLiteral("unanswered"), QJsonArray::fromStringList(alarms.unanswered)},
                         {QStringLiteral("errors"), errorsJson(alarms)},
                         {QStringLiteral("unread"), unreadJson(alarms)},
                         {QStringLiteral("exitCode"), code}};
        writeText(stdout, QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        return code;
    }
    writeText(stdout, alarmsText(alarms));
    return code;
}

int runCheck(Context& ctx)
{
    if (!ctx.args.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(Ctl::tr("check takes no arguments")));
        return ExitUsage;
    }
    auto c = connectAll(ctx);
    auto alarms = collectAlarms(ctx.inventory, *c.pool, ctx.timeoutSeconds * 1000);
    c.pool->disconnectAll();
    // A node that did not list its alarms, or a director whose state could not be read, is not
    // known to be well: a warning at least.
    int worst = alarms.worst;
    if (!alarms.unanswered.isEmpty() || !alarms.unread.isEmpty())
        worst = std::max(worst, 1);
    const int code = worst >= 2 ? ExitCheckCritical : worst == 1 ? ExitCheckWarning : ExitOk;
    if (ctx.json) {
        QJsonObject root{{QStringLiteral("cluster"), ctx.inventory.name},
                         {QStringLiteral("result"), worst >= 2   ? QStringLiteral("critical")
                                                    : worst == 1 ? QStringLiteral("warning")
                                                                 : QStringLiteral("ok")},
                         {QStringLiteral("alarms"), alarmsJson(alarms)},
                         {QStringLiteral("unanswered"), QJsonArray::fromStringList(alarms.unanswered)},
                         {QStringLiteral("errors"), errorsJson(alarms)},
                         {QStringLiteral("unread"), unreadJson(alarms)},
                         {QStringLiteral("exitCode"), code}};
        writeText(stdout, QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        return code;
    }
    QString text = worst >= 2   ? Ctl::tr("CRITICAL: %n alarm(s)", nullptr, static_cast<int>(alarms.alarms.size()))
                   : worst == 1 ? Ctl::tr("WARNING: %n alarm(s)", nullptr, static_cast<int>(alarms.alarms.size()))
                                : Ctl::tr("OK: no warning or critical alarm");
    text += QLatin1Char('\n');
    if (!alarms.alarms.empty() || !alarms.unanswered.isEmpty() || !alarms.unread.isEmpty())
        text += alarmsText(alarms);
    writeText(stdout, text);
    return code;
}

} // namespace hadeck::ctl
