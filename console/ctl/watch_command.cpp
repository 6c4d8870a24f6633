// hadeckctl watch: the cluster's live changes as they happen, one line each (or one JSON object
// per line with --json), from the same live feed and model the GUI's timeline reads: links,
// VRRP transitions, real servers in and out of service, and the cross-node alarms raised and
// cleared. It runs until interrupted, reconnecting to nodes that go away.

#include "commands.h"
#include "ctl_tr.h"
#include "terminalprompter.h"
#include "textout.h"

#include <hadeck/console/actions/live_cluster.h>
#include <hadeck/console/checks/alarm.h>
#include <hadeck/console/model/clusterevent.h>

#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <memory>

namespace hadeck::ctl {

namespace {

/// Stable names for scripts (the text columns are translated).
QString kindId(console::ClusterEvent::Kind kind)
{
    using K = console::ClusterEvent::Kind;
    switch (kind) {
    case K::AlarmRaised: return QStringLiteral("alarm-raised");
    case K::AlarmCleared: return QStringLiteral("alarm-cleared");
    case K::VrrpTransition: return QStringLiteral("vrrp-transition");
    case K::RealServerHealth: return QStringLiteral("real-server-health");
    case K::LinkChange: return QStringLiteral("link");
    case K::AdminAction: return QStringLiteral("action");
    }
    return {};
}

QString severityId(console::Severity s)
{
    switch (s) {
    case console::Severity::Info: return QStringLiteral("info");
    case console::Severity::Warning: return QStringLiteral("warning");
    case console::Severity::Critical: return QStringLiteral("critical");
    }
    return {};
}

void printEvent(const console::ClusterEvent& e, bool json)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(e.timeMs);
    if (json) {
        // One object per line; JSON escapes every control character in agent text.
        const QJsonObject o{{QStringLiteral("time"), at.toUTC().toString(Qt::ISODateWithMs)},
                            {QStringLiteral("kind"), kindId(e.kind)},
                            {QStringLiteral("severity"), severityId(e.severity)},
                            {QStringLiteral("node"), e.node},
                            {QStringLiteral("text"), e.text}};
        writeText(stdout, QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
    } else {
        writeText(stdout, QStringLiteral("%1  %2  %3  %4  %5\n")
                              .arg(at.toString(QStringLiteral("HH:mm:ss.zzz")),
                                   console::severityName(e.severity).leftJustified(8),
                                   console::eventKindName(e.kind).leftJustified(11),
                                   terminalSafe(e.node).leftJustified(10), terminalSafe(e.text)));
    }
    std::fflush(stdout);
}

} // namespace

int runWatch(Context& ctx)
{
    if (!ctx.args.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(Ctl::tr("watch takes no arguments")));
        return ExitUsage;
    }
    const auto prompter = commandPrompter(ctx.batch);
    console::ConnectionPoolOptions opts;
    opts.client.clientName = QStringLiteral("hadeckctl");
    opts.connectTimeoutMs = ctx.timeoutSeconds * 1000;
    console::ClusterModel model(ctx.inventory.name);
    QObject::connect(&model, &console::ClusterModel::eventsOccurred,
                     [&ctx](const QList<console::ClusterEvent>& events) {
                         for (const auto& e : events)
                             printEvent(e, ctx.json);
                     });
    console::LiveCluster live(ctx.inventory, prompter.get(), model, opts);
    if (!ctx.json) {
        writeText(stdout, Ctl::tr("Watching %n node(s) of %1; Ctrl+C ends.", nullptr,
                                  static_cast<int>(ctx.inventory.nodes.size()))
                                  .arg(terminalSafe(ctx.inventory.name)) +
                              QLatin1Char('\n'));
        std::fflush(stdout);
    }
    live.start();
    QEventLoop loop;
    return loop.exec();
}

} // namespace hadeck::ctl
