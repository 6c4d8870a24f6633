#pragma once

// The one way the tests run a program and create a test user: a program with its arguments
// (a shell line only through shell()), its output and exit code, killed when it overruns its
// time. Qt Core only, so that the agent's, the console's and the lab's tests share it.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace hadeck::test {

struct ProcessOptions {
    int timeoutMs = 30000;
    QByteArray input{};                               ///< written to its standard input, which is then closed
    QString workingDirectory{};                       ///< empty: the test's own
    QList<std::pair<QString, QString>> environment{}; ///< set on top of the test's environment
    bool mergeChannels = false;                       ///< standard error into out (err stays empty)
    /// In a process group of its own, all of which is killed when it overruns: for programs whose
    /// children (ssh into the lab's VM) inherit the test's open files, the lab lock among them.
    bool ownProcessGroup = false;
};

struct ProcessResult {
    int code = -1;         ///< the exit code; -1 when it did not start, crashed or overran its time
    bool timedOut = false; ///< it overran its time and was killed
    QByteArray out;
    QByteArray err;
    [[nodiscard]] bool ok() const { return code == 0; }
};

/// Runs @p program with @p args and waits for it (killed after options.timeoutMs).
ProcessResult runProgram(const QString& program, const QStringList& args, const ProcessOptions& options = {});

/// `sh -c @p script`: its exit code (-1 when it crashed or overran @p timeoutMs), with a warning
/// that carries its standard error when that is not 0. For the lab tests' network set-up.
int shell(const QString& script, int timeoutMs = 20000);

/// Creates each of @p groups that does not exist yet (groupadd --system). Needs root.
bool ensureSystemGroups(const QStringList& groups, QString* error);

/// Creates the system user @p user (no home, shell @p shell) in @p groups (comma-separated,
/// may be empty), or adds an existing one to them. Needs root.
bool ensureSystemUser(const QString& user, const QString& groups, const QString& shell, QString* error);

} // namespace hadeck::test
