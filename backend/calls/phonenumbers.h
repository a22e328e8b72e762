#pragma once

#include "domain/result.h"

#include <QList>
#include <QString>

namespace Switchboard {

/// Phone numbers as libphonenumber sees them: the one place that decides what may be dialled.
namespace PhoneNumbers {

constexpr int kMaxInputLength = 32;

/// Parses an international number (`+49 151 23456789`, `0049…` is not accepted: the country
/// code must follow a `+`) and returns it in E.164. The error message names the problem.
Result<QString> toE164(const QString &input);

/// What a number typed so far amounts to, by the same rules as toE164().
struct Check
{
    QString formatted; ///< the input as libphonenumber formats it while typing
    bool valid = false;
    QString e164;      ///< when valid
    QString region;    ///< ISO 3166 code of the country code's main region, when known
    int countryCode = 0;
    /// Why it is not valid, as a stable key: `required`, `too_long_input`, `invalid_characters`,
    /// `not_international`, `invalid_country_code`, `not_a_number`, `too_short`, `too_long`,
    /// `invalid_length`, `invalid_number`. Empty when valid.
    QString reason;
    QString message;   ///< toE164()'s English message, when not valid
};
Check check(const QString &input);

/// An E.164 number in international format for reading (`+49 1512 3456789`); anything that does
/// not parse comes back unchanged.
QString formatInternational(const QString &e164);

/// The country an E.164 number belongs to (`+1 416…` is `CA`, not `US`): an ISO 3166-1 code, or
/// empty for a number of no single country (satellite, international services).
QString regionOf(const QString &e164);

struct Region
{
    QString code;   ///< ISO 3166-1 alpha-2, e.g. `DE`
    int dialCode = 0;
    QString nameEn;
    QString nameRu;
};
/// Every region libphonenumber knows, sorted by code, with names from ICU.
const QList<Region> &regions();
/// Whether `code` (upper-case ISO 3166-1 alpha-2) is one of regions().
bool isRegion(const QString &code);

} // namespace PhoneNumbers

} // namespace Switchboard
