#include "callingpolicy.h"

#include "languagewatcher.h"
#include "texts.h"

#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

/// The policy routes' refusals in words for this form: a 400 can only be a code or a number the
/// server does not take, and a 404 a server that does not have the routes.
QString policyErrorType(const ApiReply &reply)
{
    if (reply.errorType == u"validation_error"_s)
        return u"policy_invalid"_s;
    if (reply.status == 404)
        return u"policy_unavailable"_s;
    return reply.errorType;
}

} // namespace

CallingPolicy::CallingPolicy(QObject *parent) : QObject(parent)
{
    // Not policyChanged(): a form would put the stored values over what the admin is typing.
    new LanguageWatcher(this, [this] {
        Q_EMIT updatedAtTextChanged();
        Q_EMIT errorTextChanged();
    });
}

void CallingPolicy::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

QString CallingPolicy::updatedAtText() const
{
    return m_updatedAt.isValid() ? QLocale().toString(m_updatedAt.toLocalTime(), QLocale::ShortFormat) : QString();
}

QString CallingPolicy::errorText() const
{
    return Texts::error(m_errorType);
}

QStringList CallingPolicy::parseCountries(const QString &text)
{
    static const QRegularExpression separators(u"[,;\\s]+"_s);
    QStringList codes = text.toUpper().split(separators, Qt::SkipEmptyParts);
    codes.removeDuplicates();
    return codes;
}

void CallingPolicy::reload()
{
    if (!m_client)
        return;
    setBusy(true);
    m_client->get(u"/api/policy"_s, this, [this](const ApiReply &reply) {
        setBusy(false);
        if (!reply.ok())
            return setErrorType(policyErrorType(reply));
        setErrorType({});
        show(reply.json);
    });
}

void CallingPolicy::save(const QString &allowedCountries, int callsPerOperatorPerDay, int maxCallDurationSeconds,
                         int maxConcurrentCalls)
{
    if (!m_client)
        return;
    const QJsonObject body{{u"allowed_countries"_s, QJsonArray::fromStringList(parseCountries(allowedCountries))},
                           {u"calls_per_operator_per_day"_s, callsPerOperatorPerDay},
                           {u"max_call_duration_seconds"_s, maxCallDurationSeconds},
                           {u"max_concurrent_calls"_s, maxConcurrentCalls}};
    setBusy(true);
    m_client->send("PUT", u"/api/policy"_s, body, this, [this](const ApiReply &reply) {
        setBusy(false);
        if (!reply.ok())
            return Q_EMIT saved(false, Texts::error(policyErrorType(reply)));
        show(reply.json);
        Q_EMIT saved(true, {});
    });
}

void CallingPolicy::show(const QJsonObject &policy)
{
    m_allowedCountries.clear();
    for (const QJsonValue &code : policy.value(u"allowed_countries"_s).toArray())
        m_allowedCountries.append(code.toString());
    m_callsPerOperatorPerDay = policy.value(u"calls_per_operator_per_day"_s).toInt();
    m_maxCallDurationSeconds = policy.value(u"max_call_duration_seconds"_s).toInt();
    m_maxConcurrentCalls = policy.value(u"max_concurrent_calls"_s).toInt();
    m_updatedAt = QDateTime::fromString(policy.value(u"updated_at"_s).toString(), Qt::ISODateWithMs);
    m_updatedBy = policy.value(u"updated_by"_s).toString();
    m_loaded = true;
    Q_EMIT policyChanged();
    Q_EMIT updatedAtTextChanged();
}

void CallingPolicy::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void CallingPolicy::setErrorType(const QString &errorType)
{
    if (m_errorType == errorType)
        return;
    m_errorType = errorType;
    Q_EMIT errorTextChanged();
}

} // namespace Switchboard::Gui
