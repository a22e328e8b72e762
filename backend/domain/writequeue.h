#pragma once

#include "result.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace Switchboard {

/// Where the use cases send their writes.
///
/// A unit of work (a function that runs the repositories' write statements) is run by the one
/// writer of the database, inside a transaction it shares with the other units that arrived
/// meanwhile (group commit). Its completion comes only after that transaction committed — with
/// the unit's own result — or, when the commit failed, with ErrorCode::StorageUnavailable for
/// every unit of the batch. A unit's own failure (a conflict, a refused change) undoes that
/// unit alone. Completions run on the thread of `context`, which must outlive them.
///
/// A unit may run more than once (a batch in which one unit failed runs again, each unit in a
/// savepoint of its own), so it must do the same each time it runs and keep nothing outside the
/// database but what its last run leaves.
class WriteQueue
{
public:
    using Unit = std::function<Status()>;

    virtual ~WriteQueue() = default;

    virtual void submit(QObject *context, Unit unit, Completion<Done> done) = 0;

    /// A unit that yields a value (rows changed, a count) once committed.
    template<typename T>
    void submit(QObject *context, std::function<Result<T>()> unit, Completion<T> done)
    {
        // The value is kept aside while the unit waits for its commit; only a committed unit's
        // value is handed on.
        auto value = std::make_shared<std::optional<T>>();
        submit(
            context,
            [unit = std::move(unit), value]() -> Status {
                Result<T> result = unit();
                if (!result)
                    return result.error();
                *value = std::move(result).value();
                return Done{};
            },
            [value, done = std::move(done)](Status committed) {
                if (!committed)
                    return done(committed.error());
                done(std::move(**value));
            });
    }
};

} // namespace Switchboard
