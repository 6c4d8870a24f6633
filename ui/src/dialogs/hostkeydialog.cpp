#include "dialogs/hostkeydialog.h"

#include "style/theme.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
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

void HostKeyDialog::showChangedKeyWarning(QWidget* parent, const QString& node, const QString& message)
{
    QMessageBox box(QMessageBox::Critical, tr("HOST KEY CHANGED — %1").arg(node),
                    tr("<b>The host key of %1 has changed. HaDeck will not connect.</b><br><br>"
                       "Someone may be intercepting the connection, or the node was reinstalled. "
                       "Ask whoever manages the node whether the key was replaced. Only if it was, "
                       "remove the old key (<tt>ssh-keygen -R HOST -f KNOWN_HOSTS</tt>) and reconnect.")
                        .arg(node.toHtmlEscaped()),
                    QMessageBox::Close, parent);
    box.setDetailedText(message);
    box.exec();
}

} // namespace hadeck::ui
