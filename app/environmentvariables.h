#pragma once

#include <QList>

/// A variable Switchboard reads, for --help, the man page's test and check-config's spelling check.
struct EnvironmentVariable
{
    const char *name;
    const char *description; ///< QT_TRANSLATE_NOOP("Cli", …): cliText() gives the reader's language
};

/// Every variable, in the order --help shows them.
const QList<EnvironmentVariable> &environmentVariables();
