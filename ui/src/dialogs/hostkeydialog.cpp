#include "dialogs/hostkeydialog.h"

#include "style/theme.h"

#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QFile>
#include <QHBoxLayout>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QStyle>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

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

namespace {

QString fingerprint(const QByteArray& base64Blob)
{
    // OpenSSH's SHA256 fingerprint: the key blob hashed, base64 without padding.
    const QByteArray blob = QByteArray::fromBase64(base64Blob);
    QByteArray fp = QCryptographicHash::hash(blob, QCryptographicHash::Sha256).toBase64();
    while (fp.endsWith('=')) {
        fp.chop(1);
    }
    return QStringLiteral("SHA256:") + QString::fromLatin1(fp);
}

bool hostMatches(const QString& pattern, const QString& name)
{
    if (pattern.startsWith(QLatin1String("|1|"))) {
        // Hashed entry: |1|base64(salt)|base64(HMAC-SHA1(salt, name)).
        const auto parts = pattern.split(QLatin1Char('|'));
        if (parts.size() != 4) {
            return false;
        }
        const QByteArray salt = QByteArray::fromBase64(parts[2].toLatin1());
        const QByteArray mac = QMessageAuthenticationCode::hash(name.toUtf8(), salt, QCryptographicHash::Sha1);
        return mac == QByteArray::fromBase64(parts[3].toLatin1());
    }
    return pattern.split(QLatin1Char(',')).contains(name);
}

} // namespace

QStringList recordedHostKeys(const QString& knownHostsFile, const QString& host, quint16 port)
{
    QStringList out;
    QFile f(knownHostsFile);
    if (!f.open(QIODevice::ReadOnly)) {
        return out;
    }
    const QString name = port == 22 ? host : QStringLiteral("[%1]:%2").arg(host).arg(port);
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) {
            continue;
        }
        QStringList fields = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (!fields.isEmpty() && fields.front().startsWith(QLatin1Char('@'))) {
            fields.removeFirst();
        }
        if (fields.size() >= 3 && hostMatches(fields[0], name)) {
            out << fields[1] + QLatin1Char(' ') + fingerprint(fields[2].toLatin1());
        }
    }
    return out;
}

ChangedHostKey changedHostKey(const QString& node, const QString& host, quint16 port, const QString& knownHostsFile,
                              const QString& message)
{
    ChangedHostKey c{node, host, port, knownHostsFile, recordedHostKeys(knownHostsFile, host, port), {}, message};
    static const QRegularExpression fpPattern(QStringLiteral("SHA256:[A-Za-z0-9+/]+"));
    for (auto it = fpPattern.globalMatch(message); it.hasNext();) {
        const QString fp = it.next().captured();
        const bool known = std::any_of(c.recorded.begin(), c.recorded.end(),
                                       [&](const QString& r) { return r.endsWith(fp); });
        if (!known) {
            c.presented = fp;
        }
    }
    return c;
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
    auto* recorded = new QLabel(c.recorded.isEmpty() ? tr("(none readable)") : c.recorded.join(QLatin1Char('\n')), this);
    recorded->setObjectName(QStringLiteral("recordedFingerprints"));
    recorded->setFont(fixed);
    recorded->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* presented = new QLabel(c.presented.isEmpty() ? tr("(not reported)") : c.presented, this);
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
