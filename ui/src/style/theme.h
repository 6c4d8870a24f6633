#pragma once

// Colors and icons that stay readable on light and dark palettes. Icons are
// SVGs whose strokes say "currentColor"; they are tinted with the palette's
// text color when drawn, so a dark theme gets light glyphs and vice versa.

#include "hadeck/console/checks/alarm.h"
#include "hadeck/console/model/nodesnapshot.h"

#include <QColor>
#include <QIcon>
#include <QPalette>

namespace hadeck::ui {

/// True when the window background is darker than its text.
bool isDark(const QPalette& palette);

QColor stateColor(console::NodeState state);
QColor severityColor(console::Severity severity);
QColor vrrpColor(proto::VrrpState state);
/// A faint tint of @p color for cell backgrounds, mixed with the palette base.
QColor tint(const QColor& color, const QPalette& palette, double amount = 0.22);

/// An icon from :/icons/<name>.svg, tinted for the current palette.
QIcon themedIcon(const QString& name);
/// A filled status dot in @p color with @p glyph ("check", "cross", ...) inside.
QIcon statusIcon(const QString& glyph, const QColor& color);
QIcon stateIcon(console::NodeState state);
QIcon severityIcon(console::Severity severity);
QIcon layerIcon(console::Layer layer);
QIcon roleIcon(const std::vector<proto::Role>& roles);
/// Registers the embedded icons; safe to call more than once.
void initResources();
/// Forgets tinted icons, after a palette change.
void clearIconCache();

} // namespace hadeck::ui
