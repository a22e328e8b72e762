#include "admincommands.h"

#include "commands.h"

using namespace Qt::Literals::StringLiterals;

namespace Admin {

namespace {

const QList<Command> &commands()
{
    static const QList<Command> commands{
        {u"user"_s, runUser, userHelp()},
        {u"backup"_s, runBackup,
         {{u"backup FILE"_s,
           QT_TRANSLATE_NOOP("Cli", "Write a consistent copy of the SQLite database to FILE, also while a server "
                                    "runs (PostgreSQL: says how to use pg_dump).")}}},
        {u"restore"_s, runRestore,
         {{u"restore FILE"_s,
           QT_TRANSLATE_NOOP("Cli", "Replace the SQLite database with a backup; refused while a server runs on it "
                                    "(the replaced file is kept beside it).")}}},
        {u"migrate"_s, runMigrate,
         {{u"migrate --status"_s, QT_TRANSLATE_NOOP("Cli", "Show applied, pending and unknown migrations.")},
          {u"migrate --to N"_s,
           QT_TRANSLATE_NOOP("Cli", "Apply the pending migrations up to number N (without N: all of them).")}}},
        {u"check-config"_s, runCheckConfig,
         {{u"check-config"_s,
           QT_TRANSLATE_NOOP("Cli", "Check every variable, the database, the provider's credentials and the TLS "
                                    "files; the exit status says whether all is well.")}}},
    };
    return commands;
}

} // namespace

const Command *findCommand(const QString &name)
{
    for (const Command &command : commands()) {
        if (command.name == name)
            return &command;
    }
    return nullptr;
}

QList<CommandHelp> commandsHelp()
{
    QList<CommandHelp> lines;
    for (const Command &command : commands())
        lines += command.help;
    return lines;
}

} // namespace Admin
