#include "dialogs/hostkeydialog.h"

#include "style/theme.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QStyle>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace hadeck::ui {

HostKeyDialog::HostKeyDialog(const console::HostKeyQuestion& q, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Unknown host key — %1").arg(q.node));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("<b>%1</b> (%2 port %3) presented a host key that is not in your known hosts. "
                                "Compare the fingerprint with the one shown on the node itself "
                                "(<tt>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</tt>) before you trust it.")
                                 .arg(q.node.toHtmlEscaped(), q.host.toHtmlEscaped())
                                 .arg(q.port),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    auto* fp = new QLabel(q.sha256Fingerprint, this);
    fp->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    fp->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Key type:"), new QLabel(q.keyType, this));
    form->addRow(tr("Fingerprint:"), fp);
    form->addRow(tr("Saved to:"), new QLabel(q.knownHostsFile, this));
    layout->addLayout(form);
    auto* buttons = new QDialogButtonBox(this);
    auto* reject = buttons->addButton(tr("Do not connect"), QDialogButtonBox::RejectRole);
    auto* once = buttons->addButton(tr("Connect once"), QDialogButtonBox::AcceptRole);
    auto* save = buttons->addButton(tr("Trust and save"), QDialogButtonBox::AcceptRole);
    reject->setDefault(true); // Enter must never trust a key by accident
    connect(reject, &QPushButton::clicked, this, [this] {
        m_decision = console::HostKeyDecision::Reject;
        QDialog::reject();
    });
    connect(once, &QPushButton::clicked, this, [this] {
        m_decision = console::HostKeyDecision::AcceptOnce;
        accept();
    });
    connect(save, &QPushButton::clicked, this, [this] {
        m_decision = console::HostKeyDecision::AcceptAndSave;
        accept();
    });
    layout->addWidget(buttons);
}

ChangedHostKey changedHostKey(const QString& node, const QString& host, quint16 port,
                              const console::TransportError& refusal, const QString& knownHostsFile)
{
    return ChangedHostKey{node,
                          host,
                          port,
                          refusal.knownHostsFile.isEmpty() ? knownHostsFile : refusal.knownHostsFile,
                          refusal.recorded,
                          refusal.presented,
                          refusal.message};
}

HostKeyDialog::HostKeyDialog(const ChangedHostKey& c, QWidget* parent) : QDialog(parent), m_changed(true)
{
    setObjectName(QStringLiteral("hostKeyChangedDialog"));
    setWindowTitle(tr("HOST KEY CHANGED — %1").arg(c.node));
    auto* layout = new QVBoxLayout(this);
    auto* head = new QHBoxLayout;
    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(48, 48));
    head->addWidget(icon, 0, Qt::AlignTop);
    auto* intro = new QLabel(tr("<b>The host key of %1 (%2 port %3) has changed. HaDeck will not connect to it.</b>"
                                "<br><br>Someone may be intercepting the connection, or the node was reinstalled. "
                                "Ask whoever manages the node whether its key was replaced, and compare the new "
                                "fingerprint with the one shown on the node's own console "
                                "(<tt>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</tt>).")
                                 .arg(c.node.toHtmlEscaped(), c.host.toHtmlEscaped())
                                 .arg(c.port),
                             this);
    intro->setWordWrap(true);
    head->addWidget(intro, 1);
    layout->addLayout(head);

    auto* form = new QFormLayout;
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    QStringList recordedKeys;
    for (const auto& k : c.recorded) {
        recordedKeys << k.type + QLatin1Char(' ') + k.fingerprint;
    }
    auto* recorded =
        new QLabel(recordedKeys.isEmpty() ? tr("(none readable)") : recordedKeys.join(QLatin1Char('\n')), this);
    recorded->setObjectName(QStringLiteral("recordedFingerprints"));
    recorded->setFont(fixed);
    recorded->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* presented =
        new QLabel(c.presented.fingerprint.isEmpty() ? tr("(not reported)") : c.presented.fingerprint, this);
    presented->setObjectName(QStringLiteral("presentedFingerprint"));
    presented->setFont(fixed);
    presented->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Recorded key:"), recorded);
    form->addRow(tr("Presented key:"), presented);
    form->addRow(tr("Known hosts file:"), new QLabel(c.knownHostsFile, this));
    layout->addLayout(form);

    const QString name = c.port == 22 ? c.host : QStringLiteral("[%1]:%2").arg(c.host).arg(c.port);
    auto* steps = new QLabel(tr("Only if the new key is confirmed, remove the old one deliberately and reconnect:"
                                "<br><tt>ssh-keygen -R '%1' -f '%2'</tt><br>"
                                "HaDeck then asks about the new key as for any unknown host.")
                                 .arg(name.toHtmlEscaped(), c.knownHostsFile.toHtmlEscaped()),
                             this);
    steps->setObjectName(QStringLiteral("removeInstructions"));
    steps->setWordWrap(true);
    steps->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(steps);
    if (!c.message.isEmpty()) {
        auto* detail = new QLabel(c.message, this);
        detail->setWordWrap(true);
        detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
        detail->setEnabled(false); // secondary: the transport's own words
        layout->addWidget(detail);
    }
    // A hard stop: closing is the only choice; nothing here trusts the new key.
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // Word-wrapped labels need the width fixed before the height is worked out.
    setMinimumWidth(680);
    layout->setSizeConstraint(QLayout::SetMinimumSize);
    adjustSize();
}

} // namespace hadeck::ui
