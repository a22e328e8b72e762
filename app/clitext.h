#pragma once

#include <QString>

/// Texts of the command line (help, usage errors, the no-display notice) in the language of the
/// locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE): Russian from the compiled-in catalogue, else the
/// English source. Works before any application object exists. Mark texts with
/// QT_TRANSLATE_NOOP("Cli", "…") so that lupdate finds them.
QString cliText(const char *source);
