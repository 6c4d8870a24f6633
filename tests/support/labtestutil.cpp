#include "labtestutil.h"

#include "processutil.h"

#include <QDateTime>
#include <QTcpSocket>

#include <algorithm>
#include <cmath>
#include <memory>

namespace hadeck::labtest {

namespace {
const QString kAgentToml = QStringLiteral("/etc/hadeck/agent.toml");
} // namespace

QString labDir() { return qEnvironmentVariable("HADECK_LAB_DIR", QStringLiteral("/run/hadeck-lab")); }

namespace {

/// The lab script, in a process group of its own (see ProcessOptions::ownProcessGroup), for up
/// to 120 s.
test::ProcessResult runLab(const QStringList& args, int timeoutMs = 120000)
{
    const QString script = qEnvironmentVariable("HADECK_LAB");
    if (script.isEmpty()) {
        qWarning("HADECK_LAB is not set: a lab test needs the lab script's path (hadeck_add_test sets it for the "
                 "labels lab and vm)");
    }
    return test::runProgram(script, args, {.timeoutMs = timeoutMs, .ownProcessGroup = true});
}

} // namespace

int lab(const QStringList& args) { return runLab(args).code; }

QByteArray labExec(const QString& node, const QString& script)
{
    const auto r = runLab({QStringLiteral("exec"), node, QStringLiteral("sh"), QStringLiteral("-c"), script});
    if (!r.ok()) {
        qWarning("lab exec %s %s failed: %s", qPrintable(node), qPrintable(script), r.err.constData());
        return {};
    }
    return r.out;
}

QByteArray labExecArgv(const QString& node, const QStringList& argv, int timeoutMs)
{
    const auto r = runLab(QStringList{QStringLiteral("exec"), node} + argv, timeoutMs);
    if (!r.ok()) {
        qWarning("lab exec %s %s failed: %s", qPrintable(node), qPrintable(argv.join(QLatin1Char(' '))),
                 r.err.constData());
        return {};
    }
    return r.out;
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
