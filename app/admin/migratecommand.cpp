// `switchboard migrate --status | --to N`: where the schema stands, and moving it forward on
// purpose (a server start applies every pending migration by itself).

#include "adminsupport.h"
#include "commands.h"
#include "serverlock.h"

#include "storage/migrator.h"

#include <limits>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace Admin {

namespace {

const QString kCommand = u"migrate"_s;

int printStatus(const Config &config)
{
    const std::unique_ptr<Database> database = openDatabase(kCommand, config, Open::Existing);
    if (!database)
        return Failure;
    const Result<MigrationStatus> status = Migrator(*database).status();
    if (!status)
        return fail(kCommand, status.error().message, Failure);
    out() << "database " << config.database.redacted() << ": " << status->applied.size() << " applied, "
          << status->pending.size() << " pending, " << status->unknown.size() << " unknown to this program\n";
    for (const MigrationStatus::Applied &migration : status->applied) {
        const bool unknown = status->unknown.contains(migration.name);
        out() << "  " << migration.name.leftJustified(40) << "applied " << migration.appliedAt
              << (unknown ? u" (unknown: a newer program's)"_s : QString()) << '\n';
    }
    for (const QString &name : status->pending)
        out() << "  " << name.leftJustified(40) << "pending\n";
    return Success;
}

/// Applies the pending migrations up to `target`; only with no server on the database, whose
/// schema would change under it.
int migrateTo(const Config &config, int target)
{
    const std::unique_ptr<Database> database = openDatabase(kCommand, config, Open::Create);
    if (!database)
        return Failure;
    const Result<MigrationStatus> status = Migrator(*database).status();
    if (!status)
        return fail(kCommand, status.error().message, Failure);
    const int current = status->applied.isEmpty() ? 0 : Migrator::number(status->applied.constLast().name);
    if (target < current) {
        return fail(kCommand, u"the database is at %1: migrations only go forward; to go back, restore a backup"_s.arg(current),
                    Failure);
    }
    QStringList wanted;
    for (const QString &name : status->pending) {
        if (Migrator::number(name) <= target)
            wanted.append(name);
    }
    if (wanted.isEmpty() && status->unknown.isEmpty()) {
        out() << "nothing to apply: the database is at " << current << '\n';
        return Success;
    }
    Result<std::unique_ptr<ServerLock>> lock = ServerLock::take(config.database, ServerLock::Kind::Exclusive);
    if (!lock)
        return fail(kCommand, lock.error().message, Failure);
    if (Status migrated = Migrator(*database).migrateTo(target); !migrated)
        return fail(kCommand, migrated.error().message, Failure);
    out() << "applied " << wanted.join(u", "_s) << '\n';
    return Success;
}

} // namespace

int runMigrate(const QStringList &arguments, const QProcessEnvironment &environment)
{
    const bool status = arguments == QStringList{u"--status"_s};
    bool numbered = arguments.size() == 2 && arguments.first() == u"--to"_s;
    const int target = numbered ? arguments.at(1).toInt(&numbered) : 0;
    const bool all = arguments.isEmpty();
    if (!status && !(numbered && target > 0) && !all)
        return fail(kCommand, u"usage: switchboard migrate --status | --to N (N > 0) | (nothing: all)"_s, Usage);
    const std::optional<Config> config = loadConfig(kCommand, environment);
    if (!config)
        return Usage;
    if (status)
        return printStatus(*config);
    return migrateTo(*config, all ? std::numeric_limits<int>::max() : target);
}

} // namespace Admin
