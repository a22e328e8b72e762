#pragma once

#include <QString>
#include <QStringList>

namespace Switchboard::Gui {

/// The operator-facing words for what the API and the GUI report, in the current language.
/// They are looked up by type, never taken from the server's English `message`.
namespace Texts {

/// The text for an API `error` type (or one of the GUI's own: `passwords_differ`, …).
QString error(const QString &type);
/// A notice shown on the login page: `logged_out`, `session_expired`, `logout_not_revoked`
/// (with `%1` for when the token expires).
QString notice(const QString &type);
/// A user's role (`admin`, `operator`) as a word.
QString role(const QString &name);
/// An audit trail action (`login`, `user_changed`, …) as words; an unknown one as it is.
QString auditAction(const QString &action);
/// Every action auditAction() has words for, in the order a filter offers them.
QStringList auditActions();
/// An audit event's detail in words where they are known (a user_changed event's
/// `role=admin, disabled`, why a login failed, the role an admin gave a new account; nothing
/// for a registration); anything else as it is.
QString auditDetail(const QString &action, const QString &detail);
/// What an audit event acted on: an email or a number as it is, the calling policy in words.
QString auditTarget(const QString &target);
/// A call status (`connecting`, `active`, …) as a word.
QString callStatus(const QString &status);
/// A failure reason (`busy`, `no_answer`, …) as words.
QString failureReason(const QString &reason);
/// Why an import skipped a line (the API's `reason`: `malformed`, `invalid_phone_number`, …).
QString importProblem(const QString &reason);
/// A call outcome the operator recorded (`callback`, `wrong_number`, …) as words; empty for none.
QString outcome(const QString &key);

} // namespace Texts

} // namespace Switchboard::Gui
