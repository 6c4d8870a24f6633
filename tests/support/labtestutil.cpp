#include "labtestutil.h"

#include <QDateTime>
#include <QProcess>
#include <QTcpSocket>

#include <algorithm>
#include <cmath>
#include <memory>

#include <signal.h>
#include <unistd.h>

namespace hadeck::labtest {

namespace {
const QString kAgentToml = QStringLiteral("/etc/hadeck/agent.toml");
} // namespace

QString labDir() { return qEnvironmentVariable("HADECK_LAB_DIR", QStringLiteral("/run/hadeck-lab")); }

namespace {

/// Runs the lab script in a process group of its own and waits up to @p timeoutMs; on timeout
/// the whole group is killed. The script's children (ssh into the VM) inherit the test's open
/// files, the lab lock among them: one left behind would hold the lab for everyone.
bool runLab(QProcess& p, const QStringList& args, int timeoutMs)
{
    p.setChildProcessModifier([] { ::setsid(); });
    p.start(qEnvironmentVariable("HADECK_LAB"), args);
    if (p.waitForFinished(timeoutMs)) {
        return true;
    }
    if (p.processId() > 0) {
        ::kill(-static_cast<pid_t>(p.processId()), SIGKILL);
    }
    p.waitForFinished(5000);
    return false;
}

} // namespace

int lab(const QStringList& args)
{
    QProcess p;
    if (!runLab(p, args, 120000)) {
        return -1;
    }
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

QByteArray labExec(const QString& node, const QString& script)
{
    QProcess p;
    const bool ended =
        runLab(p, {QStringLiteral("exec"), node, QStringLiteral("sh"), QStringLiteral("-c"), script}, 120000);
    if (!ended || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("lab exec %s %s failed: %s", qPrintable(node), qPrintable(script),
                 p.readAllStandardError().constData());
        return {};
    }
    return p.readAllStandardOutput();
}

QString AgentTomlEdit::saved() const { return kAgentToml + QStringLiteral(".%1-orig").arg(m_tag); }

bool AgentTomlEdit::append(const QString& node, const QString& text)
{
    // The copy is made once per node, so a second addition keeps the true original.
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    const QByteArray out =
        labExec(node, QStringLiteral("{ [ -e %2 ] || cp %1 %2; } && printf '%s' '%3' >> %1 && echo ok")
                          .arg(kAgentToml, saved(), escaped));
    if (!out.contains("ok")) {
        return false;
    }
    if (!m_nodes.contains(node)) {
        m_nodes << node;
    }
    return lab({QStringLiteral("stop"), node, QStringLiteral("agent")}) == 0 &&
           lab({QStringLiteral("start"), node, QStringLiteral("agent")}) == 0;
}

void AgentTomlEdit::restore()
{
    for (const QString& node : std::as_const(m_nodes)) {
        labExec(node, QStringLiteral("if [ -e %2 ]; then mv %2 %1; fi").arg(kAgentToml, saved()));
        lab({QStringLiteral("stop"), node, QStringLiteral("agent")});
        lab({QStringLiteral("start"), node, QStringLiteral("agent")});
    }
    m_nodes.clear();
}

WebhookReceiver::WebhookReceiver()
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (auto* s = m_server.nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] {
                *buffer += s->readAll();
                const auto end = buffer->indexOf("\r\n\r\n");
                if (end < 0) {
                    return;
                }
                qsizetype length = 0;
                for (const auto& line : buffer->left(end).split('\n')) {
                    if (line.toLower().startsWith("content-length:")) {
                        length = line.mid(15).trimmed().toLongLong();
                    }
                }
                if (buffer->size() < end + 4 + length) {
                    return;
                }
                const QByteArray requestLine = buffer->left(buffer->indexOf("\r\n"));
                m_hits.append({QDateTime::currentMSecsSinceEpoch(), requestLine.split(' ').value(1),
                               buffer->mid(end + 4, length)});
                const QByteArray reply = R"({"errcode":0,"errmsg":"ok","code":0,"StatusCode":0})";
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                         QByteArray::number(reply.size()) + "\r\n\r\n" + reply);
                s->disconnectFromHost();
                buffer->clear();
            });
        }
    });
}

Spread spreadOf(QList<double> values)
{
    if (values.isEmpty()) {
        return {};
    }
    std::sort(values.begin(), values.end());
    const auto n = values.size();
    const double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    // Nearest rank.
    const auto rank = static_cast<qsizetype>(std::ceil(0.99 * static_cast<double>(n)));
    return {median, values[std::clamp<qsizetype>(rank - 1, 0, n - 1)], values.last()};
}

} // namespace hadeck::labtest
