#pragma once

// Agent logging: to stderr with --foreground, to the journal otherwise. Safe to
// call from any thread.

#include <string_view>

namespace hadeck::agent {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

enum class LogTarget { Stderr, Journal };

void setLogTarget(LogTarget target);
void setLogLevel(LogLevel minimum);

void log(LogLevel level, std::string_view message);
inline void logDebug(std::string_view m) { log(LogLevel::Debug, m); }
inline void logInfo(std::string_view m) { log(LogLevel::Info, m); }
inline void logWarning(std::string_view m) { log(LogLevel::Warning, m); }
inline void logError(std::string_view m) { log(LogLevel::Error, m); }

} // namespace hadeck::agent
