// hadeckctl drain | restore | failover | maintenance: the same jobs the GUI runs.

#include "commands.h"
#include "ctl_tr.h"
#include "terminal.h"
#include "terminalprompter.h"
#include "textout.h"

#include <hadeck/console/actions/drain_job.h>
#include <hadeck/console/actions/failover_job.h>
#include <hadeck/console/actions/track_file_job.h>
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

// Messages mix the CLI's own lines with agent text: every control but the newline is escaped.
void out(const QString& text)
{
    writeText(stdout, terminalSafe(text, true));
}

void err(const QString& text)
{
    writeText(stderr, terminalSafe(text, true));
}

void writeJson(const QString& text)
{
    writeText(stdout, text);
}

void printJson(const QJsonObject& o)
{
    writeJson(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented)));
}

/// A connected pool for one command: every node tried once, the directors needed.
class Session {
public:
    explicit Session(Context& ctx)
    {
        m_prompter = commandPrompter(ctx.batch);
        console::ConnectionPoolOptions opts;
        opts.client.clientName = QStringLiteral("hadeckctl");
        // Actions wait longer than a status: a loaded director's SSH login can take more than 10 s.
        opts.connectTimeoutMs = ctx.actionTimeoutSeconds * 1000;
        opts.client.requestTimeoutMs = std::max(opts.client.requestTimeoutMs, ctx.actionTimeoutSeconds * 1000);
        m_pool = std::make_unique<console::ConnectionPool>(ctx.inventory, m_prompter.get(), opts);
        m_rpc = std::make_unique<console::PoolRpc>(*m_pool);
        QEventLoop loop;
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(m_pool.get(), &console::ConnectionPool::settled, &loop, &QEventLoop::quit);
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        deadline.start(ctx.actionTimeoutSeconds * 1000);
        m_pool->connectAll();
        if (!m_pool->allSettled()) {
            loop.exec();
        }
    }
    console::PoolRpc& rpc() { return *m_rpc; }
    console::ConnectionPool& pool() { return *m_pool; }

    /// The directors, or an exit code after saying why none can be used.
    int checkDirectors() const
    {
        const QStringList directors = m_rpc->directors();
        if (directors.isEmpty()) {
            err(Ctl::tr("hadeckctl: no director in this cluster answered\n"));
            if (m_pool->countIn(console::NodeState::Refused) > 0)
                return ExitRefused;
            return m_pool->countIn(console::NodeState::ProtocolError) +
                               m_pool->countIn(console::NodeState::VersionMismatch) >
                           0
                       ? ExitProtocol
                       : ExitNotOnline;
        }
        return ExitOk;
    }

private:
    std::unique_ptr<console::CredentialPrompter> m_prompter;
    std::unique_ptr<console::ConnectionPool> m_pool;
    std::unique_ptr<console::PoolRpc> m_rpc;
};

/// NODE (an inventory name) or ADDRESS → the real server's address.
QString realServerAddress(const Context& ctx, const QString& arg)
{
    if (const auto* spec = ctx.inventory.node(arg)) {
        return spec->address;
    }
    return arg;
}

QString bar(double fraction, int width = 30)
{
    const int filled = std::clamp(static_cast<int>(fraction * width + 0.5), 0, width);
    return QStringLiteral("[") + QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.')) +
           QStringLiteral("]");
}

QJsonObject progressJson(const console::DrainJob& job)
{
    const auto& p = job.progress();
    QJsonArray directors;
    for (const auto& d : p.directors) {
        directors.append(QJsonObject{{QStringLiteral("node"), d.node},
                                     {QStringLiteral("applied"), d.applied},
                                     {QStringLiteral("error"), d.error.isEmpty() ? QJsonValue() : QJsonValue(d.error)},
                                     {QStringLiteral("active"), double(d.active)},
                                     {QStringLiteral("inactive"), double(d.inactive)},
                                     {QStringLiteral("persistent"), double(d.persistent)},
                                     {QStringLiteral("stale"), d.stale}});
    }
    QJsonArray checks;
    for (const auto& c : job.preflight().checks) {
        checks.append(QJsonObject{{QStringLiteral("id"), c.id},
                                  {QStringLiteral("outcome"), c.outcome == console::PreflightCheck::Outcome::Pass
                                                                  ? QStringLiteral("pass")
                                                                  : c.outcome == console::PreflightCheck::Outcome::Warn
                                                                        ? QStringLiteral("warn")
                                                                        : QStringLiteral("fail")},
                                  {QStringLiteral("title"), c.title},
                                  {QStringLiteral("detail"), c.detail}});
    }
    auto opt = [](const auto& o) { return o ? QJsonValue(double(*o)) : QJsonValue(); };
    return QJsonObject{{QStringLiteral("phase"), console::DrainJob::phaseName(p.phase)},
                       {QStringLiteral("directors"), directors},
                       {QStringLiteral("realServerNode"), p.realServerNode},
                       {QStringLiteral("established"), opt(p.established)},
                       {QStringLiteral("busyWorkers"), opt(p.busyWorkers)},
                       {QStringLiteral("remaining"), p.remaining},
                       {QStringLiteral("etaSeconds"), opt(p.etaSeconds)},
                       {QStringLiteral("templates"), double(p.templates)},
                       {QStringLiteral("templatesExpireInSeconds"), opt(p.templatesExpireInSeconds)},
                       {QStringLiteral("persistenceTimeoutSec"), double(p.persistenceTimeoutSec)},
                       {QStringLiteral("elapsedSeconds"), p.elapsedSeconds},
                       {QStringLiteral("applyLatencyMs"), opt(p.applyLatencyMs)},
                       {QStringLiteral("forced"), p.forced},
                       {QStringLiteral("preflight"), checks},
                       {QStringLiteral("summary"), job.summary()}};
}

void printChecks(const console::PreflightReport& report)
{
    for (const auto& c : report.checks) {
        const char* mark = c.outcome == console::PreflightCheck::Outcome::Pass   ? "ok  "
                           : c.outcome == console::PreflightCheck::Outcome::Warn ? "warn"
                                                                                 : "FAIL";
        err(QStringLiteral("  %1  %2\n").arg(QLatin1String(mark), c.title));
        if (!c.detail.isEmpty() && c.outcome != console::PreflightCheck::Outcome::Pass) {
            err(QStringLiteral("        %1\n").arg(QString(c.detail).replace(QLatin1Char('\n'), QStringLiteral("\n        "))));
        }
    }
}

/// The choice at a drain timeout: --on-timeout, else asked on a terminal, else give up.
console::DrainTimeoutChoice timeoutChoice(const Context& ctx, const console::DrainJob& job, bool progressOnTty)
{
    if (ctx.onTimeout) {
        return *ctx.onTimeout;
    }
    if (ctx.batch || ctx.json || !stdinIsTerminal()) {
        return console::DrainTimeoutChoice::Fail;
    }
    if (progressOnTty) {
        err(QStringLiteral("\n"));
    }
    for (;;) {
        err(hadeck::ctl::Ctl::tr("Timed out after %1 s with %2 connection(s) left. [w]ait another %3 s, [f]orce (call it done), "
               "[c]ancel (give the weight back), or [q]uit (the drain stays)? ")
                .arg(job.progress().elapsedSeconds, 0, 'f', 0)
                .arg(job.progress().remaining)
                .arg(ctx.drainTimeoutSeconds));
        const QString line = readTerminalLine(true);
        if (line.isNull()) {
            return console::DrainTimeoutChoice::Fail; // end of input: nobody to ask
        }
        if (const auto choice = console::parseDrainTimeoutChoice(line)) {
            return *choice;
        }
        err(hadeck::ctl::Ctl::tr("Please answer w, f, c or q.\n"));
    }
}

} // namespace

int runDrain(Context& ctx)
{
    if (ctx.args.size() != 1) {
        err(Ctl::tr("usage: hadeckctl drain NODE|ADDRESS [--service KEY] [--port N] [--force] [--wait] [--drain-timeout S] "
               "[--on-timeout wait|force|cancel|fail]\n"));
        return ExitUsage;
    }
    Session session(ctx);
    if (const int code = session.checkDirectors(); code != ExitOk) {
        return code;
    }
    console::DrainRequest req;
    req.target.address = realServerAddress(ctx, ctx.args.first());
    req.target.serviceKey = ctx.service;
    if (ctx.port > 0) {
        req.target.port = static_cast<quint16>(ctx.port);
    }
    req.force = ctx.force;
    req.timeoutSec = ctx.drainTimeoutSeconds;
    console::DrainJob job(session.rpc(), req);
    QEventLoop loop;
    int code = ExitOk;
    const bool tty = stderrIsTerminal() && !ctx.json;
    double startRemaining = -1;
    std::optional<console::DrainTimeoutChoice> chosen;
    QObject::connect(&job, &console::DrainJob::preflightDone, [&](const console::PreflightReport& r) {
        if (!ctx.json) {
            err(Ctl::tr("Preflight for %1:\n").arg(req.target.address));
            printChecks(r);
        }
    });
    QObject::connect(&job, &console::DrainJob::progressChanged, [&] {
        const auto& p = job.progress();
        if (p.phase == console::DrainJob::Phase::Draining && !ctx.wait) {
            // Applied everywhere: without --wait that is the answer, with one sample of both sides
            // so that the count printed is a measure, not the zero of an empty progress.
            if (p.samples > 0) {
                loop.quit();
            }
            return;
        }
        if (p.phase != console::DrainJob::Phase::Draining || ctx.json || p.elapsedSeconds <= 0) {
            return;
        }
        if (startRemaining < 0 || p.remaining > startRemaining) {
            startRemaining = std::max(1.0, p.remaining);
        }
        quint64 active = 0;
        QStringList stale;
        for (const auto& d : p.directors) {
            if (d.stale) {
                stale << Ctl::tr("%1 stale on %2 (not holding the VIP)").arg(d.active + d.persistent).arg(d.node);
                continue;
            }
            active = std::max<quint64>(active, d.active + d.persistent);
            if (const quint64 closed = console::DrainJob::closedOnServer(p, d); closed > 0) {
                // Entries of connections the server has closed (their FINs went through the peer
                // during a failover): shown, but the server's own count decides.
                stale << Ctl::tr("%1 on %2 already closed on the server").arg(closed).arg(d.node);
            }
        }
        const QString eta = p.etaSeconds ? Ctl::tr("ETA %1 s").arg(*p.etaSeconds, 0, 'f', 0) : Ctl::tr("ETA -");
        QString line =
            Ctl::tr("%1 %2 left  directors %3  server %4  busy %5  %6")
                .arg(bar(1.0 - p.remaining / startRemaining))
                .arg(p.remaining)
                .arg(active)
                .arg(p.established ? QString::number(*p.established) : QStringLiteral("?"))
                .arg(p.busyWorkers ? QString::number(*p.busyWorkers) : QStringLiteral("?"))
                .arg(eta);
        if (!stale.isEmpty()) {
            line += QStringLiteral("  ") + stale.join(QStringLiteral(", "));
        }
        const QString templates = job.persistenceNote();
        if (!templates.isEmpty()) {
            line += QStringLiteral("  ") + templates;
        }
        err(tty ? QString(QStringLiteral("\r\033[K") + line) : QString(line + QLatin1Char('\n')));
    });
    QObject::connect(&job, &console::DrainJob::finishedWith, [&](bool ok, const QString& message) {
        if (!ok) {
            // Cancelled at the timeout: the drain did not finish in time, and the weight is back.
            code = chosen == console::DrainTimeoutChoice::Cancel &&
                           job.progress().phase == console::DrainJob::Phase::Cancelled
                       ? ExitTimedOut
                       : ExitActionFailed;
        }
        if (!ctx.json) {
            err((tty ? QStringLiteral("\n") : QString()) + message + QLatin1Char('\n'));
        }
        loop.quit();
    });
    QObject::connect(&job, &console::DrainJob::phaseChanged, [&](console::DrainJob::Phase p) {
        if (p == console::DrainJob::Phase::TimedOut) {
            // Decided outside the job's own signal, so the choice may change its phase again.
            QTimer::singleShot(0, &loop, [&] {
                const auto choice = timeoutChoice(ctx, job, tty);
                chosen = choice;
                switch (choice) {
                case console::DrainTimeoutChoice::Wait:
                    if (!ctx.json) {
                        err(Ctl::tr("Waiting another %1 s.\n").arg(req.timeoutSec));
                    }
                    job.keepWaiting();
                    break;
                case console::DrainTimeoutChoice::Force: job.forceFinish(); break;
                case console::DrainTimeoutChoice::Cancel: job.cancel(); break;
                case console::DrainTimeoutChoice::Fail:
                    code = ExitTimedOut;
                    loop.quit();
                    break;
                }
            });
            return;
        }
        if (p == console::DrainJob::Phase::PartiallyApplied) {
            code = ExitActionFailed;
            if (!ctx.json) {
                err(job.summary() + QLatin1Char('\n'));
            }
            loop.quit();
        }
    });
    job.start();
    loop.exec();
    if (ctx.json) {
        QJsonObject o = progressJson(job);
        o[QStringLiteral("onTimeout")] = chosen ? QJsonValue(console::drainTimeoutChoiceName(*chosen)) : QJsonValue();
        printJson(o);
    } else if (code == ExitOk && !ctx.wait) {
        out(Ctl::tr("%1 Follow with: hadeckctl drain %2 --wait\n").arg(job.appliedSummary(), ctx.args.first()));
    } else if (code == ExitTimedOut && job.progress().phase != console::DrainJob::Phase::Cancelled) {
        out(Ctl::tr("Timed out with %1 connection(s) left; the drain stays applied. Choose with --on-timeout=wait|force|"
               "cancel (or run on a terminal to be asked), or: hadeckctl restore %2\n")
                .arg(job.progress().remaining)
                .arg(ctx.args.first()));
    }
    return code;
}

int runRestore(Context& ctx)
{
    if (ctx.args.size() != 1) {
        err(Ctl::tr("usage: hadeckctl restore NODE|ADDRESS [--service KEY] [--port N]\n"));
        return ExitUsage;
    }
    Session session(ctx);
    if (const int code = session.checkDirectors(); code != ExitOk) {
        return code;
    }
    proto::DrainTarget params;
    params.address = realServerAddress(ctx, ctx.args.first()).toStdString();
    params.service = ctx.service.toStdString();
    if (ctx.port > 0) {
        params.port = static_cast<std::uint16_t>(ctx.port);
    }
    using RestoreReplies = QMap<QString, console::Reply<proto::DrainRestoreResult>>;
    QEventLoop loop;
    RestoreReplies results;
    console::invokeAll(session.rpc(), session.rpc().directors(), proto::methods::DrainRestore, params,
                     [&](const RestoreReplies& r) {
                         results = r;
                         loop.quit();
                     });
    loop.exec();
    int code = ExitOk;
    QJsonObject json;
    for (auto it = results.begin(); it != results.end(); ++it) {
        if (!it.value()) {
            code = ExitActionFailed;
            json[it.key()] = QJsonObject{{QStringLiteral("error"), QString::fromStdString(it.value().error().message)}};
            err(Ctl::tr("%1: %2\n").arg(it.key(), QString::fromStdString(it.value().error().message)));
            continue;
        }
        json[it.key()] = QJsonDocument::fromJson(QByteArray::fromStdString(proto::toJson(*it.value()).dump())).object();
        for (const auto& r : it.value()->restored) {
            const QString source = QString::fromStdString(r.source);
            QString why = source == QLatin1String("keepalived-config") ? Ctl::tr("keepalived's configuration")
                          : source == QLatin1String("before-drain")   ? Ctl::tr("the weight before the drain")
                                                                      : Ctl::tr("the default");
            if (r.beforeDrain && r.configured && *r.beforeDrain != *r.configured) {
                why += Ctl::tr("; it was %1 before the drain").arg(*r.beforeDrain);
            }
            if (!ctx.json) {
                out(Ctl::tr("%1: %2 weight %3 (from %4)\n")
                        .arg(it.key(), QString::fromStdString(r.dest))
                        .arg(r.weight)
                        .arg(why));
            }
        }
    }
    if (ctx.json) {
        printJson(json);
    }
    return code;
}

namespace {

int runFailoverJob(Context& ctx, console::FailoverRequest req, Session& session)
{
    console::FailoverJob job(session.rpc(), req);
    QEventLoop loop;
    int code = ExitOk;
    QJsonArray steps;
    QObject::connect(&job, &console::FailoverJob::stepAdded, [&](const console::FailoverJob::Step& s) {
        steps.append(QJsonObject{{QStringLiteral("text"), s.text}, {QStringLiteral("ok"), s.ok},
                                 {QStringLiteral("atMs"), s.atMs}});
        if (!ctx.json) {
            err(QStringLiteral("%1 %2  %3\n")
                    .arg(QString::number(s.atMs, 'f', 0).rightJustified(6),
                         s.ok ? QStringLiteral("  ") : QStringLiteral("!!"), terminalSafe(s.text, true)));
        }
    });
    QString final;
    QObject::connect(&job, &console::FailoverJob::finishedWith, [&](bool ok, const QString& message) {
        code = ok ? ExitOk : ExitActionFailed;
        final = message;
        loop.quit();
    });
    job.start();
    loop.exec();
    QJsonArray fixes;
    QStringList fixHints;
    for (const auto& f : job.trackFileFixes()) {
        const QString command = QStringLiteral("hadeckctl add-track %1 %2").arg(f.director, f.instance);
        fixes.append(QJsonObject{{QStringLiteral("director"), f.director},
                                 {QStringLiteral("instance"), f.instance},
                                 {QStringLiteral("snippet"), f.snippet},
                                 {QStringLiteral("command"), command}});
        fixHints << Ctl::tr("%1 lacks the hadeck track file for %2. To add it (admin: checked with keepalived -t, then "
                       "keepalived reloaded):\n    %3")
                        .arg(f.director, f.instance, command);
    }
    if (ctx.json) {
        printJson(QJsonObject{{QStringLiteral("ok"), code == ExitOk},
                              {QStringLiteral("trackFileFixes"), fixes},
                              {QStringLiteral("oldMaster"), job.oldMaster()},
                              {QStringLiteral("newMaster"), job.newMaster()},
                              {QStringLiteral("failoverMs"), job.failoverMs() ? QJsonValue(*job.failoverMs()) : QJsonValue()},
                              {QStringLiteral("transitionMs"),
                               job.transitionMs() ? QJsonValue(*job.transitionMs()) : QJsonValue()},
                              {QStringLiteral("verifiedBy"), job.verifiedBy()},
                              {QStringLiteral("note"), job.preemptionNote()},
                              {QStringLiteral("message"), final},
                              {QStringLiteral("steps"), steps}});
    } else {
        out(terminalSafe(final, true) + QLatin1Char('\n'));
        if (code != ExitOk && !fixHints.isEmpty()) {
            out(fixHints.join(QLatin1Char('\n')) + QLatin1Char('\n'));
        }
    }
    return code;
}

} // namespace

int runFailover(Context& ctx)
{
    if (ctx.args.size() != 1) {
        err(Ctl::tr("usage: hadeckctl failover INSTANCE [--group GROUP] [--to DIRECTOR] [--force] [--keep-out]\n"));
        return ExitUsage;
    }
    Session session(ctx);
    if (const int code = session.checkDirectors(); code != ExitOk) {
        return code;
    }
    console::FailoverRequest req;
    req.instance = ctx.args.first();
    req.group = ctx.group;
    req.makeMaster = ctx.to;
    req.force = ctx.force;
    req.keepOut = ctx.keepOut;
    return runFailoverJob(ctx, req, session);
}

int runMaintenance(Context& ctx)
{
    if (ctx.args.size() != 3 || (ctx.args[1] != QLatin1String("on") && ctx.args[1] != QLatin1String("off"))) {
        err(Ctl::tr("usage: hadeckctl maintenance DIRECTOR on|off INSTANCE\n"));
        return ExitUsage;
    }
    Session session(ctx);
    if (const int code = session.checkDirectors(); code != ExitOk) {
        return code;
    }
    const QString director = ctx.args[0];
    const QString instance = ctx.args[2];
    if (!session.rpc().directors().contains(director)) {
        err(Ctl::tr("hadeckctl: %1 is not a director of this cluster\n").arg(director));
        return ExitUsage;
    }
    if (ctx.args[1] == QLatin1String("on")) {
        // A MASTER hands over first (verified); a BACKUP simply goes to FAULT.
        console::FailoverRequest req;
        req.instance = instance;
        req.group = ctx.group;
        req.keepOut = true;
        req.force = ctx.force;
        QEventLoop loop;
        bool isMaster = false;
        console::invoke(session.rpc(), director, proto::methods::VrrpList, {},
                        [&](const console::Reply<proto::VrrpListResult>& r) {
            for (const auto& i : r ? r->instances : std::vector<proto::VrrpInstance>{}) {
                isMaster = isMaster || (QString::fromStdString(i.name) == instance && i.state == proto::VrrpState::Master);
            }
            loop.quit();
        });
        loop.exec();
        if (isMaster) {
            return runFailoverJob(ctx, req, session);
        }
    }
    const auto& method = ctx.args[1] == QLatin1String("on") ? proto::methods::VrrpRelease : proto::methods::VrrpRestore;
    proto::FailoverTarget params;
    if (ctx.group.isEmpty()) {
        params.instance = instance.toStdString();
    } else {
        params.group = ctx.group.toStdString();
    }
    QEventLoop loop;
    int code = ExitOk;
    QJsonObject json{{QStringLiteral("director"), director},
                     {QStringLiteral("instance"), instance},
                     {QStringLiteral("maintenance"), ctx.args[1]}};
    console::invoke(session.rpc(), director, method, params, [&](const console::Reply<proto::FailoverWriteResult>& r) {
        if (!r) {
            code = r.error().code == rpc::PermissionDenied ? ExitRefused : ExitActionFailed;
            json[QStringLiteral("error")] = QString::fromStdString(r.error().message);
            if (!ctx.json) {
                err(QString::fromStdString(r.error().message) + QLatin1Char('\n'));
            }
        } else {
            json[QStringLiteral("written")] =
                QJsonDocument::fromJson(QByteArray::fromStdString(proto::toJson(r->written).dump())).array();
            // Every instance the written track files move, the named one and those sharing a file with it.
            QJsonArray affectedJson;
            QStringList affected; // shown: agent text, one line each
            for (const auto& a : r->affected) {
                affectedJson.append(QString::fromStdString(a));
                affected << terminalSafe(QString::fromStdString(a));
            }
            json[QStringLiteral("affected")] = affectedJson;
            QString message =
                ctx.args[1] == QLatin1String("on")
                    ? Ctl::tr("%1 is out of service for %2 (FAULT) until: hadeckctl maintenance %1 off %2")
                          .arg(director, instance)
                    : Ctl::tr("%1 is back in service for %2.").arg(director, instance);
            affected.removeAll(terminalSafe(instance));
            if (!affected.isEmpty()) {
                const QString list = affected.join(QStringLiteral(", "));
                message +=
                    QLatin1Char('\n') +
                    (ctx.args[1] == QLatin1String("on")
                         ? Ctl::tr("Also out of service on %1 (they share the track file): %2").arg(director, list)
                         : Ctl::tr("Also back in service on %1 (they share the track file): %2").arg(director, list));
            }
            json[QStringLiteral("message")] = message;
            if (!ctx.json) {
                out(message + QLatin1Char('\n'));
            }
        }
        loop.quit();
    });
    loop.exec();
    json[QStringLiteral("ok")] = code == ExitOk;
    if (ctx.json) {
        printJson(json);
    }
    return code;
}

} // namespace hadeck::ctl

namespace hadeck::ctl {

int runAddTrack(Context& ctx)
{
    if (ctx.args.size() != 2) {
        err(Ctl::tr("usage: hadeckctl add-track DIRECTOR INSTANCE\n"));
        return ExitUsage;
    }
    Session session(ctx);
    if (const int code = session.checkDirectors(); code != ExitOk) {
        return code;
    }
    const QString director = ctx.args[0];
    const QString instance = ctx.args[1];
    if (!session.rpc().directors().contains(director)) {
        err(Ctl::tr("hadeckctl: %1 is not a director of this cluster\n").arg(director));
        return ExitUsage;
    }
    if (const QString why = console::TrackFileJob::unavailableReason(session.rpc(), director); !why.isEmpty()) {
        err(QStringLiteral("hadeckctl: %1\n").arg(why));
        return session.rpc().isOnline(director) ? ExitRefused : ExitNotOnline;
    }
    console::TrackFileJob job(session.rpc(), director, instance);
    QEventLoop loop;
    QString message;
    QObject::connect(&job, &console::TrackFileJob::finishedWith, [&](bool, const QString& m) {
        message = m;
        loop.quit();
    });
    job.start();
    loop.exec();
    const auto& r = job.result();
    const int code = r.ok ? ExitOk : r.denied ? ExitRefused : ExitActionFailed;
    if (ctx.json) {
        auto opt = [](const QString& s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
        printJson(QJsonObject{{QStringLiteral("ok"), r.ok},
                              {QStringLiteral("director"), director},
                              {QStringLiteral("instance"), instance},
                              {QStringLiteral("validated"), r.validated},
                              {QStringLiteral("checkWarningsBefore"), r.warningsBefore},
                              {QStringLiteral("reloaded"), r.reloaded},
                              {QStringLiteral("effective"), r.effective},
                              {QStringLiteral("file"), opt(r.file)},
                              {QStringLiteral("backup"), opt(r.backup)},
                              {QStringLiteral("check"), opt(r.checkOutput)},
                              {QStringLiteral("error"), opt(r.error)},
                              {QStringLiteral("snippet"), opt(r.snippet)},
                              {QStringLiteral("message"), message}});
    } else if (r.ok) {
        out(message + QLatin1Char('\n'));
    } else {
        err(message + QLatin1Char('\n'));
    }
    return code;
}

} // namespace hadeck::ctl
