#pragma once

#include <QList>
#include <QProcessEnvironment>
#include <QStringList>

/// What the command line asked for. Flags that mirror a setting (`--port` and SERVER_PORT)
/// are folded into the environment, so that the backend reads one source.
struct CommandLine
{
    enum class Mode {
        Console, ///< the backend and the console window
        Headless, ///< the backend alone
        SelfTest, ///< load the console's interface and exit
        Admin, ///< one of the administrator's commands (`user`, `backup`, …)
        Help,
        Version,
    };

    Mode mode = Mode::Console;
    QString command; ///< Mode::Admin: the command's name
    QStringList commandArguments; ///< Mode::Admin: what follows the command's name
    QString dialNumber; ///< from a `tel:` URI argument, for the softphone's number field
    QProcessEnvironment environment;
    QString error; ///< set when the arguments could not be understood (in the reader's language)

    /// Parses `arguments` (the program name first); prints nothing.
    static CommandLine parse(const QStringList &arguments, const QProcessEnvironment &environment);

    /// One option for --help: its spellings, its value's name (or null) and what it does
    /// (QT_TRANSLATE_NOOP("Cli", …) texts).
    struct OptionHelp
    {
        QStringList names;
        const char *valueName;
        const char *description;
    };
    static const QList<OptionHelp> &options();
};

/// Reads KEY=VALUE lines as systemd's EnvironmentFile= does (`#` and `;` comments, blank lines,
/// values optionally in single or double quotes) into `environment`, overriding what it had.
/// Returns an error text, empty on success.
QString readEnvironmentFile(const QString &path, QProcessEnvironment &environment);
