#include "app/logging.h"

namespace hadeck::ui {
Q_LOGGING_CATEGORY(lcUi, "hadeck.ui", QtWarningMsg)
} // namespace hadeck::ui
