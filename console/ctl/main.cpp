// hadeckctl: scripting access to a HaDeck cluster, everything the GUI does.

#include "commands.h"
#include "ctl_tr.h"

#include <hadeck/console/inventory.h>
#include <hadeck/protocol/version.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

#include <cstdio>

using namespace hadeck;
using hadeck::ctl::Ctl;

namespace {
int usageError(const QString& message)
{
    std::fprintf(stderr, "hadeckctl: %s\n", message.toLocal8Bit().constData());
    return ctl::ExitUsage;
}
// The language is chosen before any text is built (the option descriptions are texts too):
// --lang CODE or --lang=CODE, else HADECK_LANG, else the locale.
QString chosenLanguage(const QStringList& args)
{
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--lang") && i + 1 < args.size())
            return args[i + 1];
        if (args[i].startsWith(QLatin1String("--lang=")))
            return args[i].mid(7);
    }
    if (const QString env = qEnvironmentVariable("HADECK_LANG"); !env.isEmpty())
        return env;
    return QLocale::system().language() == QLocale::Chinese ? QStringLiteral("zh_CN") : QStringLiteral("en");
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // Same AppConfigLocation as the GUI: <config>/HaDeck/hadeck/clusters/.
    QCoreApplication::setApplicationName(QStringLiteral("hadeck"));
    QCoreApplication::setOrganizationName(QStringLiteral("HaDeck"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(hadeck::kVersion));
    QTranslator translator;
    const QString language = chosenLanguage(app.arguments());
    // English too: its catalog gives the plural forms.
    if (translator.load(QStringLiteral(":/i18n/hadeck_%1.qm").arg(language)))
        QCoreApplication::installTranslator(&translator);
    else if (language != QLatin1String("en"))
        std::fprintf(stderr, "hadeckctl: no catalog for language \"%s\"; using English\n",
                     language.toLocal8Bit().constData());

    QString commands;
    for (const auto& c : ctl::commandTable())
        commands += QStringLiteral("  %1  %2\n").arg(c.name.leftJustified(12), c.summary);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        Ctl::tr("Scripting access to a HaDeck cluster.\n\nCommands:\n%1\n"
           "Clusters are files in %2 (use the base name) or any path.\n\n"
           "Exit codes:\n"
           "  0  every node online (or degraded: reachable but slow)\n"
           "  1  some node unreachable or not answering in time\n"
           "  2  usage or inventory error\n"
           "  3  some node refused: unknown or changed host key, authentication, or permission\n"
           "  4  an action was refused by its preflight checks, or failed\n"
           "  5  drain --wait timed out with connections left (not forced; with --on-timeout=cancel the weight "
           "is back)\n"
           "  6  some node sent what this console cannot read (protocol error); it is retried\n"
           "  7  check: a warning alarm is active, or a node did not list its alarms\n"
           "  8  check: a critical alarm is active")
            .arg(commands, console::clustersDirectory()));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption clusterOpt(QStringList{QStringLiteral("c"), QStringLiteral("cluster")},
                                        Ctl::tr("Cluster inventory: a file path or a cluster name."), Ctl::tr("FILE|NAME"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"),
                                      Ctl::tr("Never ask: refuse unknown host keys and encrypted keys."));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), Ctl::tr("Machine-readable output on stdout."));
    const QCommandLineOption timeoutOpt(QStringLiteral("timeout"), Ctl::tr("Seconds to wait for the nodes (default 10; 30 for drain, restore, failover, maintenance and add-track)."),
                                        Ctl::tr("S"), QStringLiteral("10"));
    const QCommandLineOption waitOpt(QStringLiteral("wait"), Ctl::tr("drain: follow the drain until no connection is left."));
    const QCommandLineOption forceOpt(QStringLiteral("force"),
                                      Ctl::tr("drain, failover: go ahead although a preflight check failed (audited)."));
    const QCommandLineOption keepOutOpt(QStringLiteral("keep-out"),
                                        Ctl::tr("failover: keep the old MASTER in FAULT (director maintenance)."));
    const QCommandLineOption serviceOpt(QStringLiteral("service"),
                                        Ctl::tr("drain, restore: only this virtual service, e.g. \"TCP 198.18.0.100:80\"."),
                                        Ctl::tr("KEY"));
    const QCommandLineOption portOpt(QStringLiteral("port"), Ctl::tr("drain, restore: only the real server's port N."), Ctl::tr("N"));
    const QCommandLineOption groupOpt(
        QStringLiteral("group"),
        Ctl::tr("failover, maintenance: the whole VRRP sync group. deploy: the SSH user's group on the node, "
                "hadeck (read), hadeck-operator or hadeck-admin (default hadeck)."),
        Ctl::tr("GROUP"));
    const QCommandLineOption toOpt(QStringLiteral("to"), Ctl::tr("failover: the director that must become MASTER."),
                                   Ctl::tr("DIRECTOR"));
    const QCommandLineOption drainTimeoutOpt(
        QStringLiteral("drain-timeout"), Ctl::tr("drain --wait: seconds before the timeout choice (default 600)."), Ctl::tr("S"),
        QStringLiteral("600"));
    const QCommandLineOption onTimeoutOpt(
        QStringLiteral("on-timeout"),
        Ctl::tr("drain --wait: at the timeout, wait (another period), force (call it done), cancel (give the weight back) "
           "or fail (exit 5, the drain stays). Default: ask on a terminal, else fail."),
        Ctl::tr("CHOICE"));
    const QCommandLineOption addRuleOpt(QStringLiteral("add-rule"), Ctl::tr("fw: a rule (nft text) to add; repeatable."), Ctl::tr("RULE"));
    const QCommandLineOption chainOpt(QStringLiteral("chain"), Ctl::tr("fw: the chain of --add-rule, FAMILY/TABLE/CHAIN."), Ctl::tr("CHAIN"));
    const QCommandLineOption confirmWithinOpt(QStringLiteral("confirm-within"),
                                              Ctl::tr("fw apply: seconds before the agent rolls back (10 to 600, default 60)."),
                                              Ctl::tr("SECONDS"), QStringLiteral("60"));
    const QCommandLineOption policyOpt(QStringLiteral("policy"),
                                       Ctl::tr("fw: set the policy of --chain to accept or drop."), Ctl::tr("POLICY"));
    const QCommandLineOption setOpt(QStringLiteral("set"),
                                    Ctl::tr("fw: the named set of --add-element/--delete-element, FAMILY/TABLE/SET."),
                                    Ctl::tr("SET"));
    const QCommandLineOption addElementOpt(QStringLiteral("add-element"),
                                           Ctl::tr("fw: an element to add to --set; repeatable."), Ctl::tr("ELEMENT"));
    const QCommandLineOption deleteElementOpt(QStringLiteral("delete-element"),
                                              Ctl::tr("fw: an element to delete from --set; repeatable."),
                                              Ctl::tr("ELEMENT"));
    const QCommandLineOption sameRoleOpt(
        QStringLiteral("same-role"),
        Ctl::tr("fw check/apply: also every node that shares a role with NODE, each with a "
                "change of its own, checked, linted and confirmed on its own."));
    const QCommandLineOption noConfirmOpt(
        QStringLiteral("no-confirm"),
        Ctl::tr("fw apply: leave the change pending, to be confirmed with fw confirm after "
                "checking it; unconfirmed, the agent rolls it back."));
    const QCommandLineOption langOpt(QStringLiteral("lang"),
                                     Ctl::tr("Language of the messages: en or zh_CN (default: HADECK_LANG, else the locale)."),
                                     Ctl::tr("CODE"));
    const QCommandLineOption sinceOpt(QStringLiteral("since"),
                                      Ctl::tr("logs, history: from this time on (30s, 15m, 2h, 1d, unix seconds or ISO)."),
                                      Ctl::tr("WHEN"));
    const QCommandLineOption grepOpt(QStringLiteral("grep"), Ctl::tr("logs: only lines containing this text."), Ctl::tr("TEXT"));
    const QCommandLineOption linesOpt(QStringLiteral("lines"), Ctl::tr("logs: at most N lines (default 200)."), Ctl::tr("N"));
    const QCommandLineOption stepOpt(QStringLiteral("step"), Ctl::tr("history: seconds between points (60 and more: minute means)."),
                                     Ctl::tr("S"), QStringLiteral("1"));
    const QCommandLineOption followOpt(QStringLiteral("follow"), Ctl::tr("logs: keep printing new lines."));
    const QCommandLineOption packageOpt(QStringLiteral("package"),
                                        Ctl::tr("deploy: the hadeck-agent .deb (default: the newest hadeck-agent_*.deb "
                                                "here or in the build's packages directory)."),
                                        Ctl::tr("FILE"));
    const QCommandLineOption startCommandOpt(
        QStringLiteral("start-command"),
        Ctl::tr("deploy: how to start the agent on the node, run as root (default: systemd, else start-stop-daemon; "
                "both only where policy-rc.d allows it)."),
        Ctl::tr("CMD"));
    const QCommandLineOption userOpt(QStringLiteral("user"), Ctl::tr("audit: only this user's entries."),
                                     Ctl::tr("USER"));
    parser.addOptions({langOpt, clusterOpt, batchOpt, jsonOpt, timeoutOpt, waitOpt, forceOpt, keepOutOpt, serviceOpt, portOpt,
                       groupOpt, toOpt, drainTimeoutOpt, onTimeoutOpt, addRuleOpt, chainOpt, confirmWithinOpt});
    parser.addOptions({sinceOpt, grepOpt, linesOpt, stepOpt, followOpt, packageOpt, startCommandOpt, userOpt});
    parser.addOptions({policyOpt, setOpt, addElementOpt, deleteElementOpt, sameRoleOpt, noConfirmOpt});
    parser.addPositionalArgument(QStringLiteral("command"), Ctl::tr("What to do (see Commands)."));
    if (!parser.parse(app.arguments()))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(parser.helpText().toLocal8Bit().constData(), stdout);
        return ctl::ExitOk;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("hadeckctl %s\n", hadeck::kVersion);
        return ctl::ExitOk;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(Ctl::tr("no command given; try --help"));
    const ctl::Command* command = nullptr;
    for (const auto& c : ctl::commandTable()) {
        if (c.name == positional.first())
            command = &c;
    }
    if (!command)
        return usageError(Ctl::tr("unknown command \"%1\"; try --help").arg(positional.first()));

    ctl::Context ctx;
    ctx.args = positional.mid(1);
    ctx.batch = parser.isSet(batchOpt);
    ctx.json = parser.isSet(jsonOpt);
    ctx.wait = parser.isSet(waitOpt);
    ctx.force = parser.isSet(forceOpt);
    ctx.keepOut = parser.isSet(keepOutOpt);
    ctx.service = parser.value(serviceOpt);
    ctx.group = parser.value(groupOpt);
    ctx.to = parser.value(toOpt);
    ctx.since = parser.value(sinceOpt);
    ctx.grep = parser.value(grepOpt);
    ctx.follow = parser.isSet(followOpt);
    ctx.package = parser.value(packageOpt);
    ctx.startCommand = parser.value(startCommandOpt);
    ctx.user = parser.value(userOpt);
    if (parser.isSet(linesOpt)) {
        bool linesOk = false;
        ctx.lines = parser.value(linesOpt).toInt(&linesOk);
        if (!linesOk || ctx.lines < 1 || ctx.lines > 5000)
            return usageError(Ctl::tr("--lines needs a number from 1 to 5000"));
    }
    {
        bool stepOk = false;
        ctx.step = parser.value(stepOpt).toInt(&stepOk);
        if (!stepOk || ctx.step < 1 || ctx.step > 86400)
            return usageError(Ctl::tr("--step needs a number of seconds from 1 to 86400"));
    }
    if (parser.isSet(portOpt)) {
        bool portOk = false;
        ctx.port = parser.value(portOpt).toInt(&portOk);
        if (!portOk || ctx.port < 1 || ctx.port > 65535)
            return usageError(Ctl::tr("--port needs a port number"));
    }
    if (parser.isSet(onTimeoutOpt)) {
        ctx.onTimeout = console::parseDrainTimeoutChoice(parser.value(onTimeoutOpt));
        if (!ctx.onTimeout)
            return usageError(Ctl::tr("--on-timeout takes wait, force, cancel or fail"));
    }
    bool drainTimeoutOk = false;
    ctx.drainTimeoutSeconds = parser.value(drainTimeoutOpt).toInt(&drainTimeoutOk);
    if (!drainTimeoutOk || ctx.drainTimeoutSeconds <= 0 || ctx.drainTimeoutSeconds > 86400)
        return usageError(Ctl::tr("--drain-timeout needs a number of seconds from 1 to 86400"));
    ctx.fwAddRules = parser.values(addRuleOpt);
    ctx.fwChain = parser.value(chainOpt);
    ctx.fwPolicy = parser.value(policyOpt);
    ctx.fwSet = parser.value(setOpt);
    ctx.fwAddElements = parser.values(addElementOpt);
    ctx.fwDeleteElements = parser.values(deleteElementOpt);
    ctx.fwSameRole = parser.isSet(sameRoleOpt);
    ctx.fwNoConfirm = parser.isSet(noConfirmOpt);
    bool confirmOk = false;
    ctx.fwConfirmWithin = parser.value(confirmWithinOpt).toInt(&confirmOk);
    if (!confirmOk || ctx.fwConfirmWithin < 10 || ctx.fwConfirmWithin > 600)
        return usageError(Ctl::tr("--confirm-within needs a number of seconds from 10 to 600"));
    bool ok = false;
    ctx.timeoutSeconds = parser.value(timeoutOpt).toInt(&ok);
    if (!ok || ctx.timeoutSeconds <= 0 || ctx.timeoutSeconds > 3600)
        return usageError(Ctl::tr("--timeout needs a number of seconds from 1 to 3600"));
    ctx.actionTimeoutSeconds = parser.isSet(timeoutOpt) ? ctx.timeoutSeconds : 30;

    QString cluster = parser.value(clusterOpt);
    if (cluster.isEmpty()) {
        const QStringList known = console::availableClusters();
        if (known.size() != 1)
            return usageError(known.isEmpty()
                                  ? Ctl::tr("no cluster inventory in %1; give one with --cluster FILE")
                                        .arg(console::clustersDirectory())
                                  : Ctl::tr("several clusters (%1); choose one with --cluster NAME")
                                        .arg(known.join(QStringLiteral(", "))));
        cluster = known.first();
    }
    auto inventory = console::loadInventory(cluster);
    if (!inventory)
        return usageError(QString::fromStdString(inventory.error().message));
    ctx.inventory = std::move(*inventory);
    return command->run(ctx);
}
