#include "app/language.h"

#include "style/theme.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace hadeck::ui {

bool Language::apply(const QString& code)
{
    QCoreApplication::removeTranslator(&m_app);
    QCoreApplication::removeTranslator(&m_qt);
    m_current = QStringLiteral("en");
    if (code == QStringLiteral("en") || code.isEmpty()) {
        // English is the source language; its catalog only gives the plural
        // forms ("1 warning", "2 warnings"). Removing the translators above
        // already told every window to retranslate.
        if (m_app.load(QStringLiteral(":/i18n/hadeck_en.qm"))) {
            QCoreApplication::installTranslator(&m_app);
        }
        return true;
    }
    if (!m_app.load(QStringLiteral(":/i18n/hadeck_%1.qm").arg(code))) {
        return false;
    }
    // Qt's own strings (dialog buttons, context menus) come from the system's Qt catalogs.
    if (m_qt.load(QStringLiteral("qtbase_%1").arg(code), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(&m_qt);
    }
    QCoreApplication::installTranslator(&m_app);
    m_current = code;
    return true;
}

QString Language::systemDefault()
{
    return QLocale().language() == QLocale::Chinese ? QStringLiteral("zh_CN") : QStringLiteral("en");
}

QString Language::nativeName(const QString& code)
{
    if (code == QStringLiteral("zh_CN")) {
        return QStringLiteral("中文（简体）");
    }
    return QStringLiteral("English");
}

Theme themeFromString(const QString& s)
{
    if (s == QStringLiteral("dark")) {
        return Theme::Dark;
    }
    return s == QStringLiteral("light") ? Theme::Light : Theme::System;
}

QString toString(Theme theme)
{
    switch (theme) {
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::Light: return QStringLiteral("light");
    case Theme::System: return QStringLiteral("system");
    }
    return {};
}

void applyTheme(Theme theme)
{
    static const QPalette systemPalette = qApp->palette();
    if (theme == Theme::System) {
        qApp->setPalette(systemPalette);
        clearIconCache();
        return;
    }
    qApp->setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = qApp->style()->standardPalette();
    if (theme == Theme::Dark) {
        const QColor window(0x1f, 0x23, 0x28);
        const QColor base(0x17, 0x1a, 0x1e);
        const QColor text(0xe6, 0xe9, 0xed);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, QColor(0x22, 0x26, 0x2c));
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, QColor(0x2a, 0x2f, 0x36));
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::ToolTipBase, QColor(0x2a, 0x2f, 0x36));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::PlaceholderText, QColor(0x95, 0x9d, 0xa8));
        p.setColor(QPalette::Mid, QColor(0x3a, 0x40, 0x48));
        p.setColor(QPalette::Light, QColor(0x3a, 0x40, 0x48));
        p.setColor(QPalette::Dark, QColor(0x12, 0x14, 0x17));
        p.setColor(QPalette::Link, QColor(0x6d, 0xa8, 0xff));
        for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
            p.setColor(QPalette::Disabled, role, QColor(0x6b, 0x72, 0x7c));
        }
    } else {
        p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf8, 0xfa));
        p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xc9));
        p.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x72, 0x7c));
    }
    qApp->setPalette(p);
    clearIconCache();
}

} // namespace hadeck::ui
