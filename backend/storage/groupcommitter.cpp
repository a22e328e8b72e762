#include "groupcommitter.h"

#include "core/logging.h"
#include "database.h"

#include <QMetaObject>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

/// A unit that failed because the database did, rather than on its own.
bool isStorageFailure(const Status &status)
{
    return !status && status.error().code == ErrorCode::StorageUnavailable;
}

/// Every unit of a batch fails with the database's error: none of them is acknowledged.
QList<Status> failedBatch(qsizetype size, const Status &failure)
{
    qCWarning(lcStorage).noquote() << "a batch of" << size << "writes failed:" << failure.error().message;
    return QList<Status>(size, failure);
}

void deliver(QObject *context, Completion<Done> done, Status result)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done), result = std::move(result)]() { done(result); }, Qt::QueuedConnection);
}

} // namespace

class GroupCommitter::Thread : public QThread
{
public:
    explicit Thread(GroupCommitter &owner) : m_owner(owner) {}

protected:
    void run() override { m_owner.run(); }

private:
    GroupCommitter &m_owner;
};

GroupCommitter::GroupCommitter(Database &database, int maxBatch)
    : m_database(database), m_maxBatch(maxBatch), m_thread(std::make_unique<Thread>(*this))
{
    m_thread->setObjectName(u"switchboard-writer"_s);
    m_thread->start();
}

GroupCommitter::~GroupCommitter()
{
    stop();
}

void GroupCommitter::submit(QObject *context, Unit unit, Completion<Done> done)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back({context, std::move(unit), std::move(done)});
            m_wake.notify_one();
            return;
        }
    }
    deliver(context, std::move(done), Error::storage(u"the server is shutting down"_s));
}

void GroupCommitter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_wake.notify_one();
    }
    m_thread->wait();
    // QThread::wait() orders the writer's last steps before what follows (its members may then
    // be destroyed), but through QtCore's own futexes; taking the mutex the writer released last
    // shows that order to ThreadSanitizer too.
    std::lock_guard lock(m_mutex);
}

std::deque<GroupCommitter::Pending> GroupCommitter::takeBatch()
{
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
    std::deque<Pending> batch;
    while (!m_queue.empty() && int(batch.size()) < m_maxBatch) {
        batch.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    return batch;
}

void GroupCommitter::run()
{
    for (;;) {
        std::deque<Pending> batch = takeBatch();
        if (batch.empty())
            return; // stopping, and nothing left
        const QList<Status> results = execute(batch);
        m_batches.fetch_add(1);
        m_units.fetch_add(batch.size());
        for (qsizetype i = 0; i < results.size(); ++i) {
            // What the unit captured (a value it hands to its completion) is released here, before
            // the completion runs on its own thread: from then on only the completion holds it.
            batch[i].unit = nullptr;
            deliver(batch[i].context, std::move(batch[i].done), results[i]);
        }
    }
}

QList<Status> GroupCommitter::execute(std::deque<Pending> &batch)
{
    const auto failAll = [&batch](const Status &failure) { return failedBatch(qsizetype(batch.size()), failure); };
    if (Status begun = m_database.begin(); !begun)
        return failAll(begun);
    QList<Status> results;
    for (Pending &pending : batch) {
        Status result = pending.unit();
        if (isStorageFailure(result)) {
            m_database.rollback();
            return failAll(result);
        }
        if (!result) {
            // PostgreSQL refuses every statement after a failed one until the transaction ends:
            // run the batch again with each unit in a savepoint of its own.
            m_database.rollback();
            return executeWithSavepoints(batch);
        }
        results.append(result);
    }
    if (Status committed = m_database.commit(); !committed)
        return failAll(committed);
    return results;
}

QList<Status> GroupCommitter::executeWithSavepoints(std::deque<Pending> &batch)
{
    const auto failAll = [&batch](const Status &failure) { return failedBatch(qsizetype(batch.size()), failure); };
    if (Status begun = m_database.begin(); !begun)
        return failAll(begun);
    QList<Status> results;
    for (Pending &pending : batch) {
        Status step = m_database.savepoint();
        Status result = step ? pending.unit() : step;
        if (result)
            step = m_database.releaseSavepoint();
        else if (!isStorageFailure(result))
            step = m_database.rollbackToSavepoint();
        if (isStorageFailure(result) || !step) {
            m_database.rollback();
            return failAll(isStorageFailure(result) ? result : step);
        }
        results.append(result);
    }
    if (Status committed = m_database.commit(); !committed)
        return failAll(committed);
    return results;
}

} // namespace Switchboard
