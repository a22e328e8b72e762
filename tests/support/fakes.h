#pragma once

#include "core/clock.h"
#include "domain/repositories.h"
#include "domain/voipservice.h"
#include "domain/writequeue.h"

#include <QHash>
#include <QList>

#include <optional>

/// In-memory stand-ins for the repositories, the provider and the clock, so that the use cases
/// can be tested without a database or a network. Each can be told to fail like the real thing.
namespace Fakes {

using namespace Switchboard;

class Clock final : public Switchboard::Clock
{
public:
    QDateTime now() const override { return m_now; }
    void advance(qint64 seconds) { m_now = m_now.addSecs(seconds); }

private:
    QDateTime m_now = QDateTime::fromString(QStringLiteral("2026-01-15T10:00:00.000Z"), Qt::ISODateWithMs);
};

/// Set `failWith` to make every operation fail with that error (a database that is down).
struct Failing
{
    std::optional<Error> failWith;
};

/// Runs each unit at once, as the writer would in a batch of its own, and answers from the event
/// loop, as the writer does after the commit. With `failCommitsWith` set, the commit "fails":
/// the unit's changes stay in the fakes (they have no transactions) but every unit is answered
/// with that error, as a real commit failure answers every unit of its batch.
class WriteQueue final : public Switchboard::WriteQueue
{
public:
    using Switchboard::WriteQueue::submit;
    void submit(QObject *context, Unit unit, Completion<Done> done) override;

    std::optional<Error> failCommitsWith;
    int submitted = 0;
};

class UserRepository final : public Switchboard::UserRepository, public Failing
{
public:
    Status create(const User &user) override;
    Result<std::optional<User>> findByEmail(const QString &email) override;
    Result<std::optional<User>> findById(const QString &id) override;
    Result<QList<User>> list() override;
    Result<bool> update(const User &user) override;
    Result<bool> promoteIfOnlyUser(const QString &id) override;
    Result<int> countActiveAdmins() override;

    QList<User> users;
};

class AuditRepository final : public Switchboard::AuditRepository, public Failing
{
public:
    Status append(const AuditEvent &event) override;
    Result<AuditPage> page(const AuditQuery &query) override;

    QList<AuditEvent> events;
};

class CallRepository final : public Switchboard::CallRepository, public Failing
{
public:
    Status create(const Call &call) override;
    Result<bool> update(const Call &call, CallStatus expected) override;
    Result<std::optional<Call>> findById(const QString &id) override;
    Result<std::optional<Call>> findBySessionId(const QString &sessionId) override;
    Result<HistoryPage> history(const HistoryQuery &query) override;
    Result<bool> annotate(const QString &callId, const CallAnnotation &annotation) override;
    Result<QList<Call>> orphans(const QString &instanceId, const QDateTime &staleBefore) override;
    Status heartbeat(const QString &instanceId, const QDateTime &now) override;
    Result<CallStatistics> statistics() override;
    Result<QList<CallHourCount>> countsByHour(const CallHoursQuery &query) override;
    Result<CallLoad> load(const QString &userId, const QDateTime &since) override;

    QList<Call> calls;
    std::optional<HistoryQuery> lastHistoryQuery;
    /// Fail only update() (a database that goes down between two statements).
    std::optional<Error> failUpdatesWith;
};

class RevokedTokenRepository final : public Switchboard::RevokedTokenRepository, public Failing
{
public:
    Status revoke(const QString &jti, const QDateTime &expiresAt) override;
    Result<bool> isRevoked(const QString &jti) override;
    Status purgeExpired(const QDateTime &now) override;

    QHash<QString, QDateTime> revoked;
};

class RateLimitRepository final : public Switchboard::RateLimitRepository, public Failing
{
public:
    Result<int> hit(const QString &bucket, const QDateTime &windowStart) override;
    Status purgeBefore(const QDateTime &windowStart) override;

    QHash<QString, int> attempts; ///< key: bucket + window start
};

/// A provider whose answers are scripted. Completions are delivered from the event loop, as
/// the VoipService contract requires.
class VoipService final : public Switchboard::VoipService
{
    Q_OBJECT
public:
    QString name() const override { return QStringLiteral("fake"); }
    void initiate(const OutboundCall &call, Completion<ProviderSession> done) override;
    void answer(const QString &sessionId, const QString &sdpAnswer, Completion<Done> done) override;
    void terminate(const QString &sessionId, Completion<Done> done) override;
    void hold(const QString &sessionId, bool on, Completion<Done> done) override;
    void transfer(const QString &sessionId, const QString &phoneNumber, Completion<Done> done) override;
    WebRTCConfig webrtcConfig() const override { return {}; }

    /// Makes the far end report a status, as a real provider would on its own.
    void emitStatus(const QString &sessionId, SessionStatus status, const QString &reason = {});

    std::optional<Error> initiateError;
    std::optional<Error> answerError;
    std::optional<Error> terminateError;
    std::optional<Error> holdError;
    std::optional<Error> transferError;
    int initiateDelayMs = 0;
    bool neverAnswerInitiate = false;
    bool neverApplyAnswer = false; ///< answer() never replies (the far end went away first)

    QList<OutboundCall> initiated;
    QList<std::pair<QString, QString>> answers; ///< session id, SDP
    QStringList terminated;
    QList<std::pair<QString, bool>> holds; ///< session id, on
    QList<std::pair<QString, QString>> transfers; ///< session id, number
};

} // namespace Fakes
