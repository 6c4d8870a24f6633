#pragma once

// Every modal question the console asks (a file name, a yes/no, a warning, a dialog of its own) goes through here,
// so that a test drives the real button or menu action and answers the question it raises,
// instead of reaching past the action into the code behind it.

#include <QMessageBox>
#include <QString>

#include <functional>

class QDialog;
class QWidget;

namespace hadeck::ui {

class Modal {
public:
    // ---- for tests: the next question is answered without showing anything ----
    /// The next file question returns @p path (empty: as if cancelled).
    static void setNextFileName(const QString& path);
    /// The next question or warning returns @p button.
    static void setNextAnswer(QMessageBox::StandardButton button);
    /// The text of the last warning, shown or answered (tests read it).
    [[nodiscard]] static QString lastWarning();
    /// Every dialog shown through exec() is handed to @p driver once it runs, to be filled in and
    /// accepted or rejected as a user would (empty: none). The driver tells dialogs by their type.
    static void setDialogDriver(std::function<void(QDialog&)> driver);

    // ---- the questions ----
    [[nodiscard]] static QString saveFileName(QWidget* parent, const QString& caption, const QString& suggested,
                                              const QString& filter);
    [[nodiscard]] static QString openFileName(QWidget* parent, const QString& caption, const QString& dir,
                                              const QString& filter);
    [[nodiscard]] static QMessageBox::StandardButton question(QWidget* parent, const QString& title,
                                                              const QString& text, QMessageBox::StandardButtons buttons,
                                                              QMessageBox::StandardButton defaultButton);
    static void warning(QWidget* parent, const QString& title, const QString& text);
    /// Shows @p dialog modally; its result (QDialog::Accepted or Rejected).
    static int exec(QDialog& dialog);
};

} // namespace hadeck::ui
