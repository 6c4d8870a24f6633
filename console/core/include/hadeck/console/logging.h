#pragma once
// Logging categories of the console core. Debug and info messages are off by
// default; turn them on in the field with QT_LOGGING_RULES, e.g.
//   QT_LOGGING_RULES="hadeck.ssh=true;hadeck.agent=true" hadeck      (debug and info)
//   QT_LOGGING_RULES="hadeck.*.info=true" hadeckctl status          (info: failures, disconnects)
// hadeck.model lives in the model library (model/logging.h), hadeck.ui in the GUI.
#include <QLoggingCategory>

namespace hadeck::console {
// SSH transport: connection phases, host keys, authentication, channel and jump-host trouble.
Q_DECLARE_LOGGING_CATEGORY(lcSsh)
// The console's agent client: hello, requests, subscriptions, disconnects and reconnects.
Q_DECLARE_LOGGING_CATEGORY(lcAgent)
} // namespace hadeck::console
