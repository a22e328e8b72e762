#pragma once

#include "domain/writequeue.h"

#include <QThread>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace Switchboard {

class Database;

/// The one writer of a database: a thread with its own connection that commits the units of
/// many requests in one transaction (see WriteQueue).
///
/// It takes every unit that arrived while the previous commit was under way, runs them in one
/// transaction and commits once, so that the cost of a durable commit (an fsync with SQLite's
/// synchronous=FULL, a WAL flush with PostgreSQL) is shared. The fast path runs the units one
/// after the other; when one fails on its own (a unique index, a refused change) the batch is
/// rolled back and run again with a savepoint around each unit, so that the failing unit alone
/// is undone. A unit that fails because the database does (it is down, the disk is full) fails
/// the whole batch: none of its units is acknowledged.
class GroupCommitter final : public WriteQueue
{
public:
    /// Starts the writer thread on `database`, which must outlive it.
    explicit GroupCommitter(Database &database, int maxBatch = kDefaultMaxBatch);
    ~GroupCommitter() override;

    using WriteQueue::submit;
    void submit(QObject *context, Unit unit, Completion<Done> done) override;

    /// Runs what was submitted, then stops the thread; later submissions fail at once.
    void stop();

    /// Batches committed (or failed) and units run so far, for the metrics.
    quint64 batches() const { return m_batches.load(); }
    quint64 units() const { return m_units.load(); }

    static constexpr int kDefaultMaxBatch = 256;

private:
    struct Pending
    {
        QObject *context;
        Unit unit;
        Completion<Done> done;
    };
    class Thread;

    void run();
    std::deque<Pending> takeBatch();
    QList<Status> execute(std::deque<Pending> &batch);
    QList<Status> executeWithSavepoints(std::deque<Pending> &batch);

    Database &m_database;
    const int m_maxBatch;
    // std:: rather than QMutex/QWaitCondition: QWaitCondition::wait releases and retakes the
    // mutex inside QtCore, where ThreadSanitizer (scripts/tsan.sh) cannot see it unless Qt itself
    // is built with it; pthread-based primitives are seen whoever calls them.
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Pending> m_queue; ///< guarded by m_mutex
    bool m_stopping = false; ///< guarded by m_mutex
    std::unique_ptr<QThread> m_thread;
    std::atomic<quint64> m_batches = 0;
    std::atomic<quint64> m_units = 0;
};

} // namespace Switchboard
