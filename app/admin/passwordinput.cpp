#include "passwordinput.h"

#include "adminsupport.h"
#include "admincommands.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <termios.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Admin {

namespace {

std::optional<QString> readLine()
{
    std::string line;
    if (!std::getline(std::cin, line))
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

/// Asks on the terminal with echo turned off (restored afterwards, whatever happens).
std::optional<QString> askSilently(const char *prompt)
{
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    termios saved = {};
    const bool terminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }
    std::optional<QString> line = readLine();
    if (terminal)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fputc('\n', stderr);
    return line;
}

} // namespace

std::optional<QString> readNewPassword(const QString &command, bool fromStdin)
{
    if (fromStdin) {
        std::optional<QString> password = readLine();
        if (!password)
            fail(command, u"no password on standard input"_s, Failure);
        return password;
    }
    if (!::isatty(STDIN_FILENO)) {
        fail(command, u"no terminal to ask for the password on: give it on standard input with --password-stdin"_s,
             Failure);
        return std::nullopt;
    }
    const std::optional<QString> first = askSilently("New password: ");
    const std::optional<QString> second = first ? askSilently("Repeat it: ") : std::nullopt;
    if (!first || !second || *first != *second) {
        fail(command, u"the two passwords differ"_s, Failure);
        return std::nullopt;
    }
    return first;
}

} // namespace Admin
