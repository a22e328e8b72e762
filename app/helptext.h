#pragma once

#include <QString>

/// `switchboard --help`: usage, every option, every administrator's command and every
/// environment variable, in the reader's language (English or Russian).
QString helpText();
