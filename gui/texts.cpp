#include "texts.h"

#include <QCoreApplication>
#include <QHash>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui::Texts {

namespace {

struct Entry
{
    const char *key;
    const char *text;
};

// lupdate finds these through QT_TRANSLATE_NOOP; translate() looks them up at run time, so a
// language switch takes effect the next time a text is asked for.
constexpr Entry kErrors[] = {
    {"validation_error", QT_TRANSLATE_NOOP("ApiError", "Please check the data you entered.")},
    {"invalid_credentials", QT_TRANSLATE_NOOP("ApiError", "Wrong email or password.")},
    {"user_already_exists", QT_TRANSLATE_NOOP("ApiError", "An operator with this email already exists.")},
    {"rate_limited", QT_TRANSLATE_NOOP("ApiError", "Too many attempts. Wait a minute and try again.")},
    {"unauthorized", QT_TRANSLATE_NOOP("ApiError", "You are not allowed to do this.")},
    {"call_already_active", QT_TRANSLATE_NOOP("ApiError", "A call is already in progress.")},
    {"call_initiation_failed", QT_TRANSLATE_NOOP("ApiError", "The telephony provider is unavailable. Try again later.")},
    {"call_not_found", QT_TRANSLATE_NOOP("ApiError", "The call was not found.")},
    {"invalid_call_state", QT_TRANSLATE_NOOP("ApiError", "The call cannot do this in its current state.")},
    {"service_unavailable", QT_TRANSLATE_NOOP("ApiError", "The database is unavailable. Try again later.")},
    {"server_unreachable", QT_TRANSLATE_NOOP("ApiError", "The Switchboard server cannot be reached.")},
    {"payload_too_large", QT_TRANSLATE_NOOP("ApiError", "The request is too large.")},
    {"insufficient_scope", QT_TRANSLATE_NOOP("ApiError", "This API key is not allowed to do this.")},
    {"key_not_found", QT_TRANSLATE_NOOP("ApiError", "The API key was not found.")},
    {"idempotency_key_in_use", QT_TRANSLATE_NOOP("ApiError", "The same request is still being processed. Try again in a moment.")},
    {"passwords_differ", QT_TRANSLATE_NOOP("ApiError", "The passwords do not match.")},
    {"email_required", QT_TRANSLATE_NOOP("ApiError", "Enter your email address.")},
    {"password_too_short", QT_TRANSLATE_NOOP("ApiError", "The password must have at least 8 characters.")},
    {"export_failed", QT_TRANSLATE_NOOP("ApiError", "The file could not be written.")},
    {"import_failed", QT_TRANSLATE_NOOP("ApiError", "The file could not be read.")},
    {"contact_not_found", QT_TRANSLATE_NOOP("ApiError", "The contact was not found.")},
    {"contact_already_exists", QT_TRANSLATE_NOOP("ApiError", "A contact with this number already exists.")},
    {"not_found", QT_TRANSLATE_NOOP("ApiError", "It was not found. It may have been removed; reload the list.")},
    {"server_busy", QT_TRANSLATE_NOOP("ApiError", "The server is busy. Try again in a moment.")},
    {"team_needs_admin", QT_TRANSLATE_NOOP("ApiError", "The team must keep an active admin. Make someone else an admin first.")},
    {"policy_invalid", QT_TRANSLATE_NOOP("ApiError", "Check the country codes (two letters, such as GB or DE) and that no limit is negative.")},
    {"policy_unavailable", QT_TRANSLATE_NOOP("ApiError", "This server has no calling policy yet.")},
};

constexpr Entry kNotices[] = {
    {"logged_out", QT_TRANSLATE_NOOP("Notice", "You have logged out.")},
    {"session_expired", QT_TRANSLATE_NOOP("Notice", "Your session has expired or was ended. Please log in again.")},
    {"logout_not_revoked", QT_TRANSLATE_NOOP("Notice", "You have logged out here, but the server could not be told: your session stays valid until it expires (%1).")},
};

constexpr Entry kRoles[] = {
    {"admin", QT_TRANSLATE_NOOP("Role", "Admin")},
    {"operator", QT_TRANSLATE_NOOP("Role", "Operator")},
};

constexpr Entry kAuditActions[] = {
    {"registered", QT_TRANSLATE_NOOP("AuditAction", "Registered")},
    {"user_created", QT_TRANSLATE_NOOP("AuditAction", "Account added")},
    {"user_changed", QT_TRANSLATE_NOOP("AuditAction", "Account changed")},
    {"login", QT_TRANSLATE_NOOP("AuditAction", "Logged in")},
    {"login_failed", QT_TRANSLATE_NOOP("AuditAction", "Login failed")},
    {"logout", QT_TRANSLATE_NOOP("AuditAction", "Logged out")},
    {"logout_all", QT_TRANSLATE_NOOP("AuditAction", "Logged out everywhere")},
    {"policy_changed", QT_TRANSLATE_NOOP("AuditAction", "Calling policy changed")},
    {"call_placed", QT_TRANSLATE_NOOP("AuditAction", "Call placed")},
    {"call_ended", QT_TRANSLATE_NOOP("AuditAction", "Call ended")},
    {"call_refused", QT_TRANSLATE_NOOP("AuditAction", "Call refused")},
};

// The parts of a user_changed event's detail (`role=admin, disabled`), as AuthService writes them.
constexpr Entry kAccountChanges[] = {
    {"role=admin", QT_TRANSLATE_NOOP("AccountChange", "made an admin")},
    {"role=operator", QT_TRANSLATE_NOOP("AccountChange", "made an operator")},
    {"disabled", QT_TRANSLATE_NOOP("AccountChange", "disabled")},
    {"enabled", QT_TRANSLATE_NOOP("AccountChange", "enabled")},
    {"password", QT_TRANSLATE_NOOP("AccountChange", "password reset")},
};

// Why a login failed, as AuthService records it (its error messages, in English).
constexpr Entry kLoginFailures[] = {
    {"Invalid email or password", QT_TRANSLATE_NOOP("LoginFailure", "wrong email or password")},
    {"The account is disabled", QT_TRANSLATE_NOOP("LoginFailure", "the account is disabled")},
};

constexpr Entry kStatuses[] = {
    {"initiated", QT_TRANSLATE_NOOP("CallStatus", "Initiated")},
    {"connecting", QT_TRANSLATE_NOOP("CallStatus", "Connecting")},
    {"active", QT_TRANSLATE_NOOP("CallStatus", "In call")},
    {"completed", QT_TRANSLATE_NOOP("CallStatus", "Completed")},
    {"failed", QT_TRANSLATE_NOOP("CallStatus", "Failed")},
    {"canceled", QT_TRANSLATE_NOOP("CallStatus", "Canceled")},
};

constexpr Entry kImportProblems[] = {
    {"malformed", QT_TRANSLATE_NOOP("ImportProblem", "not a well-formed line of the file")},
    {"invalid_name", QT_TRANSLATE_NOOP("ImportProblem", "the name is missing or too long")},
    {"invalid_phone_number", QT_TRANSLATE_NOOP("ImportProblem", "the number is missing or not a valid international number")},
    {"invalid_company", QT_TRANSLATE_NOOP("ImportProblem", "the company is too long")},
    {"invalid_notes", QT_TRANSLATE_NOOP("ImportProblem", "the notes are too long")},
    {"duplicate_in_file", QT_TRANSLATE_NOOP("ImportProblem", "the number is on an earlier line of the file")},
    {"contact_already_exists", QT_TRANSLATE_NOOP("ImportProblem", "a contact with this number already exists")},
};

constexpr Entry kOutcomes[] = {
    {"answered", QT_TRANSLATE_NOOP("CallOutcome", "Answered")},
    {"interested", QT_TRANSLATE_NOOP("CallOutcome", "Interested")},
    {"callback", QT_TRANSLATE_NOOP("CallOutcome", "Call back")},
    {"not_interested", QT_TRANSLATE_NOOP("CallOutcome", "Not interested")},
    {"wrong_number", QT_TRANSLATE_NOOP("CallOutcome", "Wrong number")},
    {"voicemail", QT_TRANSLATE_NOOP("CallOutcome", "Voicemail")},
    {"other", QT_TRANSLATE_NOOP("CallOutcome", "Other")},
};

constexpr Entry kReasons[] = {
    {"provider_unavailable", QT_TRANSLATE_NOOP("FailureReason", "provider unavailable")},
    {"provider_error", QT_TRANSLATE_NOOP("FailureReason", "provider error")},
    {"media_failed", QT_TRANSLATE_NOOP("FailureReason", "no audio connection")},
    {"busy", QT_TRANSLATE_NOOP("FailureReason", "busy")},
    {"no_answer", QT_TRANSLATE_NOOP("FailureReason", "no answer")},
    {"setup_timeout", QT_TRANSLATE_NOOP("FailureReason", "not answered in time")},
    {"interrupted", QT_TRANSLATE_NOOP("FailureReason", "interrupted")},
    {"operator_unreachable", QT_TRANSLATE_NOOP("FailureReason", "your softphone did not take the call")},
};

template<std::size_t N>
const char *find(const Entry (&entries)[N], const QString &key)
{
    for (const Entry &entry : entries) {
        if (key == QLatin1StringView(entry.key))
            return entry.text;
    }
    return nullptr;
}

} // namespace

QString error(const QString &type)
{
    if (type.isEmpty())
        return {};
    if (const char *text = find(kErrors, type))
        return QCoreApplication::translate("ApiError", text);
    return QCoreApplication::translate("ApiError", "Something went wrong. Try again.");
}

QString notice(const QString &type)
{
    const char *text = find(kNotices, type);
    return text ? QCoreApplication::translate("Notice", text) : QString();
}

QString callStatus(const QString &status)
{
    const char *text = find(kStatuses, status);
    return text ? QCoreApplication::translate("CallStatus", text) : status;
}

QString importProblem(const QString &reason)
{
    const char *text = find(kImportProblems, reason);
    return QCoreApplication::translate("ImportProblem", text ? text : "not a well-formed line of the file");
}

QString outcome(const QString &key)
{
    const char *text = find(kOutcomes, key);
    return text ? QCoreApplication::translate("CallOutcome", text) : key;
}

QString role(const QString &name)
{
    const char *text = find(kRoles, name);
    return text ? QCoreApplication::translate("Role", text) : name;
}

QString auditAction(const QString &action)
{
    const char *text = find(kAuditActions, action);
    return text ? QCoreApplication::translate("AuditAction", text) : action;
}

QStringList auditActions()
{
    QStringList actions;
    for (const Entry &entry : kAuditActions)
        actions.append(QString::fromLatin1(entry.key));
    return actions;
}

namespace {

/// The `key=value` parts of an audit detail (`call=…, status=completed, duration=42`).
QHash<QString, QString> detailParts(const QString &detail)
{
    QHash<QString, QString> parts;
    for (const QString &part : detail.split(u", "_s, Qt::SkipEmptyParts))
        parts.insert(part.section(u'=', 0, 0), part.section(u'=', 1));
    return parts;
}

/// A policy as the audit trail records it, in words: the limits set, "no limit" left out.
QString policyDetail(const QHash<QString, QString> &parts)
{
    const QString countries = parts.value(u"countries"_s);
    QStringList words{countries == u"all"_s ? QCoreApplication::translate("PolicyChange", "every country")
                                            : QCoreApplication::translate("PolicyChange", "countries: %1").arg(countries)};
    const std::pair<const char *, const char *> limits[] = {
        {"calls_per_operator_per_day", QT_TRANSLATE_NOOP("PolicyChange", "%1 calls a day per operator")},
        {"max_call_duration_seconds", QT_TRANSLATE_NOOP("PolicyChange", "calls up to %1 s")},
        {"max_concurrent_calls", QT_TRANSLATE_NOOP("PolicyChange", "%1 calls at once")},
    };
    for (const auto &[key, text] : limits) {
        const int value = parts.value(QString::fromLatin1(key)).toInt();
        if (value > 0)
            words.append(QCoreApplication::translate("PolicyChange", text).arg(value));
    }
    return words.join(u", "_s);
}

/// A call event in words: how it ended, or why the policy refused it.
QString callDetail(const QString &action, const QHash<QString, QString> &parts)
{
    if (action == u"call_ended"_s) {
        QString words = callStatus(parts.value(u"status"_s)) + u", "_s
            + QCoreApplication::translate("CallEvent", "%1 s").arg(parts.value(u"duration"_s));
        if (parts.contains(u"reason"_s))
            words += u" ("_s + failureReason(parts.value(u"reason"_s)) + u')';
        return words;
    }
    if (action != u"call_refused"_s)
        return {}; // call_placed: the number is the event's target; the id says nothing more
    if (parts.value(u"reason"_s) == u"destination_not_allowed"_s)
        return QCoreApplication::translate("CallEvent", "%1 is not an allowed country").arg(parts.value(u"country"_s));
    if (parts.contains(u"max_concurrent_calls"_s))
        return QCoreApplication::translate("CallEvent", "the team's limit of %1 calls at once").arg(parts.value(u"max_concurrent_calls"_s));
    return QCoreApplication::translate("CallEvent", "the limit of %1 calls a day").arg(parts.value(u"calls_per_operator_per_day"_s));
}

} // namespace

QString auditDetail(const QString &action, const QString &detail)
{
    if (action == u"policy_changed"_s)
        return policyDetail(detailParts(detail));
    if (action.startsWith(u"call_"_s))
        return callDetail(action, detailParts(detail));
    if (action == u"login_failed"_s) {
        const char *text = find(kLoginFailures, detail);
        return text ? QCoreApplication::translate("LoginFailure", text) : detail;
    }
    // The role an admin gave a new account. A registration records the role it asked for,
    // operator, even for the first account, which the server then makes the admin: not shown.
    if (action == u"user_created"_s)
        return role(detail);
    if (action == u"registered"_s)
        return {};
    if (action != u"user_changed"_s)
        return detail;
    QStringList parts = detail.split(u", "_s, Qt::SkipEmptyParts);
    for (QString &part : parts) {
        if (const char *text = find(kAccountChanges, part))
            part = QCoreApplication::translate("AccountChange", text);
    }
    return parts.join(u", "_s);
}

QString auditTarget(const QString &target)
{
    return target == u"calling_policy"_s ? QCoreApplication::translate("AuditAction", "Calling policy") : target;
}

QString failureReason(const QString &reason)
{
    const char *text = find(kReasons, reason);
    return text ? QCoreApplication::translate("FailureReason", text) : reason;
}

} // namespace Switchboard::Gui::Texts
