#include "processutil.h"

#include <QProcess>
#include <QProcessEnvironment>

#include <csignal>

#include <grp.h>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace hadeck::test {

ProcessResult runProgram(const QString& program, const QStringList& args, const ProcessOptions& options)
{
    QProcess p;
    if (!options.workingDirectory.isEmpty()) {
        p.setWorkingDirectory(options.workingDirectory);
    }
    if (!options.environment.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const auto& [name, value] : options.environment) {
            env.insert(name, value);
        }
        p.setProcessEnvironment(env);
    }
    if (options.mergeChannels) {
        p.setProcessChannelMode(QProcess::MergedChannels);
    }
    if (options.ownProcessGroup) {
        p.setChildProcessModifier([] { ::setsid(); });
    }
    ProcessResult r;
    p.start(program, args);
    if (!p.waitForStarted(5000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!options.input.isEmpty()) {
        p.write(options.input);
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(options.timeoutMs)) {
        if (options.ownProcessGroup && p.processId() > 0) {
            ::kill(-static_cast<pid_t>(p.processId()), SIGKILL);
        }
        p.kill();
        p.waitForFinished(5000);
        r.timedOut = true;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    if (r.timedOut) {
        r.err += "timed out";
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

int shell(const QString& script, int timeoutMs)
{
    const ProcessResult r = runProgram(QStringLiteral("sh"), {QStringLiteral("-c"), script}, {.timeoutMs = timeoutMs});
    if (r.code != 0) {
        qWarning("%s: %s", qPrintable(script), r.err.constData());
    }
    return r.code;
}

bool ensureSystemGroups(const QStringList& groups, QString* error)
{
    for (const QString& g : groups) {
        if (::getgrnam(g.toLocal8Bit().constData()) == nullptr &&
            !runProgram(QStringLiteral("groupadd"), {QStringLiteral("--system"), g}).ok()) {
            *error = QStringLiteral("groupadd %1 failed").arg(g);
            return false;
        }
    }
    return true;
}

bool ensureSystemUser(const QString& user, const QString& groups, const QString& shell, QString* error)
{
    if (::getpwnam(user.toLocal8Bit().constData()) == nullptr) {
        QStringList args{QStringLiteral("--system"), QStringLiteral("--no-create-home"), QStringLiteral("--shell"),
                         shell};
        if (!groups.isEmpty()) {
            args << QStringLiteral("--groups") << groups;
        }
        args << user;
        if (!runProgram(QStringLiteral("useradd"), args).ok()) {
            *error = QStringLiteral("useradd %1 failed").arg(user);
            return false;
        }
    } else if (!groups.isEmpty() &&
               !runProgram(QStringLiteral("usermod"), {QStringLiteral("-a"), QStringLiteral("-G"), groups, user})
                    .ok()) {
        *error = QStringLiteral("usermod %1 failed").arg(user);
        return false;
    }
    return true;
}

} // namespace hadeck::test
