#pragma once
// The GUI's logging category (sessions, cluster switches, dialogs, actions).
// Debug and info are off by default: QT_LOGGING_RULES="hadeck.ui.debug=true".
#include <QLoggingCategory>

namespace hadeck::ui {
Q_DECLARE_LOGGING_CATEGORY(lcUi)
} // namespace hadeck::ui
