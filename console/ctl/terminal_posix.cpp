#include "terminal.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace hadeck::ctl {

namespace {

// Saved while echo is off, so a signal handler can give the terminal back.
int g_ttyFd = -1;
termios g_saved{};
std::atomic<bool> g_echoOff{false};
struct sigaction g_oldInt{}, g_oldTerm{}, g_oldHup{}, g_oldQuit{};

void restoreAndReraise(int sig)
{
    if (g_echoOff.exchange(false))
        ::tcsetattr(g_ttyFd, TCSAFLUSH, &g_saved); // async-signal-safe
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

void wipe(std::string& s)
{
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i)
        p[i] = 0;
    s.clear();
}

} // namespace

QString readTerminalLine(bool echo)
{
    // The controlling terminal, never stdin: a piped "y" must not accept a host key,
    // and a passphrase is typed by a person.
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return {};
    termios saved{};
    const bool tty = ::tcgetattr(fd, &saved) == 0;
    if (tty && !echo) {
        g_ttyFd = fd;
        g_saved = saved;
        struct sigaction sa{};
        sa.sa_handler = restoreAndReraise;
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGINT, &sa, &g_oldInt);
        ::sigaction(SIGTERM, &sa, &g_oldTerm);
        ::sigaction(SIGHUP, &sa, &g_oldHup);
        ::sigaction(SIGQUIT, &sa, &g_oldQuit);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        g_echoOff = true;
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    std::string line;
    line.reserve(1024); // a passphrase fits: no reallocation leaves a copy of it in freed memory
    bool any = false;
    char c = 0;
    for (;;) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n <= 0)
            break;
        any = true;
        if (c == '\n')
            break;
        if (line.size() == line.capacity()) {
            // Grown by hand, so that the old buffer is wiped before it is freed.
            std::string bigger;
            bigger.reserve(line.capacity() * 2);
            bigger.assign(line);
            wipe(line);
            line.swap(bigger);
        }
        line.push_back(c);
    }
    c = 0;
    if (tty && !echo) {
        if (g_echoOff.exchange(false))
            ::tcsetattr(fd, TCSAFLUSH, &saved);
        ::sigaction(SIGINT, &g_oldInt, nullptr);
        ::sigaction(SIGTERM, &g_oldTerm, nullptr);
        ::sigaction(SIGHUP, &g_oldHup, nullptr);
        ::sigaction(SIGQUIT, &g_oldQuit, nullptr);
        (void)!::write(fd, "\n", 1);
    }
    ::close(fd);
    QString out = any ? QString::fromUtf8(line.data(), static_cast<qsizetype>(line.size())) : QString();
    if (any && out.isNull())
        out = QStringLiteral("");
    wipe(line);
    return out;
}

bool stdinIsTerminal()
{
    return ::isatty(STDIN_FILENO) != 0;
}

bool stderrIsTerminal() { return ::isatty(STDERR_FILENO) != 0; }

} // namespace hadeck::ctl
