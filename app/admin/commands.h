#pragma once

#include "admincommands.h"

/// The commands' entry points, one file each.
namespace Admin {

int runUser(const QStringList &arguments, const QProcessEnvironment &environment);
QList<CommandHelp> userHelp();

int runBackup(const QStringList &arguments, const QProcessEnvironment &environment);
int runRestore(const QStringList &arguments, const QProcessEnvironment &environment);
int runMigrate(const QStringList &arguments, const QProcessEnvironment &environment);
int runCheckConfig(const QStringList &arguments, const QProcessEnvironment &environment);

} // namespace Admin
