#pragma once

#include <QString>

namespace hadeck::ctl {

/// Reads one line from the terminal; with @p echo false the typing is hidden.
/// Returns a null QString at end of input.
QString readTerminalLine(bool echo);
/// True when stdin is an interactive terminal.
bool stdinIsTerminal();
/// True when stderr is an interactive terminal (progress lines are redrawn in place there).
bool stderrIsTerminal();

} // namespace hadeck::ctl
