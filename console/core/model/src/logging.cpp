#include "hadeck/console/model/logging.h"

namespace hadeck::console {
Q_LOGGING_CATEGORY(lcModel, "hadeck.model", QtWarningMsg)
} // namespace hadeck::console
