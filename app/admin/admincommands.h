#pragma once

#include <QList>
#include <QProcessEnvironment>
#include <QStringList>

/// The administrator's commands of the one `switchboard` binary: `user`, `backup`, `restore`,
/// `migrate`, `check-config`. Each reads the same configuration as the server (environment,
/// --env-file, --database) and works on the database with the backend's own classes.
namespace Admin {

/// Exit status of a command.
enum Exit { Success = 0, Failure = 1, Usage = 2 };

/// One line of --help: how a command is called and what it does (a QT_TRANSLATE_NOOP("Cli", …) text).
struct CommandHelp
{
    QString synopsis;
    const char *description;
};

using Handler = int (*)(const QStringList &arguments, const QProcessEnvironment &environment);

struct Command
{
    QString name;
    Handler run;
    QList<CommandHelp> help;
};

/// The command called `name`, or null.
const Command *findCommand(const QString &name);

/// Every command's lines for --help, in order.
QList<CommandHelp> commandsHelp();

} // namespace Admin
