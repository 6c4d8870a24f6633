#pragma once

#include "hadeck/console/credentialprompter.h"
#include "hadeck/console/transport.h"

#include <QDialog>
#include <QStringList>

namespace hadeck::ui {

/// What is known about a host key that no longer matches known_hosts.
struct ChangedHostKey {
    QString node;
    QString host;
    quint16 port = 22;
    QString knownHostsFile;
    QList<console::HostKey> recorded; ///< what known_hosts has for the host
    console::HostKey presented;       ///< what the server showed (empty when the transport did not say)
    QString message;                  ///< the transport's own words
};

/// Fills a ChangedHostKey from the transport's refusal, whose data carries the keys and the
/// file checked; @p knownHostsFile names the file when the refusal does not.
ChangedHostKey changedHostKey(const QString& node, const QString& host, quint16 port,
                              const console::TransportError& refusal, const QString& knownHostsFile);

/// Asks whether to trust a host key seen for the first time, showing the SHA256
/// fingerprint to compare with `ssh-keygen -lf` on the node's console; or, for a
/// CHANGED key, stops: there is no way to accept it here, only what to check and
/// how to remove the old key on purpose.
class HostKeyDialog final : public QDialog {
    Q_OBJECT
public:
    HostKeyDialog(const console::HostKeyQuestion& question, QWidget* parent = nullptr);
    HostKeyDialog(const ChangedHostKey& changed, QWidget* parent = nullptr);
    [[nodiscard]] console::HostKeyDecision decision() const { return m_decision; }
    [[nodiscard]] bool isChangedKeyWarning() const { return m_changed; }

private:
    console::HostKeyDecision m_decision = console::HostKeyDecision::Reject;
    bool m_changed = false;
};

} // namespace hadeck::ui
