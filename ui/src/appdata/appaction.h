#pragma once

// An operator action on one application node (replica start/stop, read_only,
// MooseFS maintenance), as hadeckctl runs it: the agent's preflight first (dryRun),
// shown in a confirmation that says what will happen and what it warns about;
// then, only when the admin confirms, the action itself. The agent audits both.

#include "hadeck/console/agentclient.h"
#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/method.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>

namespace hadeck::ui {

class AppAction {
    Q_DECLARE_TR_FUNCTIONS(AppAction)
public:
    /// Answers the confirmation; the default shows a QMessageBox (Cancel is the default button).
    using Confirm = std::function<bool(const QString& title, const QString& text)>;
    /// The end of the flow: @p done false when refused, cancelled or failed; @p message says which.
    using Finished = std::function<void(bool done, const QString& message)>;
    /// Told while the preflight waits for the node ("waiting for NODE to reconnect…").
    using Progress = std::function<void(const QString& message)>;

    /// The text of the confirmation for a preflight answer.
    static QString preflightText(const QString& what, const QString& node, const proto::ActionResult& pre)
    {
        QString t = tr("%1 on %2.").arg(what, node) + QStringLiteral("\n\n") + tr("The agent's preflight:") + QLatin1Char('\n');
        for (const auto& line : pre.preflight) {
            t += QStringLiteral("  • ") + QString::fromStdString(line) + QLatin1Char('\n');
        }
        for (const auto& w : pre.warnings) {
            t += QLatin1Char('\n') + tr("Warning: %1").arg(QString::fromStdString(w));
        }
        if (!pre.message.empty()) {
            t += QLatin1Char('\n') + QString::fromStdString(pre.message);
        }
        t += QStringLiteral("\n\n") + tr("Go ahead?");
        return t;
    }

    static bool askUser(QWidget* parent, const QString& title, const QString& text, bool warned)
    {
        QMessageBox box(warned ? QMessageBox::Warning : QMessageBox::Question, title, text,
                        QMessageBox::Yes | QMessageBox::Cancel, parent);
        box.setDefaultButton(QMessageBox::Cancel);
        box.setTextFormat(Qt::PlainText); // the preflight lines come from the node
        return box.exec() == QMessageBox::Yes;
    }

    template <typename P>
    static void run(QWidget* owner, console::AgentClient* client, const proto::MethodSpec<P, proto::ActionResult>& spec,
                    P params, const QString& what, const QString& node, Confirm confirm, Finished finished,
                    Progress progress = {})
    {
        if (client == nullptr) {
            finished(false, tr("%1 is not online.").arg(node));
            return;
        }
        constexpr int kTimeoutMs = 60000; // actions run programs on the node (mfscli, SQL)
        QPointer<QWidget> guard(owner);
        QPointer<console::AgentClient> c(client);
        params.dryRun = true;
        // The dry run is safe to ask twice: when the node's link has just dropped (a missed ping
        // on a loaded machine), it waits for the reconnect, bounded, instead of failing at once.
        client->ask(
            spec, params,
            std::function<void(const Expected<proto::ActionResult>&)>(
                [=, &spec](const Expected<proto::ActionResult>& pre) mutable {
                    if (guard.isNull()) {
                        return;
                    }
                    if (!pre) {
                        finished(false,
                                 tr("The preflight failed: %1").arg(QString::fromStdString(pre.error().message)));
                        return;
                    }
                    const QString text = preflightText(what, node, *pre);
                    const bool yes = confirm ? confirm(what, text) : askUser(guard, what, text, !pre->warnings.empty());
                    if (!yes) {
                        finished(false, tr("Cancelled: %1 on %2.").arg(what, node));
                        return;
                    }
                    if (c.isNull()) {
                        finished(false, tr("%1 is not online.").arg(node));
                        return;
                    }
                    params.dryRun = false;
                    c->call(spec, params,
                            std::function<void(const Expected<proto::ActionResult>&)>(
                                [guard, finished, what, node](const Expected<proto::ActionResult>& r) {
                                    if (guard.isNull()) {
                                        return;
                                    }
                                    if (!r) {
                                        finished(false,
                                                 tr("%1 on %2 failed: %3")
                                                     .arg(what, node, QString::fromStdString(r.error().message)));
                                        return;
                                    }
                                    finished(r->done, r->message.empty() ? what : QString::fromStdString(r->message));
                                }),
                            kTimeoutMs);
                }),
            kTimeoutMs, console::AgentClient::kReconnectWaitMs, std::move(progress));
    }
};

} // namespace hadeck::ui
