#include "terminal.h"

#include <cstdio>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace hadeck::ctl {

QString readTerminalLine(bool echo)
{
    termios saved{};
    const bool tty = ::isatty(STDIN_FILENO) != 0 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty && !echo) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    int c;
    bool any = false;
    while ((c = std::getchar()) != EOF) {
        any = true;
        if (c == '\n')
            break;
        line.push_back(static_cast<char>(c));
    }
    if (tty && !echo) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputc('\n', stderr);
    }
    if (!any)
        return {};
    return QString::fromStdString(line).isNull() ? QStringLiteral("") : QString::fromStdString(line);
}

bool stdinIsTerminal()
{
    return ::isatty(STDIN_FILENO) != 0;
}

bool stderrIsTerminal() { return ::isatty(STDERR_FILENO) != 0; }

} // namespace hadeck::ctl
