#pragma once

// Agent text (instance names, error messages, endpoints) is never markup: a
// tooltip or label showing it must not render HTML or load images from it.

#include <QString>
#include <QTextDocument>
#include <QVariant>

namespace hadeck::ui {

/// Longest agent text shown whole in a tooltip; longer text is cut with an ellipsis.
inline constexpr qsizetype kMaxToolTipChars = 2000;

/// @p text as a tooltip that shows it literally (escaped, line breaks kept, cut when huge).
inline QString plainToolTip(QString text)
{
    if (text.isEmpty())
        return text;
    if (text.size() > kMaxToolTipChars)
        text = text.left(kMaxToolTipChars) + QChar(0x2026);
    return Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal);
}

/// The same for a model's ToolTipRole value (non-strings pass through).
inline QVariant plainToolTip(const QVariant& value)
{
    if (value.typeId() != QMetaType::QString)
        return value;
    return plainToolTip(value.toString());
}

} // namespace hadeck::ui
