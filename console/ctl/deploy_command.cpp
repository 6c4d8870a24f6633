// hadeckctl deploy NODE...: installs or upgrades hadeck-agent over SSH, the same job the GUI runs.

#include "commands.h"
#include "ctl_tr.h"
#include "terminal.h"
#include "terminalprompter.h"
#include "textout.h"

#include <hadeck/console/actions/deploy_job.h>
#include <hadeck/console/connectionpool.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <memory>

namespace hadeck::ctl {

namespace {
void err(const QString& text) { writeText(stderr, terminalSafe(text, true)); }

} // namespace

int runDeploy(Context& ctx)
{
    if (ctx.args.isEmpty()) {
        err(Ctl::tr(
            "usage: hadeckctl deploy NODE... [--package FILE.deb] [--group hadeck|hadeck-operator|hadeck-admin]\n"));
        return ExitUsage;
    }
    console::DeployRequest req;
    req.nodes = ctx.args;
    req.packagePath = ctx.package.isEmpty() ? console::newestAgentPackage(console::defaultPackageDirs()) : ctx.package;
    if (req.packagePath.isEmpty()) {
        err(Ctl::tr("hadeckctl: no hadeck-agent_*.deb here or beside hadeckctl; give one with --package FILE.deb\n"));
        return ExitUsage;
    }
    req.group = ctx.group.isEmpty() ? QStringLiteral("hadeck") : ctx.group;
    req.startCommand = ctx.startCommand;
    req.helloTimeoutMs = ctx.actionTimeoutSeconds * 1000 * 2;

    const auto prompter = commandPrompter(ctx.batch);
    console::ConnectionPoolOptions opts;
    opts.client.clientName = QStringLiteral("hadeckctl");
    opts.client.autoReconnect = false; // the job asks again itself while the agent starts
    opts.connectTimeoutMs = ctx.actionTimeoutSeconds * 1000;
    opts.client.requestTimeoutMs = ctx.actionTimeoutSeconds * 1000;
    console::ConnectionPool pool(ctx.inventory, prompter.get(), opts);

    console::DeployJob job(&pool, req);
    const bool batch = ctx.batch || !stdinIsTerminal();
    job.setPasswordAsker(
        [batch](const QString& node, const QString& user, std::function<void(std::optional<QByteArray>)> reply) {
            if (batch) {
                err(Ctl::tr("%1: sudo needs the password of %2, and this run may not ask (--batch or no terminal)\n")
                        .arg(node, user));
                reply(std::nullopt);
                return;
            }
            err(Ctl::tr("[sudo] password of %1 on %2: ").arg(terminalSafe(user), terminalSafe(node)));
            QString line = readTerminalLine(false);
            err(QStringLiteral("\n"));
            if (line.isNull()) {
                reply(std::nullopt);
                return;
            }
            QByteArray bytes = line.toUtf8();
            line.fill(QChar(0));
            line.clear();
            reply(std::move(bytes)); // the job wipes it after use
        });
    QHash<QString, QPair<console::DeployJob::Step, int>> shown; // last step and upload quarter printed
    QHash<QString, QString> shownDetail;
    QObject::connect(&job, &console::DeployJob::nodeChanged, [&](const QString& node) {
        const auto p = job.progress(node);
        const int quarter = p.uploadTotal > 0 ? static_cast<int>(4 * p.uploaded / p.uploadTotal) : 0;
        // One line per step, and per quarter of the upload; the password question's line too.
        const auto last = shown.value(node, {console::DeployJob::Step::Queued, -1});
        const bool uploading = p.step == console::DeployJob::Step::Uploading;
        if (last.first == p.step && (!uploading || last.second == quarter) && shownDetail.value(node) == p.detail)
            return;
        if (last.first == p.step && uploading && last.second == quarter)
            return;
        shown[node] = {p.step, quarter};
        shownDetail[node] = p.detail;
        err(QStringLiteral("%1: %2\n").arg(terminalSafe(node), terminalSafe(p.detail)));
    });
    QEventLoop loop;
    bool allOk = false;
    QObject::connect(&job, &console::DeployJob::finished, &loop, [&](bool ok) {
        allOk = ok;
        loop.quit();
    });
    if (auto st = job.start(); !st) {
        err(Ctl::tr("hadeckctl: %1\n").arg(QString::fromStdString(st.error().message)));
        return ExitUsage;
    }
    err(Ctl::tr("deploying %1 to %2\n")
            .arg(QFileInfo(req.packagePath).fileName(), req.nodes.join(QStringLiteral(", "))));
    loop.exec();
    pool.disconnectAll();

    if (ctx.json) {
        QJsonArray nodes;
        for (const auto& p : job.progress()) {
            QJsonObject o;
            o[QStringLiteral("name")] = p.node;
            o[QStringLiteral("ok")] = p.step == console::DeployJob::Step::Done;
            o[QStringLiteral("versionBefore")] = p.versionBefore.isEmpty() ? QJsonValue() : QJsonValue(p.versionBefore);
            o[QStringLiteral("versionAfter")] = p.versionAfter.isEmpty() ? QJsonValue() : QJsonValue(p.versionAfter);
            o[QStringLiteral("error")] = p.error.isEmpty() ? QJsonValue() : QJsonValue(p.error);
            o[QStringLiteral("seconds")] = p.seconds;
            nodes.append(o);
        }
        QJsonObject root;
        root[QStringLiteral("package")] = req.packagePath;
        root[QStringLiteral("group")] = req.group;
        root[QStringLiteral("nodes")] = nodes;
        writeText(stdout, QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
    } else {
        for (const auto& p : job.progress())
            writeText(
                stdout,
                terminalSafe(QStringLiteral("%1  %2  %3\n").arg(p.node, console::DeployJob::stepName(p.step), p.detail),
                             true));
        writeText(stdout, terminalSafe(job.summary(), false) + QLatin1Char('\n'));
    }
    return allOk ? ExitOk : ExitActionFailed;
}

} // namespace hadeck::ctl
