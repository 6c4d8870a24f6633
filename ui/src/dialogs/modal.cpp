#include "dialogs/modal.h"

#include <QDialog>
#include <QFileDialog>
#include <QTimer>

#include <optional>

namespace hadeck::ui {

namespace {
std::optional<QString> g_nextFileName;
std::optional<QMessageBox::StandardButton> g_nextAnswer;
QString g_lastWarning;
std::function<void(QDialog&)> g_dialogDriver;

template <typename T>
std::optional<T> take(std::optional<T>& next)
{
    auto out = std::move(next);
    next.reset();
    return out;
}
} // namespace

void Modal::setNextFileName(const QString& path) { g_nextFileName = path; }

void Modal::setNextAnswer(QMessageBox::StandardButton button) { g_nextAnswer = button; }

QString Modal::lastWarning() { return g_lastWarning; }

void Modal::setDialogDriver(std::function<void(QDialog&)> driver) { g_dialogDriver = std::move(driver); }

int Modal::exec(QDialog& dialog)
{
    if (g_dialogDriver) {
        // Once the dialog's own event loop runs, as a user's first click would come.
        QTimer::singleShot(0, &dialog, [&dialog] {
            if (g_dialogDriver) {
                g_dialogDriver(dialog);
            }
        });
    }
    return dialog.exec();
}

QString Modal::saveFileName(QWidget* parent, const QString& caption, const QString& suggested, const QString& filter)
{
    if (auto next = take(g_nextFileName)) {
        return *next;
    }
    return QFileDialog::getSaveFileName(parent, caption, suggested, filter);
}

QString Modal::openFileName(QWidget* parent, const QString& caption, const QString& dir, const QString& filter)
{
    if (auto next = take(g_nextFileName)) {
        return *next;
    }
    return QFileDialog::getOpenFileName(parent, caption, dir, filter);
}

QMessageBox::StandardButton Modal::question(QWidget* parent, const QString& title, const QString& text,
                                            QMessageBox::StandardButtons buttons,
                                            QMessageBox::StandardButton defaultButton)
{
    if (auto next = take(g_nextAnswer)) {
        return *next;
    }
    // Plain text: a question may quote what a node sent (a change's id, a user name).
    QMessageBox box(QMessageBox::Question, title, text, buttons, parent);
    box.setTextFormat(Qt::PlainText);
    box.setDefaultButton(defaultButton);
    return static_cast<QMessageBox::StandardButton>(box.exec());
}

void Modal::warning(QWidget* parent, const QString& title, const QString& text)
{
    g_lastWarning = text;
    if (take(g_nextAnswer)) {
        return;
    }
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, parent);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

} // namespace hadeck::ui
