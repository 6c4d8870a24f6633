#pragma once

// What to do when a drain times out with connections left: the choices
// DrainJob supports (keepWaiting, forceFinish, cancel), plus giving up, as
// spelled on hadeckctl's command line (--on-timeout) and at its prompt.

#include <QString>

#include <optional>

namespace hadeck::console {

enum class DrainTimeoutChoice {
    Wait,   // another timeout period
    Force,  // call the drain done with the connections left
    Cancel, // give the real server its weight back
    Fail,   // stop following; the drain stays applied
};

/// "wait", "force", "cancel", "fail", their first letters, and a few synonyms
/// ("keep", "restore", "quit"), any case, blanks around ignored. Pure.
std::optional<DrainTimeoutChoice> parseDrainTimeoutChoice(const QString& text);

/// The canonical word, as --on-timeout takes it.
QString drainTimeoutChoiceName(DrainTimeoutChoice choice);

} // namespace hadeck::console
