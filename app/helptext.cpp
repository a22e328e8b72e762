#include "helptext.h"

#include "admin/admincommands.h"
#include "clitext.h"
#include "commandline.h"
#include "environmentvariables.h"

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qsizetype kColumn = 30;

/// "  term   description", the description starting at one column (or on the next line).
QString row(const QString &term, const QString &description)
{
    const QString indented = u"  "_s + term;
    if (indented.size() + 2 > kColumn)
        return indented + u'\n' + QString(kColumn, u' ') + description + u'\n';
    return indented.leftJustified(kColumn) + description + u'\n';
}

QString optionsSection()
{
    QString text = cliText(QT_TRANSLATE_NOOP("Cli", "Options:")) + u'\n';
    for (const CommandLine::OptionHelp &option : CommandLine::options()) {
        QStringList spellings;
        for (const QString &name : option.names)
            spellings.append((name.size() == 1 ? u"-"_s : u"--"_s) + name);
        QString term = spellings.join(u", "_s);
        if (option.valueName)
            term += u' ' + cliText(option.valueName).toUpper();
        text += row(term, cliText(option.description));
    }
    return text;
}

QString commandsSection()
{
    QString text = cliText(QT_TRANSLATE_NOOP(
                       "Cli", "Commands (for administrators; they read the same configuration as the server):"))
        + u'\n';
    for (const Admin::CommandHelp &command : Admin::commandsHelp())
        text += row(command.synopsis, cliText(command.description));
    return text;
}

QString environmentSection()
{
    QString text = cliText(QT_TRANSLATE_NOOP("Cli", "Environment (flags override it):")) + u'\n';
    for (const EnvironmentVariable &variable : environmentVariables())
        text += row(QString::fromLatin1(variable.name), cliText(variable.description));
    return text;
}

} // namespace

QString helpText()
{
    return cliText(QT_TRANSLATE_NOOP("Cli", "Usage: switchboard [options] [tel:number]\n"
                                            "       switchboard --headless [options]\n"
                                            "       switchboard [--env-file FILE] [--database URL] COMMAND …\n"))
        + u'\n'
        + cliText(QT_TRANSLATE_NOOP("Cli", "Switchboard: an operator console for international calls. Without a command "
                                           "it starts the backend and opens the console window; --headless runs the "
                                           "backend alone (for servers and external clients)."))
        + u"\n\n"_s + optionsSection() + u'\n' + commandsSection() + u'\n' + environmentSection() + u'\n'
        + cliText(QT_TRANSLATE_NOOP("Cli", "Exit status: 0 done, 1 failed, 2 wrong usage or configuration."))
        + u'\n';
}
