#include "credentials.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

Result<QString> normalizeEmail(const QString &email)
{
    const QString normalized = email.trimmed().toLower();
    if (normalized.isEmpty())
        return Error::validation(u"email is required"_s);
    if (normalized.size() > kMaxEmailLength)
        return Error::validation(u"email must be at most %1 characters"_s.arg(kMaxEmailLength));
    // One @, a local part of at most 64 characters, a dotted domain; no spaces or control characters.
    static const QRegularExpression pattern(
        uR"(^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$)"_s);
    if (!pattern.match(normalized).hasMatch())
        return Error::validation(u"email is not a valid address"_s);
    return normalized;
}

Status validatePassword(const QString &password)
{
    const qsizetype length = password.toUcs4().size();
    if (length < kMinPasswordLength || length > kMaxPasswordLength) {
        return Error::validation(
            u"password must be %1 to %2 characters long"_s.arg(kMinPasswordLength).arg(kMaxPasswordLength));
    }
    return Done{};
}

} // namespace Switchboard
