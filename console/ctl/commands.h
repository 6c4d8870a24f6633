#pragma once

// hadeckctl's subcommands. Each is one entry in commandTable(); drain, restore,
// failover and maintenance join it as the console core grows those actions.

#include <hadeck/console/actions/drain_timeout.h>
#include <hadeck/console/inventory.h>

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace hadeck::ctl {

/// Exit codes a script can rely on.
enum ExitCode : int {
    ExitOk = 0,          ///< every node online (or degraded: reachable but slow)
    ExitNotOnline = 1,   ///< some node unreachable or still connecting
    ExitUsage = 2,       ///< bad arguments or inventory
    ExitRefused = 3,     ///< host key, authentication or permission refused on some node
    ExitActionFailed = 4, ///< an action was refused by its preflight, or failed (partly)
    ExitTimedOut = 5,    ///< drain --wait: connections remained at the timeout (and the drain was not forced)
    ExitProtocol = 6,     ///< some node sent what this console cannot read (a protocol error)
    ExitCheckWarning = 7,  ///< check: a warning alarm is active (or a node did not list its alarms)
    ExitCheckCritical = 8, ///< check: a critical alarm is active
};

struct Context {
    console::ClusterInventory inventory;
    QStringList args; ///< after the subcommand name
    bool batch = false;
    bool json = false;
    int timeoutSeconds = 10;
    /// How long the actions (drain, restore, failover, maintenance, add-track) wait for the nodes:
    /// a loaded node's SSH login may take longer than a status snapshot should. --timeout sets both.
    int actionTimeoutSeconds = 30;
    // Options of the action commands.
    bool wait = false;
    bool force = false;
    bool keepOut = false;
    QString service;
    QString group;
    QString to;
    int port = 0;
    int drainTimeoutSeconds = 600;
    /// drain --wait at the timeout; unset: ask on a terminal, else give up with ExitTimedOut.
    std::optional<console::DrainTimeoutChoice> onTimeout;
    // fw
    QStringList fwAddRules;  ///< --add-rule, repeatable
    QString fwChain;         ///< --chain FAMILY/TABLE/CHAIN
    int fwConfirmWithin = 60; ///< --confirm-within seconds
    QString fwPolicy;         ///< --policy accept|drop of --chain
    QString fwSet;            ///< --set FAMILY/TABLE/SET
    QStringList fwAddElements;    ///< --add-element, repeatable
    QStringList fwDeleteElements; ///< --delete-element, repeatable
    bool fwNoConfirm = false; ///< --no-confirm: leave the applied change pending (fw confirm, or the agent rolls back)
    bool fwSameRole = false;  ///< --same-role: NODE and every node sharing a role, each on its own
    // Options of the application-node commands (logs, history).
    QString since;
    QString grep;
    int lines = 0;
    QString user; ///< audit: only this user's entries
    int step = 1;
    bool follow = false;
    // deploy
    QString package;      ///< --package FILE.deb
    QString startCommand; ///< --start-command CMD
};

struct Command {
    QString name;
    QString summary; ///< translated
    std::function<int(Context&)> run;
};

const std::vector<Command>& commandTable();

int runStatus(Context& ctx);
int runWatch(Context& ctx);
int runAlarms(Context& ctx);
int runCheck(Context& ctx);
int runDrain(Context& ctx);
int runRestore(Context& ctx);
int runFailover(Context& ctx);
int runMaintenance(Context& ctx);
int runAddTrack(Context& ctx);
int runFw(Context& ctx);
int runDeploy(Context& ctx);
// Application nodes (appdata_commands.cpp).
int runDb(Context& ctx);
int runStorage(Context& ctx);
int runHosts(Context& ctx);
int runLogs(Context& ctx);
int runAudit(Context& ctx);
int runHistory(Context& ctx);
int runDbReplica(Context& ctx);
int runDbReadOnly(Context& ctx);
int runMfsMaintenance(Context& ctx);

} // namespace hadeck::ctl
