#pragma once

#include <QString>

namespace hadeck::ctl {

/// Reads one line from the terminal; with @p echo false the typing is hidden.
/// Returns a null QString at end of input.
QString readTerminalLine(bool echo);
/// True when stdin is an interactive terminal.
bool stdinIsTerminal();

} // namespace hadeck::ctl
