#include "hadeck/console/logging.h"

namespace hadeck::console {
Q_LOGGING_CATEGORY(lcSsh, "hadeck.ssh", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAgent, "hadeck.agent", QtWarningMsg)
} // namespace hadeck::console
