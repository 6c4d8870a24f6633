#pragma once

// Everything hadeckctl prints passes through here. Agent text (user names,
// error messages, instance names) may hold terminal escapes, newlines or NULs:
// shown escaped, they cannot retitle or clear the terminal, plant a link, forge
// a table row, or cut the output short.

#include <QString>

#include <cstdio>

namespace hadeck::ctl {

/// @p text with every control character (C0, DEL, C1) and bidirectional override
/// shown as an escape ("\n", "\e", "\x07", "\u202e"). @p keepNewlines keeps '\n'
/// for the CLI's own multi-line messages; table cells and agent fields never keep it.
QString terminalSafe(const QString& text, bool keepNewlines = false);

/// Writes @p text (already made safe by its composer) by length: an embedded NUL is not an end.
void writeText(std::FILE* stream, const QString& text);

} // namespace hadeck::ctl
