#pragma once

#include <QObject>
#include <QString>
#include <QTranslator>

namespace hadeck::ui {

/// Installs the console's and Qt's own translations, and swaps them at runtime.
class Language final : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    /// "en" or "zh_CN". @return false (and English) when no catalog exists for @p code.
    bool apply(const QString& code);
    [[nodiscard]] QString current() const { return m_current; }
    /// The language of the system locale if a catalog exists for it, else "en".
    static QString systemDefault();
    static QStringList available() { return {QStringLiteral("en"), QStringLiteral("zh_CN")}; }
    /// The language's name in itself, for the menu: "English", "中文（简体）".
    static QString nativeName(const QString& code);

private:
    QTranslator m_app;
    QTranslator m_qt;
    QString m_current = QStringLiteral("en");
};

/// Dark, light, or whatever the desktop uses.
enum class Theme { System, Light, Dark };
void applyTheme(Theme theme);
Theme themeFromString(const QString& s);
QString toString(Theme theme);

} // namespace hadeck::ui
