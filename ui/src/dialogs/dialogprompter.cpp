#include "dialogs/dialogprompter.h"

#include "dialogs/hostkeydialog.h"

#include <QCoreApplication>
#include <QInputDialog>
#include <QLineEdit>

namespace hadeck::ui {

void DialogPrompter::unknownHostKey(const console::HostKeyQuestion& question, HostKeyReply reply)
{
    auto* dialog = new HostKeyDialog(question, m_parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QDialog::finished, dialog,
                     [dialog, reply = std::move(reply)](int) { reply(dialog->decision()); });
    dialog->open();
}

void DialogPrompter::passphrase(const console::PassphraseQuestion& question, PassphraseReply reply)
{
    auto* dialog = new QInputDialog(m_parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QCoreApplication::translate("DialogPrompter", "Key passphrase — %1").arg(question.node));
    dialog->setLabelText(question.attempt > 1
                             ? QCoreApplication::translate("DialogPrompter", "Wrong passphrase. Try again for %1:").arg(question.keyFile)
                             : QCoreApplication::translate("DialogPrompter", "Passphrase for %1:").arg(question.keyFile));
    dialog->setTextEchoMode(QLineEdit::Password);
    dialog->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhSensitiveData);
    QObject::connect(dialog, &QDialog::finished, dialog, [dialog, reply = std::move(reply)](int result) {
        // Out of the widget as soon as it is read: the dialog lingers until its deferred delete.
        QString text = dialog->textValue();
        dialog->setTextValue(QString());
        if (result == QDialog::Accepted) {
            reply(std::move(text));
        } else {
            text.fill(QChar(0));
            reply(std::nullopt);
        }
    });
    dialog->open();
}

} // namespace hadeck::ui
