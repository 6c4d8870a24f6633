#pragma once
// The live cluster model's logging category (snapshots, deltas, resyncs, checks).
// Debug and info are off by default: QT_LOGGING_RULES="hadeck.model.debug=true".
#include <QLoggingCategory>

namespace hadeck::console {
Q_DECLARE_LOGGING_CATEGORY(lcModel)
} // namespace hadeck::console
