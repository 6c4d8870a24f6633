#include "terminalprompter.h"
#include "ctl_tr.h"

#include "terminal.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace hadeck::ctl {

namespace {
void say(const QString& text)
{
    std::fputs(text.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
}
} // namespace

void TerminalPrompter::unknownHostKey(const console::HostKeyQuestion& q, HostKeyReply reply)
{
    say(Ctl::tr("The authenticity of host %1 (%2, port %3) can't be established.\n"
           "%4 key fingerprint is %5.\n"
           "Accept it and add it to %6? (y/N) ")
            .arg(q.node, q.host)
            .arg(q.port)
            .arg(q.keyType, q.sha256Fingerprint, q.knownHostsFile));
    const QString answer = readTerminalLine(true).trimmed().toLower();
    const bool yes = answer == QLatin1String("y") || answer == QLatin1String("yes") || answer == Ctl::tr("y");
    if (m_afterAnswer)
        m_afterAnswer();
    reply(yes ? console::HostKeyDecision::AcceptAndSave : console::HostKeyDecision::Reject);
}

void TerminalPrompter::passphrase(const console::PassphraseQuestion& q, PassphraseReply reply)
{
    if (q.attempt > 1)
        say(Ctl::tr("Wrong passphrase.\n"));
    say(Ctl::tr("Passphrase for %1 (node %2): ").arg(q.keyFile, q.node));
    QString answer = readTerminalLine(false);
    if (m_afterAnswer)
        m_afterAnswer();
    if (answer.isNull()) {
        reply(std::nullopt);
        return;
    }
    reply(answer);
    answer.fill(QChar(u'\0')); // wiped after use (the session wipes its copy too)
}

std::unique_ptr<console::CredentialPrompter> commandPrompter(bool batch, std::function<void()> afterAnswer)
{
    if (batch)
        return std::make_unique<console::RefusingPrompter>();
    return std::make_unique<TerminalPrompter>(std::move(afterAnswer));
}

} // namespace hadeck::ctl
