// hadeck: the Qt Widgets console.
//   --cluster FILE                 open this inventory at start (repeatable)
//   --screenshot FILE              render the main window to a PNG and exit
//   --screenshot-delay MS          wait this long first (default 3000), so nodes can connect
//   --lang zh_CN|en                user-interface language
//   --theme system|light|dark      palette

#include "app/mainwindow.h"
#include "dialogs/modal.h"
#include "style/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#include <cstdio>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("hadeck"));
    QApplication::setOrganizationName(QStringLiteral("HaDeck"));
    QApplication::setApplicationVersion(QStringLiteral(HADECK_VERSION));
    hadeck::ui::initResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/hadeck.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "HaDeck console: the control room for LVS/keepalived clusters"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption cluster(QStringLiteral("cluster"),
                                     QCoreApplication::translate("main", "Open the cluster inventory FILE at start."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("main", "Save the main window to the PNG FILE, then exit."), QStringLiteral("FILE"));
    const QCommandLineOption delay(QStringLiteral("screenshot-delay"),
                                   QCoreApplication::translate("main", "Wait MS milliseconds before the screenshot."),
                                   QStringLiteral("MS"), QStringLiteral("3000"));
    const QCommandLineOption lang(QStringLiteral("lang"),
                                  QCoreApplication::translate("main", "User-interface language: zh_CN or en."),
                                  QStringLiteral("LANG"));
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   QCoreApplication::translate("main", "Palette: system, light or dark."),
                                   QStringLiteral("THEME"));
    parser.addOptions({cluster, screenshot, delay, lang, theme});
    parser.process(app);

    const QSettings settings(QStringLiteral("HaDeck"), QStringLiteral("hadeck"));
    hadeck::ui::MainWindow window;
    window.setLanguage(parser.isSet(lang)
                           ? parser.value(lang)
                           : settings.value(QStringLiteral("view/language"), hadeck::ui::Language::systemDefault())
                                 .toString());
    window.setTheme(hadeck::ui::themeFromString(
        parser.isSet(theme) ? parser.value(theme)
                            : settings.value(QStringLiteral("view/theme"), QStringLiteral("system")).toString()));

    int rc = 0;
    for (const auto& file : parser.values(cluster)) {
        const QString error = window.openClusterFile(file);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "hadeck: %s\n", qPrintable(error));
            if (parser.isSet(screenshot)) {
                rc = 2; // still take the picture: it shows what the admin would see
            } else {
                QTimer::singleShot(0, &window, [&window, error] {
                    hadeck::ui::Modal::warning(&window, QCoreApplication::translate("main", "Cannot open the cluster"),
                                               error);
                });
            }
        }
    }
    window.show();

    if (parser.isSet(screenshot)) {
        bool ok = false;
        const int ms = parser.value(delay).toInt(&ok);
        const QString path = parser.value(screenshot);
        QTimer::singleShot(ok && ms >= 0 ? ms : 3000, &window, [&window, path, &rc] {
            if (!window.grab().save(path, "PNG")) {
                std::fprintf(stderr, "hadeck: cannot write %s\n", qPrintable(path));
                rc = 1;
            }
            QCoreApplication::exit(rc);
        });
    }
    const int loop = QApplication::exec();
    return rc != 0 ? rc : loop;
}
