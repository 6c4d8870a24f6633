#pragma once

// Running a helper program (keepalived -t, keepalived --signum) and collecting
// its output. Blocking: call from a worker thread, never on the event loop.

#include "hadeck/protocol/expected.h"

#include <string>
#include <vector>

namespace hadeck::probes {

struct ProcessResult {
    int exitCode = -1; // -1 when killed by a signal
    std::string output; // stdout and stderr interleaved
};

/**
 * Runs argv[0] (looked up in PATH) with the given arguments, stdin from /dev/null.
 * @param timeoutMs the child is killed after this long
 * @return its exit code and output, or why it could not run
 */
Expected<ProcessResult> runProcess(const std::vector<std::string>& argv, int timeoutMs = 10000);

} // namespace hadeck::probes

namespace hadeck::probes {

/**
 * Signals the process a pid file names, only when it is @p expectedName run by root:
 * /proc/PID/comm or the base name of /proc/PID/exe must match, and its real and effective
 * uid must be 0 (the daemons the agent reloads run as root). The check and the signal go through a
 * pidfd (pidfd_open, pidfd_send_signal), so a pid that is freed and reused after the
 * check cannot be hit. A stale pid file naming another program signals nothing.
 * @return the pid signalled, or why nothing was signalled
 */
Expected<int> signalProcessFromPidFile(const std::string& pidFile, const std::string& expectedName, int signal);

} // namespace hadeck::probes
