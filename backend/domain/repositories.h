#pragma once

#include "apikey.h"
#include "audit.h"
#include "call.h"
#include "callevent.h"
#include "callingpolicy.h"
#include "contact.h"
#include "result.h"
#include "user.h"

#include <QDateTime>
#include <QList>
#include <QSet>

#include <optional>

namespace Switchboard {

/// Where a page of history starts when it continues from the one before: after this call, in the
/// order history is read (newest first; among calls of the same start time, greatest id first).
struct HistoryPosition
{
    QDateTime startTime;
    QString callId;
};

/// What a page of history shows: filters are optional, page counts from 1. With `after`, the page
/// holds the calls that follow that position (a keyset page: its cost does not grow with the
/// page number); without, it skips (page - 1) * limit calls.
struct HistoryQuery
{
    QString userId;
    int page = 1;
    int limit = 20;
    std::optional<QDateTime> from;
    std::optional<QDateTime> to;
    std::optional<CallStatus> status;
    QString numberContains;
    std::optional<QString> outcome; ///< one of callOutcomes()
    std::optional<HistoryPosition> after;
};

struct HistoryPage
{
    QList<Call> calls;
    qint64 total = 0;
    int page = 1;
    int limit = 20;
    QString nextCursor; ///< empty on the last page
};

/// Figures for /metrics, read from the shared database so that every instance reports the same.
struct CallStatistics
{
    qint64 initiated = 0; ///< every call ever placed
    qint64 completed = 0;
    qint64 providerFailures = 0; ///< failed because of the provider, not the far end's choice
    qint64 live = 0;
    double averageDurationSeconds = 0;
};

/// Calls of one UTC hour in one status and quality band (see callactivity.h), as counted in the
/// database while calls change.
struct CallHourCount
{
    QDateTime hour; ///< the hour's start, UTC
    CallStatus status = CallStatus::Initiated;
    QString quality; ///< a band of the call's MOS; empty while the call has none
    qint64 calls = 0;
    qint64 durationSeconds = 0;
};

/// The hours [from, to) of one operator's calls, or of everyone's when `userId` is empty.
struct CallHoursQuery
{
    QString userId;
    QDateTime from; ///< whole UTC hours
    QDateTime to;
};

class UserRepository
{
public:
    virtual ~UserRepository() = default;
    /// Fails with ErrorCode::UserAlreadyExists when the email is taken.
    virtual Status create(const User &user) = 0;
    virtual Result<std::optional<User>> findByEmail(const QString &email) = 0;
    virtual Result<std::optional<User>> findById(const QString &id) = 0;
    /// Every user, oldest first.
    virtual Result<QList<User>> list() = 0;
    /// Writes role, disabled, tokens_valid_after and the password hash; false when there is no such user.
    virtual Result<bool> update(const User &user) = 0;
    /// Makes `id` the admin if it is the only user: the first account on an empty database.
    virtual Result<bool> promoteIfOnlyUser(const QString &id) = 0;
    /// Admins that are not disabled.
    virtual Result<int> countActiveAdmins() = 0;
};

class AuditRepository
{
public:
    virtual ~AuditRepository() = default;
    virtual Status append(const AuditEvent &event) = 0;
    /// Newest first.
    virtual Result<AuditPage> page(const AuditQuery &query) = 0;
};

/// What the operator writes on a call after the fact; a field left out stays as it is, an
/// empty one clears it.
struct CallAnnotation
{
    std::optional<QString> notes;
    std::optional<QString> outcome;
};

class CallRepository
{
public:
    virtual ~CallRepository() = default;
    /// Fails with ErrorCode::CallAlreadyActive when the operator already has a live call.
    virtual Status create(const Call &call) = 0;
    /// Writes `call` if its stored status is still `expected`; false when someone else changed it first.
    virtual Result<bool> update(const Call &call, CallStatus expected) = 0;
    /// The call with the owner's name for its number (`contactName`), when it is a contact's.
    virtual Result<std::optional<Call>> findById(const QString &id) = 0;
    virtual Result<std::optional<Call>> findBySessionId(const QString &sessionId) = 0;
    /// Newest first, each call with the owner's name for its number when it is a contact's.
    virtual Result<HistoryPage> history(const HistoryQuery &query) = 0;
    /// Writes the operator's notes and outcome; false when there is no such call.
    virtual Result<bool> annotate(const QString &callId, const CallAnnotation &annotation) = 0;
    /// Live calls held by `instanceId`, or by any instance not heard from since `staleBefore`.
    virtual Result<QList<Call>> orphans(const QString &instanceId, const QDateTime &staleBefore) = 0;
    /// Records that this instance's live calls are still alive at `now`.
    virtual Status heartbeat(const QString &instanceId, const QDateTime &now) = 0;
    virtual Result<CallStatistics> statistics() = 0;
    /// The counts of each hour in the range that had calls (from the counts the triggers keep).
    virtual Result<QList<CallHourCount>> countsByHour(const CallHoursQuery &query) = 0;
    /// The live calls of the whole team and the calls `userId` placed since `since`, for the
    /// calling policy's limits (read in the same transaction as the call's insert).
    virtual Result<CallLoad> load(const QString &userId, const QDateTime &since) = 0;
};

/// The one calling policy of the team (a single row: every instance obeys the same).
/// The calls' events (written by the database's triggers) and the webhooks' outbox.
class EventRepository
{
public:
    virtual ~EventRepository() = default;
    /// Events after an id, each with the call as that change left it.
    virtual Result<QList<CallEvent>> eventsAfter(const CallEventsQuery &query) = 0;
    /// One event; none once purged.
    virtual Result<std::optional<CallEvent>> event(qint64 id) = 0;
    /// The newest event's id; 0 when there is none.
    virtual Result<qint64> lastEventId() = 0;
    /// Forgets events, and finished deliveries, recorded before `before`.
    virtual Status purgeBefore(const QDateTime &before) = 0;

    virtual Status createWebhook(const Webhook &webhook) = 0;
    virtual Result<QList<Webhook>> webhooks(const QString &userId) = 0;
    virtual Result<std::optional<Webhook>> findWebhook(const QString &id) = 0;
    /// False when there was no such webhook.
    virtual Result<bool> removeWebhook(const QString &id) = 0;
    /// The webhook's deliveries, newest first.
    virtual Result<QList<WebhookDelivery>> deliveries(const QString &webhookId, int limit) = 0;
    /// Takes up to `limit` pending deliveries due at `now` that no instance holds, for this
    /// instance until `claimUntil` (a conditional update: two instances never take the same one).
    virtual Result<QList<DueDelivery>> claimDue(const QDateTime &now, const QDateTime &claimUntil, int limit) = 0;
    virtual Status recordAttempt(const DeliveryAttempt &attempt) = 0;
};

class PolicyRepository
{
public:
    virtual ~PolicyRepository() = default;
    virtual Result<CallingPolicy> load() = 0;
    virtual Status save(const CallingPolicy &policy) = 0;
};

class ContactRepository
{
public:
    virtual ~ContactRepository() = default;
    /// Fails with ErrorCode::ContactAlreadyExists when the owner has a contact with that number.
    virtual Status create(const Contact &contact) = 0;
    /// Inserts those whose number the owner does not have yet and returns how many it inserted.
    virtual Result<int> createMany(const QList<Contact> &contacts) = 0;
    /// Rewrites the owner's contact; false when it is gone. ContactAlreadyExists as for create().
    virtual Result<bool> update(const Contact &contact) = 0;
    /// False when it was gone already.
    virtual Result<bool> remove(const QString &userId, const QString &id) = 0;
    virtual Result<std::optional<Contact>> findById(const QString &id) = 0;
    virtual Result<ContactPage> list(const ContactQuery &query) = 0;
    /// Every contact of the owner, by name.
    virtual Result<QList<Contact>> all(const QString &userId) = 0;
    /// The numbers the owner already has, for an import to tell duplicates by line.
    virtual Result<QSet<QString>> numbers(const QString &userId) = 0;
};

class RevokedTokenRepository
{
public:
    virtual ~RevokedTokenRepository() = default;
    virtual Status revoke(const QString &jti, const QDateTime &expiresAt) = 0;
    virtual Result<bool> isRevoked(const QString &jti) = 0;
    /// Forgets revocations of tokens that have expired anyway.
    virtual Status purgeExpired(const QDateTime &now) = 0;
};

class RateLimitRepository
{
public:
    virtual ~RateLimitRepository() = default;
    /// Counts one attempt in `bucket`'s window starting at `windowStart`; returns the count so far.
    virtual Result<int> hit(const QString &bucket, const QDateTime &windowStart) = 0;
    virtual Status purgeBefore(const QDateTime &windowStart) = 0;
};

/// What an initiate with an Idempotency-Key answered: the call it placed, or the provider's
/// refusal; neither while the call is still being placed.
struct IdempotencyRecord
{
    QString userId;
    QString key;
    QString phoneNumber; ///< E.164: a retry must ask for the same call
    QString callId;
    QString callStatus; ///< the status the first answer gave
    QString errorMessage;
    QDateTime createdAt;
};

class IdempotencyRepository
{
public:
    virtual ~IdempotencyRepository() = default;
    /// Records `record` as being placed unless the owner's key is already recorded; a record older
    /// than `expiredBefore`, or still being placed since before `abandonedBefore`, is taken over.
    /// True when this call claimed the key.
    virtual Result<bool> claim(const IdempotencyRecord &record, const QDateTime &expiredBefore,
                               const QDateTime &abandonedBefore) = 0;
    virtual Result<std::optional<IdempotencyRecord>> find(const QString &userId, const QString &key) = 0;
    /// Stores the answer (call id and status, or error message) of a claimed key.
    virtual Status complete(const IdempotencyRecord &record) = 0;
    /// Forgets a claimed key whose request placed nothing, so that a retry runs again.
    virtual Status release(const QString &userId, const QString &key) = 0;
    virtual Status purgeBefore(const QDateTime &createdBefore) = 0;
};

class ApiKeyRepository
{
public:
    virtual ~ApiKeyRepository() = default;
    virtual Status create(const ApiKey &key) = 0;
    /// The operator's keys, newest first.
    virtual Result<QList<ApiKey>> listForUser(const QString &userId) = 0;
    virtual Result<std::optional<ApiKey>> findBySecretHash(const QByteArray &secretHash) = 0;
    /// Deletes the operator's key; false when it has no key of that id.
    virtual Result<bool> remove(const QString &userId, const QString &keyId) = 0;
    virtual Status markUsed(const QString &keyId, const QDateTime &at) = 0;
};

} // namespace Switchboard
