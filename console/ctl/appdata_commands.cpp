// hadeckctl's application-node commands: db, storage, hosts, logs and history.
// Each connects to the inventory's nodes, asks the declared methods of
// agent/protocol (appdata.h), and prints a table or, with --json, the typed
// answers as the agents gave them.

#include "commands.h"
#include "ctl_tr.h"

#include "terminalprompter.h"

#include <hadeck/console/appdata/appoverview.h>
#include <hadeck/console/connectionpool.h>
#include <hadeck/protocol/methods.h>

#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QTimer>

#include "textout.h"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace hadeck::ctl {

namespace {

// Log lines, replication errors and MooseFS texts come from the nodes. Callers compose the
// text from terminalSafe() fields (q(), safe()): every control, the newline included, is
// shown escaped, so a field cannot forge a row; the text is written by length.
void out(const QString& text) { writeText(stdout, text); }
void err(const QString& text) { writeText(stderr, text + QLatin1Char('\n')); }

// ASCII-only JSON: every control and non-ASCII character is a \u escape, so nothing raw reaches
// the terminal and the document stays valid.
void printJson(const rpc::Json& j)
{
    writeText(stdout, QString::fromStdString(j.dump(2, ' ', true)) + QLatin1Char('\n'));
}

/// Agent text as it came (for matching and topics, never printed as is).
QString raw(const std::string& s) { return QString::fromStdString(s); }
/// Agent text as one printable field.
QString q(const std::string& s) { return terminalSafe(QString::fromStdString(s)); }
QString safe(const QString& s) { return terminalSafe(s); }

QString bytes(std::uint64_t b)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(b);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    return QString::number(v, 'f', u == 0 ? 0 : 1) + QLatin1Char(' ') + QLatin1String(units[u]);
}

/// Connects to the nodes (all, or @p only), then runs @p ask for each online one; every
/// ask reports through done(). Returns when all answered or at the timeout.
struct Session {
    explicit Session(Context& c) : ctx(c)
    {
        prompter = commandPrompter(ctx.batch, [this] { deadline.start(ctx.timeoutSeconds * 1000); });
        console::ConnectionPoolOptions opts;
        opts.client.clientName = QStringLiteral("hadeckctl");
        opts.client.autoReconnect = false;
        opts.connectTimeoutMs = ctx.timeoutSeconds * 1000;
        opts.client.requestTimeoutMs = ctx.timeoutSeconds * 1000;
        pool = std::make_unique<console::ConnectionPool>(ctx.inventory, prompter.get(), opts);
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    }
    ~Session() { pool->disconnectAll(); }

    bool connect()
    {
        QObject::connect(pool.get(), &console::ConnectionPool::settled, &loop, &QEventLoop::quit);
        deadline.start(ctx.timeoutSeconds * 1000);
        pool->connectAll();
        if (!pool->allSettled() && !pool->nodeNames().isEmpty())
            loop.exec();
        QObject::disconnect(pool.get(), &console::ConnectionPool::settled, &loop, &QEventLoop::quit);
        return true;
    }

    /// The node's client when it takes calls (Online, or Degraded: slow but connected).
    console::AgentClient* online(const QString& node) const { return pool->callable(node); }

    void expect() { ++pending; }
    void done()
    {
        if (--pending == 0)
            loop.quit();
    }
    void wait(int timeoutMs = 0)
    {
        if (pending > 0) {
            deadline.start(timeoutMs > 0 ? timeoutMs : ctx.timeoutSeconds * 1000);
            loop.exec();
        }
    }

    Context& ctx;
    std::unique_ptr<console::CredentialPrompter> prompter;
    std::unique_ptr<console::ConnectionPool> pool;
    QEventLoop loop;
    QTimer deadline;
    int pending = 0;
};

/// Asks every online node @p spec (Empty params) and stores the answers.
template <typename R>
void askAll(Session& s, const proto::MethodSpec<proto::Empty, R>& spec, std::map<QString, R>& answers,
            std::map<QString, QString>& errors)
{
    for (const auto& n : s.ctx.inventory.nodes) {
        auto* c = s.online(n.name);
        if (!c) {
            errors[n.name] = s.pool->lastError(n.name);
            continue;
        }
        s.expect();
        c->call(spec, proto::Empty{}, std::function<void(const Expected<R>&)>([&, name = n.name](const Expected<R>& r) {
                    if (r)
                        answers[name] = *r;
                    else
                        errors[name] = raw(r.error().message);
                    s.done();
                }));
    }
}

std::vector<console::AppNode> appNodes(const Context& ctx, const std::map<QString, proto::DbStatus>* db,
                                       const std::map<QString, proto::MfsStatus>* mfs,
                                       const std::map<QString, proto::ApacheStatus>* apache,
                                       const std::map<QString, proto::HostStatus>* host)
{
    std::vector<console::AppNode> nodes;
    for (const auto& n : ctx.inventory.nodes) {
        console::AppNode a;
        a.name = n.name;
        a.address = n.address;
        if (db && db->count(n.name))
            a.db = db->at(n.name);
        if (mfs && mfs->count(n.name))
            a.mfs = mfs->at(n.name);
        if (apache && apache->count(n.name))
            a.apache = apache->at(n.name);
        if (host && host->count(n.name))
            a.host = host->at(n.name);
        nodes.push_back(std::move(a));
    }
    return nodes;
}

rpc::Json findingsJson(const std::vector<console::AppFinding>& f)
{
    rpc::Json a = rpc::Json::array();
    for (const auto& x : f)
        a.push_back({{"id", x.id.toStdString()},
                     {"severity", x.severity == console::AppCheckSeverity::Critical ? "critical" : "warning"},
                     {"text", x.text.toStdString()}});
    return a;
}

QString findingsText(const std::vector<console::AppFinding>& f)
{
    QString t;
    for (const auto& x : f)
        t += (x.severity == console::AppCheckSeverity::Critical ? Ctl::tr("CRITICAL") : Ctl::tr("WARNING")) +
             QStringLiteral(": ") + safe(x.text) + QLatin1Char('\n');
    return t;
}

/// "1h", "15m", "30s", or unix seconds / ISO date-time; 0 when empty. -1 on error.
std::int64_t parseSince(const QString& s)
{
    if (s.isEmpty())
        return 0;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    bool ok = false;
    const QChar unit = s.back();
    const qint64 n = s.left(s.size() - 1).toLongLong(&ok);
    if (ok && n >= 0) {
        if (unit == QLatin1Char('s'))
            return now - n;
        if (unit == QLatin1Char('m'))
            return now - n * 60;
        if (unit == QLatin1Char('h'))
            return now - n * 3600;
        if (unit == QLatin1Char('d'))
            return now - n * 86400;
    }
    const qint64 abs = s.toLongLong(&ok);
    if (ok && abs > 0)
        return abs;
    const QDateTime dt = QDateTime::fromString(s, Qt::ISODate);
    return dt.isValid() ? dt.toSecsSinceEpoch() : -1;
}

} // namespace

int runDb(Context& ctx)
{
    Session s(ctx);
    s.connect();
    std::map<QString, proto::DbStatus> db;
    std::map<QString, QString> errors;
    askAll(s, proto::methods::DbStatusGet, db, errors);
    s.wait();
    const auto nodes = appNodes(ctx, &db, nullptr, nullptr, nullptr);
    const auto topo = console::replicationTopology(nodes);
    const auto findings = console::appChecks(nodes, {});
    if (ctx.json) {
        rpc::Json j{{"servers", rpc::Json::object()}, {"links", rpc::Json::array()}, {"checks", findingsJson(findings)}};
        for (const auto& sv : topo.servers)
            j["servers"][sv.node.toStdString()] = db.at(sv.node);
        for (const auto& l : topo.links)
            j["links"].push_back({{"replica", l.replica.toStdString()},
                                  {"master", l.masterNode.isEmpty() ? rpc::Json(nullptr) : rpc::Json(l.masterNode.toStdString())},
                                  {"masterHost", l.masterHost.toStdString()},
                                  {"io", l.ioRunning.toStdString()},
                                  {"sql", l.sqlRunning.toStdString()},
                                  {"lagSeconds", l.lagSeconds ? rpc::Json(*l.lagSeconds) : rpc::Json(nullptr)},
                                  {"error", l.lastError.toStdString()}});
        printJson(j);
        return findings.empty() ? ExitOk : ExitNotOnline;
    }
    QString t;
    for (const auto& sv : topo.servers)
        t += Ctl::tr("%1: %2, read_only %3")
                 .arg(safe(sv.node), safe(sv.role), sv.readOnly ? Ctl::tr("on") : Ctl::tr("off")) +
             (sv.reason.isEmpty() ? QString() : QStringLiteral(" (") + safe(sv.reason) + QLatin1Char(')')) +
             QLatin1Char('\n');
    for (const auto& l : topo.links)
        t += Ctl::tr("  %1 <- %2: IO %3, SQL %4, lag %5")
                 .arg(safe(l.replica), safe(l.masterNode.isEmpty() ? l.masterHost : l.masterNode), safe(l.ioRunning),
                      safe(l.sqlRunning), l.lagSeconds ? Ctl::tr("%1 s").arg(*l.lagSeconds) : Ctl::tr("unknown")) +
             (l.lastError.isEmpty() ? QString() : QStringLiteral("\n    ") + safe(l.lastError)) + QLatin1Char('\n');
    if (topo.servers.empty())
        t += Ctl::tr("no database server answered") + QLatin1Char('\n');
    out(t + findingsText(findings));
    return findings.empty() ? ExitOk : ExitNotOnline;
}

int runStorage(Context& ctx)
{
    Session s(ctx);
    s.connect();
    std::map<QString, proto::MfsStatus> mfs;
    std::map<QString, QString> errors;
    askAll(s, proto::methods::MfsStatusGet, mfs, errors);
    s.wait();
    const auto nodes = appNodes(ctx, nullptr, &mfs, nullptr, nullptr);
    const auto o = console::storageOverview(nodes);
    const auto findings = console::appChecks(nodes, {});
    if (ctx.json) {
        printJson(rpc::Json{{"masterNode", o.masterNode.toStdString()},
                            {"status", o.status ? rpc::Json(*o.status) : rpc::Json(nullptr)},
                            {"checks", findingsJson(findings)}});
        return o.status ? ExitOk : ExitNotOnline;
    }
    if (!o.status || !o.status->master) {
        err(Ctl::tr("no node reads a MooseFS master"));
        return ExitNotOnline;
    }
    const auto& m = *o.status->master;
    QString t = Ctl::tr("MooseFS %1 on %2: %3 of %4 free, %5 files, %6 chunks, %7 undergoal, %8 missing")
                    .arg(q(m.version), safe(o.masterNode), bytes(m.availSpaceBytes), bytes(m.totalSpaceBytes))
                    .arg(m.files)
                    .arg(m.chunks)
                    .arg(m.undergoalChunks)
                    .arg(m.missingChunks) +
                QLatin1Char('\n');
    for (const auto& cs : o.status->chunkservers)
        t += Ctl::tr("  chunkserver %1:%2 %3, maintenance %4, %5 chunks, %6 of %7 used")
                 .arg(q(cs.host))
                 .arg(cs.port)
                 .arg(cs.connected ? Ctl::tr("connected") : Ctl::tr("DISCONNECTED"), q(cs.maintenance))
                 .arg(cs.chunks)
                 .arg(bytes(cs.usedBytes), bytes(cs.totalBytes)) +
             QLatin1Char('\n');
    for (const auto& ml : o.status->metaloggers)
        t += Ctl::tr("  metalogger %1 (%2)").arg(q(ml.host), q(ml.version)) + QLatin1Char('\n');
    out(t + findingsText(findings));
    return ExitOk;
}

int runHosts(Context& ctx)
{
    Session s(ctx);
    s.connect();
    std::map<QString, proto::HostStatus> host;
    std::map<QString, proto::ApacheStatus> apache;
    std::map<QString, QString> errors;
    askAll(s, proto::methods::HostStatusGet, host, errors);
    askAll(s, proto::methods::ApacheStatusGet, apache, errors);
    s.wait();
    const auto nodes = appNodes(ctx, nullptr, nullptr, &apache, &host);
    const auto edges = console::observedEdges(nodes);
    if (ctx.json) {
        rpc::Json j{{"hosts", rpc::Json::object()}, {"apache", rpc::Json::object()}, {"edges", rpc::Json::array()}};
        for (const auto& [n, h] : host)
            j["hosts"][n.toStdString()] = h;
        for (const auto& [n, a] : apache)
            if (a.state != proto::ApacheState::NotRunning)
                j["apache"][n.toStdString()] = a;
        for (const auto& e : edges)
            j["edges"].push_back({{"from", e.from.toStdString()},
                                  {"to", e.to.toStdString()},
                                  {"port", e.port},
                                  {"connections", e.connections},
                                  {"recentlyClosed", e.recentlyClosed}});
        printJson(j);
        return errors.empty() ? ExitOk : ExitNotOnline;
    }
    QString t;
    for (const auto& n : ctx.inventory.nodes) {
        if (!host.count(n.name)) {
            t += Ctl::tr("%1: no answer (%2)")
                     .arg(safe(n.name), errors.count(n.name) ? safe(errors.at(n.name)) : QString()) +
                 QLatin1Char('\n');
            continue;
        }
        const auto& h = host.at(n.name);
        const double cpu = h.cpus.empty() ? 0 : h.cpus.front().busyPct;
        const double mem = h.memTotalKiB ? 100.0 * static_cast<double>(h.memTotalKiB - h.memAvailableKiB) /
                                               static_cast<double>(h.memTotalKiB)
                                         : 0;
        double fullest = 0;
        QString fullestMount;
        for (const auto& f : h.filesystems)
            if (f.totalBytes && 100.0 * static_cast<double>(f.usedBytes) / static_cast<double>(f.totalBytes) > fullest) {
                fullest = 100.0 * static_cast<double>(f.usedBytes) / static_cast<double>(f.totalBytes);
                fullestMount = q(f.mountPoint);
            }
        t += Ctl::tr("%1: load %2, CPU %3 %, memory %4 %, fullest %5 at %6 %")
                 .arg(safe(n.name))
                 .arg(h.load1, 0, 'f', 2)
                 .arg(cpu, 0, 'f', 0)
                 .arg(mem, 0, 'f', 0)
                 .arg(fullestMount)
                 .arg(fullest, 0, 'f', 0) +
             QLatin1Char('\n');
        if (apache.count(n.name) && apache.at(n.name).state == proto::ApacheState::Ok) {
            const auto& a = apache.at(n.name);
            t += Ctl::tr("  Apache %1: %2 busy, %3 idle of %4, %5 requests/s")
                     .arg(q(a.mpm))
                     .arg(a.busyWorkers)
                     .arg(a.idleWorkers)
                     .arg(a.serverLimit)
                     .arg(a.requestsPerSec, 0, 'f', 1) +
                 QLatin1Char('\n');
        }
    }
    for (const auto& e : edges)
        t += Ctl::tr("edge %1 -> %2:%3 (%4 connections, %5 closed in the last minute)")
                 .arg(safe(e.from), safe(e.to))
                 .arg(e.port)
                 .arg(e.connections)
                 .arg(e.recentlyClosed) +
             QLatin1Char('\n');
    out(t);
    return errors.empty() ? ExitOk : ExitNotOnline;
}

int runLogs(Context& ctx)
{
    if (ctx.args.size() != 2) {
        err(Ctl::tr("usage: logs NODE SOURCE [--since 1h] [--grep TEXT] [--lines N]"));
        return ExitUsage;
    }
    proto::LogsParams p;
    p.source = ctx.args[1].toStdString();
    p.grep = ctx.grep.toStdString();
    p.follow = ctx.follow;
    p.since = parseSince(ctx.since);
    if (p.since < 0) {
        err(Ctl::tr("--since takes 30s, 15m, 2h, 1d, unix seconds or an ISO date-time"));
        return ExitUsage;
    }
    if (ctx.lines > 0)
        p.maxLines = static_cast<std::uint32_t>(ctx.lines);
    Session s(ctx);
    s.connect();
    auto* c = s.online(ctx.args[0]);
    if (!c) {
        err(Ctl::tr("%1 is not online: %2").arg(safe(ctx.args[0]), safe(s.pool->lastError(ctx.args[0]))));
        return ExitNotOnline;
    }
    std::optional<Expected<proto::LogsResult>> answer;
    s.expect();
    c->call(proto::methods::LogsQuery, p, std::function<void(const Expected<proto::LogsResult>&)>([&](const auto& r) {
                answer = r;
                s.done();
            }));
    s.wait();
    if (!answer || !*answer) {
        err(answer ? q((*answer).error().message) : Ctl::tr("no answer within the timeout"));
        return ExitActionFailed;
    }
    const auto& r = answer->value();
    if (ctx.json) {
        printJson(rpc::Json(r));
        return ExitOk;
    }
    QString t;
    for (const auto& l : r.lines)
        t += q(l.text) + QLatin1Char('\n');
    if (r.truncated)
        t += Ctl::tr("(older lines left out; narrow with --since or --grep)") + QLatin1Char('\n');
    out(t);
    if (ctx.follow && !r.followTopic.empty()) {
        // New lines until interrupted; the grep filter applies here, the agent pushes every line.
        std::fflush(stdout);
        s.deadline.stop();
        const QString grep = ctx.grep;
        c->subscribe({raw(r.followTopic)}, [grep](const QString&, const rpc::Json& params) {
            const auto delta = proto::fromJson<proto::LogTopic>(params);
            if (!delta)
                return;
            for (const auto& line : delta->lines) {
                if (grep.isEmpty() || raw(line.text).contains(grep))
                    out(q(line.text) + QLatin1Char('\n'));
            }
            std::fflush(stdout);
        });
        QObject::connect(s.pool.get(), &console::ConnectionPool::nodeStateChanged, &s.loop, &QEventLoop::quit);
        s.loop.exec();
        err(Ctl::tr("%1 is not online: %2").arg(safe(ctx.args[0]), safe(s.pool->lastError(ctx.args[0]))));
        return ExitNotOnline;
    }
    return ExitOk;
}

int runHistory(Context& ctx)
{
    if (ctx.args.isEmpty() || ctx.args.size() > 2) {
        err(Ctl::tr("usage: history NODE [SERIES] [--since 1h] [--step S]"));
        return ExitUsage;
    }
    proto::HistoryParams p;
    p.series = ctx.args.size() == 2 ? ctx.args[1].toStdString() : std::string();
    p.since = parseSince(ctx.since);
    if (p.since < 0) {
        err(Ctl::tr("--since takes 30s, 15m, 2h, 1d, unix seconds or an ISO date-time"));
        return ExitUsage;
    }
    p.step = static_cast<std::uint32_t>(std::max(1, ctx.step));
    Session s(ctx);
    s.connect();
    auto* c = s.online(ctx.args[0]);
    if (!c) {
        err(Ctl::tr("%1 is not online: %2").arg(safe(ctx.args[0]), safe(s.pool->lastError(ctx.args[0]))));
        return ExitNotOnline;
    }
    std::optional<Expected<proto::HistoryResult>> answer;
    s.expect();
    c->call(proto::methods::HistoryGet, p,
            std::function<void(const Expected<proto::HistoryResult>&)>([&](const auto& r) {
                answer = r;
                s.done();
            }));
    s.wait();
    if (!answer || !*answer) {
        err(answer ? q((*answer).error().message) : Ctl::tr("no answer within the timeout"));
        return ExitActionFailed;
    }
    const auto& r = answer->value();
    if (ctx.json) {
        printJson(rpc::Json(r));
        return ExitOk;
    }
    QString t;
    if (p.series.empty()) {
        for (const auto& name : r.available)
            t += q(name) + QLatin1Char('\n');
    } else {
        for (std::size_t i = 0; i < r.times.size() && i < r.values.size(); ++i)
            t += QDateTime::fromSecsSinceEpoch(r.times[i]).toString(Qt::ISODate) + QLatin1Char(' ') +
                 QString::number(r.values[i], 'g', 6) + QLatin1Char('\n');
    }
    out(t);
    return ExitOk;
}

} // namespace hadeck::ctl

namespace hadeck::ctl {

namespace {

/// Runs an operator action on one node: the preflight first (dryRun), printed; then,
/// unless it warned and --force was not given, the action itself. The agent audits both.
template <typename P>
int runAppAction(Context& ctx, const QString& node, const proto::MethodSpec<P, proto::ActionResult>& spec, P params)
{
    Session s(ctx);
    s.connect();
    auto* c = s.online(node);
    if (!c) {
        err(Ctl::tr("%1 is not online: %2").arg(safe(node), safe(s.pool->lastError(node))));
        return ExitNotOnline;
    }
    // Actions run programs on the node (mfscli, SQL): at least 60 s, whatever --timeout says.
    const int actionTimeoutMs = std::max(ctx.timeoutSeconds, 60) * 1000;
    const auto ask = [&](bool dryRun) {
        std::optional<Expected<proto::ActionResult>> answer;
        params.dryRun = dryRun;
        s.expect();
        const std::function<void(const Expected<proto::ActionResult>&)> got = [&](const auto& r) {
            answer = r;
            s.done();
        };
        if (dryRun) {
            // The preflight is safe to ask twice: a link that drops under it is waited for.
            c->ask(spec, params, got, actionTimeoutMs, console::AgentClient::kReconnectWaitMs,
                   [](const QString& m) { err(m); });
        } else {
            c->call(spec, params, got, actionTimeoutMs);
        }
        s.wait(actionTimeoutMs + console::AgentClient::kReconnectWaitMs + 1000);
        return answer;
    };
    const auto pre = ask(true);
    if (!pre || !*pre) {
        err(pre ? q((*pre).error().message) : Ctl::tr("no answer within the timeout"));
        return ExitActionFailed;
    }
    QString t;
    for (const auto& line : (*pre)->preflight)
        t += QStringLiteral("  ") + q(line) + QLatin1Char('\n');
    for (const auto& w : (*pre)->warnings)
        t += Ctl::tr("WARNING") + QStringLiteral(": ") + q(w) + QLatin1Char('\n');
    if (!ctx.json)
        out(t);
    if (!(*pre)->warnings.empty() && !ctx.force) {
        err(Ctl::tr("not done: the preflight warns; repeat with --force to go ahead"));
        if (ctx.json)
            printJson(rpc::Json(**pre));
        return ExitActionFailed;
    }
    const auto done = ask(false);
    if (!done || !*done) {
        err(done ? q((*done).error().message) : Ctl::tr("no answer within the timeout"));
        return ExitActionFailed;
    }
    if (ctx.json)
        printJson(rpc::Json(**done));
    else
        out(q((*done)->message) + QLatin1Char('\n'));
    return ExitOk;
}

std::optional<bool> onOff(const QString& s)
{
    if (s == QLatin1String("on") || s == QLatin1String("start"))
        return true;
    if (s == QLatin1String("off") || s == QLatin1String("stop"))
        return false;
    return std::nullopt;
}

} // namespace

int runDbReplica(Context& ctx)
{
    const auto start = ctx.args.size() == 2 ? onOff(ctx.args[1]) : std::nullopt;
    if (!start) {
        err(Ctl::tr("usage: db-replica NODE start|stop [--force]"));
        return ExitUsage;
    }
    return runAppAction(ctx, ctx.args[0], *start ? proto::methods::DbReplicaStart : proto::methods::DbReplicaStop,
                        proto::ReplicaActionParams{});
}

int runDbReadOnly(Context& ctx)
{
    const auto on = ctx.args.size() == 2 ? onOff(ctx.args[1]) : std::nullopt;
    if (!on) {
        err(Ctl::tr("usage: db-read-only NODE on|off [--force]"));
        return ExitUsage;
    }
    proto::ReadOnlyParams p;
    p.on = *on;
    return runAppAction(ctx, ctx.args[0], proto::methods::DbSetReadOnly, p);
}

int runMfsMaintenance(Context& ctx)
{
    const auto on = ctx.args.size() == 3 ? onOff(ctx.args[2]) : std::nullopt;
    if (!on) {
        err(Ctl::tr("usage: mfs-maintenance MASTER_NODE CHUNKSERVER_IP on|off [--port 9422] [--force]"));
        return ExitUsage;
    }
    proto::MfsMaintenanceParams p;
    p.host = ctx.args[1].toStdString();
    p.port = static_cast<std::uint16_t>(ctx.port > 0 ? ctx.port : 9422);
    p.on = *on;
    return runAppAction(ctx, ctx.args[0], proto::methods::MfsSetMaintenance, p);
}

/// audit [NODE...]: the agents' audit entries merged in time order (filtered by --user,
/// --grep on the action, --since, at most --lines a node), then each node's chain verification.
int runAudit(Context& ctx)
{
    for (const auto& n : ctx.args) {
        if (!ctx.inventory.node(n)) {
            err(Ctl::tr("%1 is not in the inventory").arg(n));
            return ExitUsage;
        }
    }
    proto::AuditTailParams p;
    p.user = ctx.user.toStdString();
    p.method = ctx.grep.toStdString();
    p.since = parseSince(ctx.since);
    if (p.since < 0) {
        err(Ctl::tr("--since takes 30s, 15m, 2h, 1d, unix seconds or an ISO date-time"));
        return ExitUsage;
    }
    if (ctx.lines > 0)
        p.maxEntries = static_cast<std::uint32_t>(ctx.lines);
    Session s(ctx);
    s.connect();
    std::map<QString, proto::AuditTailResult> tails;
    std::map<QString, proto::AuditVerifyResult> chains;
    std::map<QString, QString> errors;
    for (const auto& n : ctx.inventory.nodes) {
        if (!ctx.args.isEmpty() && !ctx.args.contains(n.name))
            continue;
        auto* c = s.online(n.name);
        if (!c) {
            errors[n.name] = Ctl::tr("not online: %1").arg(s.pool->lastError(n.name));
            continue;
        }
        s.expect();
        c->call(proto::methods::AuditTail, p,
                std::function<void(const Expected<proto::AuditTailResult>&)>([&, name = n.name](const auto& r) {
                    if (r)
                        tails[name] = *r;
                    else
                        errors[name] = q(r.error().message);
                    s.done();
                }));
        s.expect();
        c->call(proto::methods::AuditVerify, proto::Empty{},
                std::function<void(const Expected<proto::AuditVerifyResult>&)>([&, name = n.name](const auto& r) {
                    if (r)
                        chains[name] = *r;
                    else
                        errors[name] = q(r.error().message);
                    s.done();
                }),
                60000);
    }
    s.wait(60000);
    bool broken = false;
    for (const auto& [n, v] : chains)
        broken = broken || !v.ok;
    if (ctx.json) {
        rpc::Json j = rpc::Json::object();
        for (const auto& [n, t] : tails)
            j[n.toStdString()]["tail"] = rpc::Json(t);
        for (const auto& [n, v] : chains)
            j[n.toStdString()]["chain"] = rpc::Json(v);
        for (const auto& [n, e] : errors)
            j[n.toStdString()]["error"] = e.toStdString();
        printJson(j);
    } else {
        struct Line {
            std::int64_t time;
            QString node;
            const proto::AuditRecord* e;
        };
        std::vector<Line> merged;
        for (const auto& [n, t] : tails) {
            for (const auto& e : t.entries)
                merged.push_back({e.time, n, &e});
        }
        std::stable_sort(merged.begin(), merged.end(), [](const Line& a, const Line& b) { return a.time < b.time; });
        QString t;
        for (const auto& l : merged) {
            t += QDateTime::fromSecsSinceEpoch(l.time).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
                 QLatin1Char(' ') + l.node + QLatin1Char(' ') + q(l.e->user) + QLatin1Char(' ') + q(l.e->method) +
                 (l.e->phase.empty() ? QString() : QLatin1Char(' ') + q(l.e->phase)) + QLatin1Char(' ') +
                 q(l.e->params) + (l.e->result.empty() ? QString() : QStringLiteral(" -> ") + q(l.e->result)) +
                 QLatin1Char('\n');
        }
        t += QLatin1Char('\n');
        for (const auto& [n, v] : chains) {
            t += v.ok ? Ctl::tr("%1: chain intact, %2 entries (%3)").arg(n).arg(v.entries).arg(q(v.path))
                      : Ctl::tr("%1: chain BROKEN at line %2 of %3: %4")
                            .arg(n)
                            .arg(v.brokenLine)
                            .arg(q(v.path), q(v.reason));
            t += QLatin1Char('\n');
        }
        for (const auto& [n, e] : errors)
            t += Ctl::tr("%1: %2").arg(n, e) + QLatin1Char('\n');
        out(t);
    }
    if (broken)
        return ExitCheckCritical;
    return errors.empty() ? ExitOk : ExitNotOnline;
}

} // namespace hadeck::ctl
