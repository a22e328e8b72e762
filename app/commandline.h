#pragma once

#include <QProcessEnvironment>
#include <QStringList>

/// What the command line asked for. Flags that mirror a setting (`--port` and SERVER_PORT)
/// are folded into the environment, so that the backend reads one source.
struct CommandLine
{
    bool headless = false;
    bool selfTest = false;
    QString dialNumber; ///< from a `tel:` URI argument, for the softphone's number field
    QProcessEnvironment environment;
    QString error; ///< set when the arguments could not be understood

    /// Parses `arguments` (the program name first); `--help` and `--version` print and exit.
    static CommandLine parse(const QStringList &arguments, const QProcessEnvironment &environment);
    /// True when `arguments` ask for help or the version: text only, no backend, no window.
    static bool onlyPrints(const QStringList &arguments);
};
