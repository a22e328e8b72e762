#include "policyservice.h"

#include "phonenumbers.h"

#include "auth/authservice.h"
#include "core/clock.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const Error kAdminsOnly{ErrorCode::Forbidden, u"Only an admin may read or change the calling policy"_s};

Result<QStringList> knownCountries(const QStringList &requested)
{
    QStringList countries;
    for (const QString &code : requested) {
        const QString upper = code.trimmed().toUpper();
        if (!PhoneNumbers::isRegion(upper))
            return Error::validation(u"allowed_countries: %1 is not an ISO 3166-1 country code"_s.arg(code.left(8)));
        if (!countries.contains(upper))
            countries.append(upper);
    }
    countries.sort();
    return countries;
}

Status withinRange(int value, const QString &field, int maximum)
{
    if (value < 0 || value > maximum)
        return Error::validation(u"%1 must be between 0 (no limit) and %2"_s.arg(field).arg(maximum));
    return Done{};
}

/// The policy for the audit trail, in `key=value` parts (the console words them).
QString summary(const CallingPolicy &policy)
{
    return u"countries=%1, calls_per_operator_per_day=%2, max_call_duration_seconds=%3, max_concurrent_calls=%4"_s
        .arg(policy.allowedCountries.isEmpty() ? u"all"_s : policy.allowedCountries.join(u' '))
        .arg(policy.callsPerOperatorPerDay)
        .arg(policy.maxCallDurationSeconds)
        .arg(policy.maxConcurrentCalls);
}

} // namespace

PolicyService::PolicyService(PolicyRepository &policy, AuditRepository &audit, WriteQueue &writes, const Clock &clock,
                             QObject *parent)
    : QObject(parent), m_policy(policy), m_audit(audit), m_writes(writes), m_clock(clock)
{
}

Result<CallingPolicy> PolicyService::read(const Principal &admin) const
{
    if (!admin.isAdmin())
        return kAdminsOnly;
    return m_policy.load();
}

void PolicyService::replace(const Principal &admin, const CallingPolicy &requested, Completion<CallingPolicy> done)
{
    if (!admin.isAdmin())
        return done(kAdminsOnly);
    Result<QStringList> countries = knownCountries(requested.allowedCountries);
    if (!countries)
        return done(countries.error());
    for (const Status &inRange : {withinRange(requested.callsPerOperatorPerDay, u"calls_per_operator_per_day"_s, kMaxCallsPerDay),
                                  withinRange(requested.maxCallDurationSeconds, u"max_call_duration_seconds"_s, kMaxCallDurationSeconds),
                                  withinRange(requested.maxConcurrentCalls, u"max_concurrent_calls"_s, kMaxConcurrentCalls)}) {
        if (!inRange)
            return done(inRange.error());
    }
    CallingPolicy policy = requested;
    policy.allowedCountries = countries.value();
    policy.updatedAt = m_clock.now();
    policy.updatedBy = admin.email;
    const AuditEvent event{0, *policy.updatedAt, admin.userId, admin.email, u"policy_changed"_s, u"calling_policy"_s,
                           admin.client.toString(), summary(policy)};
    m_writes.submit(
        this,
        [this, policy, event]() -> Status {
            if (Status saved = m_policy.save(policy); !saved)
                return saved;
            return m_audit.append(event);
        },
        [policy, done](Status saved) {
            if (!saved)
                return done(saved.error());
            done(policy);
        });
}

} // namespace Switchboard
