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

    static CommandLine parse(const QStringList &arguments, const QProcessEnvironment &environment);

    /// True when the arguments ask for no GUI, decided before any application object exists.
    static bool wantsHeadless(int argc, char **argv);
};
