#include "alarm_commands.h"
#include "commands.h"
#include "ctl_tr.h"

#include "terminalprompter.h"
#include "textout.h"

#include <hadeck/console/actions/cluster_rpc.h>
#include <hadeck/console/connectionpool.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace hadeck::ctl {

namespace {
// Callers compose @p text from terminalSafe() fields.
void out(const QString& text)
{
    writeText(stdout, text);
}

QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString padded(const QString& s, int width)
{
    return s.leftJustified(width, QLatin1Char(' '));
}
} // namespace

const std::vector<Command>& commandTable()
{
    static const std::vector<Command> table{
        {QStringLiteral("status"), Ctl::tr("show each node's connection state, roles, user and permission"),
         &runStatus},
        {QStringLiteral("watch"),
         Ctl::tr(
             "the cluster's changes as they happen: links, VRRP transitions, real servers, alarms (--json: one object a line)"),
         &runWatch},
        {QStringLiteral("alarms"),
         Ctl::tr("the active alarms: each agent's own and the checks across nodes (split brain, keepalived down, ...)"),
         &runAlarms},
        {QStringLiteral("check"),
         Ctl::tr("the alarms as an exit code for cron or a systemd timer: 0 none, 7 a warning, 8 a critical one"),
         &runCheck},
        {QStringLiteral("db"), Ctl::tr("replication topology: masters, replicas, threads and lag, with the checks"),
         &runDb},
        {QStringLiteral("storage"), Ctl::tr("MooseFS: master, chunkservers, space and chunk health"), &runStorage},
        {QStringLiteral("hosts"), Ctl::tr("host health, Apache workers and the observed edges between nodes"),
         &runHosts},
        {QStringLiteral("logs"), Ctl::tr("NODE SOURCE: lines of a named log source (--since, --grep, --lines)"),
         &runLogs},
        {QStringLiteral("audit"),
         Ctl::tr(
             "[NODE...]: the agents' audit entries merged in time order (--user, --grep ACTION, --since, --lines), and each node's chain verification"),
         &runAudit},
        {QStringLiteral("history"),
         Ctl::tr("NODE [SERIES]: a series from the agent's history, or the list (--since, --step)"), &runHistory},
        {QStringLiteral("db-replica"),
         Ctl::tr("NODE start|stop: the replica threads, after a preflight (--force past its warnings)"), &runDbReplica},
        {QStringLiteral("db-read-only"),
         Ctl::tr("NODE on|off: the server's read_only, after a preflight (--force past its warnings)"), &runDbReadOnly},
        {QStringLiteral("mfs-maintenance"),
         Ctl::tr("MASTER_NODE CHUNKSERVER_IP on|off: chunkserver maintenance; the preflight shows the 20 % rule"),
         &runMfsMaintenance},
        {QStringLiteral("drain"), Ctl::tr("NODE|ADDRESS: weight 0 on every director, held; --wait follows it to zero"),
         &runDrain},
        {QStringLiteral("restore"), Ctl::tr("NODE|ADDRESS: release a drain and give the weight back"), &runRestore},
        {QStringLiteral("failover"), Ctl::tr("INSTANCE: hand MASTER to the peer director, verified"), &runFailover},
        {QStringLiteral("maintenance"), Ctl::tr("DIRECTOR on|off INSTANCE: keep a director out of VRRP"),
         &runMaintenance},
        {QStringLiteral("add-track"),
         Ctl::tr(
             "DIRECTOR INSTANCE: add the hadeck track file to keepalived's configuration, check it with keepalived -t, "
             "reload (admin)"),
         &runAddTrack},
        {QStringLiteral("fw"),
         Ctl::tr("show|pending|check|diff|apply|confirm|rollback NODE: the node's nftables firewall; apply is "
                 "commit-confirmed and confirmed over a new connection"),
         &runFw},
        {QStringLiteral("deploy"),
         Ctl::tr("NODE...: install or upgrade hadeck-agent over SSH (--package FILE.deb, --group; sudo asks for the "
                 "password)"),
         &runDeploy},
    };
    return table;
}

int runStatus(Context& ctx)
{
    if (!ctx.args.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(Ctl::tr("status takes no arguments")));
        return ExitUsage;
    }
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    const int timeoutMs = ctx.timeoutSeconds * 1000;
    const auto prompter = commandPrompter(ctx.batch, [&deadline, timeoutMs] { deadline.start(timeoutMs); });

    console::ConnectionPoolOptions opts;
    opts.client.clientName = QStringLiteral("hadeckctl");
    opts.client.autoReconnect = false; // a snapshot: report, do not wait for recovery
    opts.connectTimeoutMs = timeoutMs;
    opts.client.requestTimeoutMs = timeoutMs;
    console::ConnectionPool pool(ctx.inventory, prompter.get(), opts);
    QObject::connect(&pool, &console::ConnectionPool::settled, &loop, &QEventLoop::quit);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(timeoutMs);
    pool.connectAll();
    if (!pool.allSettled() || pool.nodeNames().isEmpty())
        loop.exec();

    // Each director's VRRP instances as its agent sees them, asked over the connections just
    // made and within the same deadline: a script sees MASTER/BACKUP, VIPs held, keepalived running.
    console::PoolRpc rpc(pool);
    QMap<QString, console::Reply<proto::VrrpListResult>> vrrp;
    {
        QStringList directors;
        for (const auto& spec : ctx.inventory.nodes) {
            const auto hello = pool.hello(spec.name);
            if (hello && console::takesCalls(pool.state(spec.name)) &&
                std::find(hello->roles.begin(), hello->roles.end(), proto::Role::Director) != hello->roles.end())
                directors << spec.name;
        }
        if (!directors.isEmpty()) {
            QEventLoop vrrpLoop;
            QTimer vrrpDeadline;
            vrrpDeadline.setSingleShot(true);
            QObject::connect(&vrrpDeadline, &QTimer::timeout, &vrrpLoop, &QEventLoop::quit);
            bool answered = false;
            console::invokeAll(
                rpc, directors, proto::methods::VrrpList, {},
                [&](const QMap<QString, console::Reply<proto::VrrpListResult>>& r) {
                    vrrp = r;
                    answered = true;
                    vrrpLoop.quit();
                },
                timeoutMs);
            vrrpDeadline.start(timeoutMs + 1000);
            if (!answered)
                vrrpLoop.exec();
        }
    }
    auto vrrpJson = [&](const QString& node) -> QJsonObject {
        const auto it = vrrp.find(node);
        if (it == vrrp.end())
            return {};
        if (!it.value())
            return QJsonObject{{QStringLiteral("error"), QString::fromStdString(it.value().error().message)}};
        QJsonArray instances;
        for (const auto& i : it.value()->instances) {
            QJsonArray vips;
            for (const auto& v : i.vips)
                vips.append(QString::fromStdString(v));
            instances.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(i.name)},
                                         {QStringLiteral("vrid"), i.vrid},
                                         {QStringLiteral("state"), q(proto::toString(i.state))},
                                         {QStringLiteral("holdsVips"), i.holdsVips},
                                         {QStringLiteral("vips"), vips},
                                         {QStringLiteral("effectivePriority"), i.effectivePriority},
                                         {QStringLiteral("lastTransition"), i.lastTransition}});
        }
        QJsonObject o{{QStringLiteral("instances"), instances},
                      {QStringLiteral("source"), QString::fromStdString(it.value()->source)}};
        o[QStringLiteral("keepalivedRunning")] =
            it.value()->running ? QJsonValue(*it.value()->running) : QJsonValue();
        return o;
    };

    int code = ExitOk;
    QJsonArray nodes;
    struct Row {
        QString name, state, roles, user, permission, detail;
    };
    std::vector<Row> rows;
    for (const auto& spec : ctx.inventory.nodes) {
        const auto state = pool.state(spec.name);
        const auto hello = pool.hello(spec.name);
        QStringList roles;
        QString user = spec.user;
        QString permission;
        QString agentVersion;
        if (hello) {
            for (auto r : hello->roles)
                roles << q(proto::toString(r));
            user = QString::fromStdString(hello->user);
            permission = q(proto::toString(hello->permission));
            agentVersion = QString::fromStdString(hello->agentVersion);
        } else {
            roles = spec.roles; // hints until the agent says otherwise
        }
        const QString error = state == console::NodeState::Online ? QString() : pool.lastError(spec.name);
        const QString safeError = terminalSafe(error);
        if (state == console::NodeState::Refused)
            code = ExitRefused;
        else if ((state == console::NodeState::ProtocolError || state == console::NodeState::VersionMismatch) &&
                 code != ExitRefused)
            code = ExitProtocol;
        else if ((state == console::NodeState::Unreachable || state == console::NodeState::Connecting ||
                  state == console::NodeState::NotInstalled) &&
                 code == ExitOk)
            code = ExitNotOnline;

        QJsonObject o;
        o[QStringLiteral("name")] = spec.name;
        o[QStringLiteral("address")] = spec.address;
        o[QStringLiteral("state")] = console::toId(state);
        o[QStringLiteral("roles")] = QJsonArray::fromStringList(roles);
        o[QStringLiteral("rolesFromAgent")] = hello.has_value();
        o[QStringLiteral("user")] = user;
        o[QStringLiteral("permission")] = permission.isEmpty() ? QJsonValue() : QJsonValue(permission);
        o[QStringLiteral("agentVersion")] = agentVersion.isEmpty() ? QJsonValue() : QJsonValue(agentVersion);
        o[QStringLiteral("error")] = error.isEmpty() ? QJsonValue() : QJsonValue(error);
        if (const QJsonObject v = vrrpJson(spec.name); !v.isEmpty())
            o[QStringLiteral("vrrp")] = v;
        nodes.append(o);
        rows.push_back({terminalSafe(spec.name), console::displayName(state),
                        terminalSafe(hello ? roles.join(QLatin1Char(','))
                                           : (roles.isEmpty() ? QString() : roles.join(QLatin1Char(',')) + QStringLiteral("?"))),
                        terminalSafe(user), permission.isEmpty() ? QStringLiteral("-") : terminalSafe(permission), safeError});
    }
    // The alarms, so a script sees a split brain or a dead keepalived in the status.
    const auto alarms = collectAlarms(ctx.inventory, pool, timeoutMs);
    pool.disconnectAll();

    if (ctx.json) {
        QJsonObject root;
        root[QStringLiteral("cluster")] = ctx.inventory.name;
        root[QStringLiteral("nodes")] = nodes;
        root[QStringLiteral("alarms")] = alarmsJson(alarms);
        root[QStringLiteral("exitCode")] = code;
        out(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        return code;
    }
    const QStringList headers{Ctl::tr("NODE"), Ctl::tr("STATE"), Ctl::tr("ROLES"), Ctl::tr("USER"), Ctl::tr("PERMISSION")};
    int w[5];
    for (int i = 0; i < 5; ++i)
        w[i] = static_cast<int>(headers[i].size());
    for (const auto& r : rows) {
        const QString cells[5] = {r.name, r.state, r.roles, r.user, r.permission};
        for (int i = 0; i < 5; ++i)
            w[i] = std::max(w[i], static_cast<int>(cells[i].size()));
    }
    QString text;
    for (int i = 0; i < 5; ++i)
        text += padded(headers[i], w[i] + 2);
    text = text.trimmed() + QLatin1Char('\n');
    for (const auto& r : rows) {
        const QString cells[5] = {r.name, r.state, r.roles, r.user, r.permission};
        QString line;
        for (int i = 0; i < 5; ++i)
            line += padded(cells[i], w[i] + 2);
        text += line.trimmed() + QLatin1Char('\n');
        if (!r.detail.isEmpty())
            text += QStringLiteral("    ") + r.detail + QLatin1Char('\n');
    }
    // VRRP per director: one line per instance.
    QString vrrpText;
    for (const auto& spec : ctx.inventory.nodes) {
        const auto it = vrrp.find(spec.name);
        if (it == vrrp.end())
            continue;
        if (!it.value()) {
            vrrpText += Ctl::tr("  %1: VRRP unknown (%2)\n")
                            .arg(terminalSafe(spec.name), terminalSafe(QString::fromStdString(it.value().error().message)));
            continue;
        }
        if (it.value()->running && !*it.value()->running)
            vrrpText += Ctl::tr("  %1: keepalived is not running\n").arg(terminalSafe(spec.name));
        for (const auto& i : it.value()->instances) {
            vrrpText += Ctl::tr("  %1  %2  %3  %4\n")
                            .arg(terminalSafe(spec.name), terminalSafe(QString::fromStdString(i.name)),
                                 q(proto::toString(i.state)),
                                 i.holdsVips ? Ctl::tr("holds the VIPs") : Ctl::tr("does not hold the VIPs"));
        }
    }
    if (!vrrpText.isEmpty())
        text += Ctl::tr("VRRP:\n") + vrrpText;
    text += QLatin1Char('\n') + Ctl::tr("ALARMS") + QLatin1Char('\n') + alarmsText(alarms);
    out(text);
    return code;
}

} // namespace hadeck::ctl
