#pragma once

#include "domain/repositories.h"
#include "domain/writequeue.h"

#include <QHash>
#include <QObject>

namespace Switchboard {

class CallService;
class Clock;
struct CallRequester;

/// Initiate with an Idempotency-Key: the same key from the same operator within 24 hours gets
/// the first request's answer and places no second call — also when the retries race the first
/// request, and across instances sharing the database.
///
/// Retries that arrive while the first request is being placed wait for its answer (on this
/// instance) or are told to retry (409 idempotency_key_in_use, from another instance). What is
/// kept: the call placed (its first answer is replayed) or the provider's refusal; a request that
/// placed nothing (an invalid number, a call already live, the database down) is forgotten, so
/// that a retry runs again.
///
/// Threads: lives with the CallService; initiate() may be called from any thread and completes
/// on the service's thread.
class InitiateOnce : public QObject
{
    Q_OBJECT
public:
    static constexpr int kRetentionSeconds = 24 * 3600;
    /// A key still being placed after this was left by an instance that stopped: taken over.
    static constexpr int kAbandonedAfterSeconds = 120;
    static constexpr qsizetype kMaxKeyLength = 255;

    InitiateOnce(CallService &calls, IdempotencyRepository &records, WriteQueue &writes, const Clock &clock,
                 QObject *parent = nullptr);

    /// CallService::initiate; once per operator and non-empty `key`.
    void initiate(const CallRequester &requester, const QString &phoneNumber, const QString &key, Completion<Call> done);

    /// Drops keys past their 24 hours.
    void purgeExpired();

private:
    struct Waiting
    {
        QString phoneNumber;
        QString client; ///< of the first request: the one that places the call
        QList<Completion<Call>> completions;
    };

    void onClaimed(const IdempotencyRecord &record, Result<bool> claimed);
    void place(const IdempotencyRecord &record);
    /// The answer a recorded key stands for.
    Result<Call> replay(const IdempotencyRecord &record) const;
    void answerAll(const IdempotencyRecord &record, const Result<Call> &answer);

    CallService &m_calls;
    IdempotencyRepository &m_records;
    WriteQueue &m_writes;
    const Clock &m_clock;
    QHash<QString, Waiting> m_waiting; ///< by operator and key: requests answered with the first one's answer
};

} // namespace Switchboard
