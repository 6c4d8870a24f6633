#include "terminal.h"

#include <windows.h>

#include <cstdio>
#include <io.h>
#include <string>

namespace hadeck::ctl {

QString readTerminalLine(bool echo)
{
    HANDLE in = ::GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode = 0;
    const bool console = ::GetConsoleMode(in, &mode) != 0;
    if (console && !echo)
        ::SetConsoleMode(in, mode & ~static_cast<DWORD>(ENABLE_ECHO_INPUT));
    std::string line;
    int c;
    bool any = false;
    while ((c = std::getchar()) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (c != '\r')
            line.push_back(static_cast<char>(c));
    }
    if (console && !echo) {
        ::SetConsoleMode(in, mode);
        std::fputc('\n', stderr);
    }
    if (!any)
        return {};
    return QString::fromStdString(line).isNull() ? QStringLiteral("") : QString::fromStdString(line);
}

bool stdinIsTerminal()
{
    return ::_isatty(::_fileno(stdin)) != 0;
}

bool stderrIsTerminal() { return ::_isatty(::_fileno(stderr)) != 0; }

} // namespace hadeck::ctl
