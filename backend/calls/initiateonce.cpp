#include "initiateonce.h"

#include "callservice.h"
#include "phonenumbers.h"

#include "core/clock.h"
#include "core/logging.h"
#include "core/threadhop.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QString slotOf(const QString &userId, const QString &key)
{
    return userId + u'\n' + key;
}

Status checkKey(const QString &key)
{
    if (key.size() > InitiateOnce::kMaxKeyLength)
        return Error::validation(u"Idempotency-Key must be at most %1 characters"_s.arg(InitiateOnce::kMaxKeyLength));
    for (const QChar c : key) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return Error::validation(u"Idempotency-Key must be printable ASCII without spaces"_s);
    }
    return Done{};
}

const Error kDifferentRequest = Error::validation(u"Idempotency-Key was already used for a call to another number"_s);

} // namespace

InitiateOnce::InitiateOnce(CallService &calls, IdempotencyRepository &records, WriteQueue &writes, const Clock &clock,
                           QObject *parent)
    : QObject(parent), m_calls(calls), m_records(records), m_writes(writes), m_clock(clock)
{
}

void InitiateOnce::initiate(const CallRequester &requester, const QString &phoneNumber, const QString &key,
                            Completion<Call> done)
{
    if (key.isEmpty())
        return m_calls.initiate(requester, phoneNumber, std::move(done));
    if (queuedToThreadOf(this, [=, this] { initiate(requester, phoneNumber, key, done); }))
        return;
    const QString &userId = requester.userId;
    if (Status valid = checkKey(key); !valid)
        return done(valid.error());
    Result<QString> e164 = PhoneNumbers::toE164(phoneNumber);
    if (!e164)
        return done(e164.error());

    const auto waiting = m_waiting.find(slotOf(userId, key));
    if (waiting != m_waiting.end()) { // a retry racing the first request: same answer
        if (waiting->phoneNumber != e164.value())
            return done(kDifferentRequest);
        waiting->completions.append(std::move(done));
        return;
    }
    m_waiting.insert(slotOf(userId, key), {e164.value(), requester.client, {std::move(done)}});

    const QDateTime now = m_clock.now();
    const IdempotencyRecord record{userId, key, e164.value(), {}, {}, {}, now};
    m_writes.submit<bool>(
        this,
        [this, record, now] {
            return m_records.claim(record, now.addSecs(-kRetentionSeconds), now.addSecs(-kAbandonedAfterSeconds));
        },
        [this, record](Result<bool> claimed) { onClaimed(record, std::move(claimed)); });
}

void InitiateOnce::onClaimed(const IdempotencyRecord &record, Result<bool> claimed)
{
    if (!claimed)
        return answerAll(record, claimed.error());
    if (claimed.value())
        return place(record);
    Result<std::optional<IdempotencyRecord>> found = m_records.find(record.userId, record.key);
    if (!found)
        return answerAll(record, found.error());
    if (!found->has_value()) // released by another instance meanwhile: a retry will run it
        return answerAll(record, Error{ErrorCode::IdempotencyKeyInUse, u"Retry the request"_s});
    if (found.value()->phoneNumber != record.phoneNumber)
        return answerAll(record, kDifferentRequest);
    answerAll(record, replay(*found.value()));
}

void InitiateOnce::place(const IdempotencyRecord &record)
{
    const CallRequester requester{record.userId, m_waiting.value(slotOf(record.userId, record.key)).client};
    m_calls.initiate(requester, record.phoneNumber, [this, record](Result<Call> call) {
        IdempotencyRecord answered = record;
        if (call) {
            answered.callId = call->id;
            answered.callStatus = toString(call->status);
        } else if (call.error().code == ErrorCode::CallInitiationFailed) {
            answered.errorMessage = call.error().message;
        } else { // nothing was placed: a retry may run again
            return m_writes.submit(
                this, [this, record] { return m_records.release(record.userId, record.key); },
                [this, record, call](Status) { answerAll(record, call); });
        }
        m_writes.submit(this, [this, answered] { return m_records.complete(answered); },
                        [this, record, call](Status recorded) {
                            // The call is placed either way; until the claim is taken over, a
                            // retry is told the key is in use rather than placing another.
                            if (!recorded)
                                qCWarning(lcCalls).noquote() << "cannot record an idempotent initiate:"
                                                             << recorded.error().message;
                            answerAll(record, call);
                        });
    });
}

Result<Call> InitiateOnce::replay(const IdempotencyRecord &record) const
{
    if (!record.errorMessage.isEmpty())
        return Error{ErrorCode::CallInitiationFailed, record.errorMessage};
    if (record.callId.isEmpty())
        return Error{ErrorCode::IdempotencyKeyInUse, u"A request with this Idempotency-Key is still being answered"_s};
    Result<Call> call = m_calls.get(record.userId, record.callId);
    // The first answer, as it was: the call has moved on since, and GET /api/calls/{id} says where.
    if (call)
        call.value().status = callStatusFromString(record.callStatus).value_or(call->status);
    return call;
}

void InitiateOnce::answerAll(const IdempotencyRecord &record, const Result<Call> &answer)
{
    const QList<Completion<Call>> completions = m_waiting.take(slotOf(record.userId, record.key)).completions;
    for (const Completion<Call> &done : completions)
        done(answer);
}

void InitiateOnce::purgeExpired()
{
    const QDateTime before = m_clock.now().addSecs(-kRetentionSeconds);
    m_writes.submit(this, [this, before] { return m_records.purgeBefore(before); }, [](Status purged) {
        if (!purged)
            qCWarning(lcCalls).noquote() << "cannot purge idempotency keys:" << purged.error().message;
    });
}

} // namespace Switchboard
