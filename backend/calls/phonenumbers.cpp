#include "phonenumbers.h"

#include <phonenumbers/asyoutypeformatter.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <QRegularExpression>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

using namespace Qt::Literals::StringLiterals;
using i18n::phonenumbers::AsYouTypeFormatter;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace Switchboard::PhoneNumbers {

namespace {

QString regionName(const PhoneNumberUtil &util, const PhoneNumber &number)
{
    std::string region;
    util.GetRegionCodeForCountryCode(number.country_code(), &region);
    return QString::fromStdString(region);
}

struct Problem
{
    QString reason;
    QString message; ///< without the leading "phone_number "
};

/// Parses `trimmed` into `number`; returns what is wrong with it, or nothing.
std::optional<Problem> classify(const QString &trimmed, PhoneNumber &number)
{
    if (trimmed.isEmpty())
        return Problem{u"required"_s, u"is required"_s};
    if (trimmed.size() > kMaxInputLength)
        return Problem{u"too_long_input"_s, u"must be at most %1 characters"_s.arg(kMaxInputLength)};
    static const QRegularExpression allowed(u"^[0-9+()\\-. ]+$"_s);
    if (!allowed.match(trimmed).hasMatch())
        return Problem{u"invalid_characters"_s, u"may contain only digits, spaces, '+', '-', '.', '(' and ')'"_s};
    if (!trimmed.startsWith(u'+'))
        return Problem{u"not_international"_s, u"must be in international format, starting with + and the country code"_s};

    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    switch (util.Parse(trimmed.toStdString(), "ZZ", &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
        break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return Problem{u"invalid_country_code"_s, u"has an unknown country code"_s};
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
        return Problem{u"too_short"_s, u"is too short"_s};
    case PhoneNumberUtil::TOO_LONG_NSN:
        return Problem{u"too_long"_s, u"is too long"_s};
    case PhoneNumberUtil::NOT_A_NUMBER:
        return Problem{u"not_a_number"_s, u"is not a phone number"_s};
    }

    const QString where = u"+%1 (%2)"_s.arg(number.country_code()).arg(regionName(util, number));
    switch (util.IsPossibleNumberWithReason(number)) {
    case PhoneNumberUtil::IS_POSSIBLE:
        break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
        return Problem{u"invalid_country_code"_s, u"has an unknown country code"_s};
    case PhoneNumberUtil::TOO_SHORT:
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
        return Problem{u"too_short"_s, u"is too short for "_s + where};
    case PhoneNumberUtil::TOO_LONG:
        return Problem{u"too_long"_s, u"is too long for "_s + where};
    case PhoneNumberUtil::INVALID_LENGTH:
        return Problem{u"invalid_length"_s, u"has a wrong length for "_s + where};
    }

    if (!util.IsValidNumber(number))
        return Problem{u"invalid_number"_s, u"is not a valid number for "_s + where};
    return std::nullopt;
}

QString e164Of(const PhoneNumber &number)
{
    std::string e164;
    PhoneNumberUtil::GetInstance()->Format(number, PhoneNumberUtil::E164, &e164);
    return QString::fromStdString(e164);
}

/// Parses `trimmed` and settles on the number its E.164 form parses back to. libphonenumber's
/// parsing is not always idempotent (Mexico's old mobile "1" after +52, national prefixes after
/// a country code): "+5 (202) 1283868-4599" formats as +5212838684599, which parses as
/// +522838684599. What is stored and dialled must read back as itself, so re-parse until stable.
std::optional<Problem> classifyCanonical(const QString &trimmed, PhoneNumber &number)
{
    if (std::optional<Problem> problem = classify(trimmed, number))
        return problem;
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    for (int round = 0; round < 3; ++round) {
        const QString e164 = e164Of(number);
        PhoneNumber again;
        // Usually the E.164 form parses back to itself: the same digits are the same number, whose
        // validity classify() has just judged, so parsing alone settles it. Judging it again (the
        // validity check's many patterns) would double the cost of a 10,000-contact import.
        if (util.Parse(e164.toStdString(), "ZZ", &again) == PhoneNumberUtil::NO_PARSING_ERROR && e164Of(again) == e164)
            return std::nullopt;
        again.Clear();
        if (std::optional<Problem> problem = classify(e164, again))
            return problem;
        if (e164Of(again) == e164)
            return std::nullopt;
        number = again;
    }
    return Problem{u"invalid_number"_s, u"is not a valid number"_s};
}

QString displayName(const std::string &region, const char *language)
{
    icu::UnicodeString name;
    icu::Locale("", region.c_str()).getDisplayCountry(icu::Locale(language), name);
    return QString(reinterpret_cast<const QChar *>(name.getBuffer()), name.length());
}

} // namespace

Result<QString> toE164(const QString &input)
{
    PhoneNumber number;
    if (const std::optional<Problem> problem = classifyCanonical(input.trimmed(), number))
        return Error::validation(u"phone_number "_s + problem->message);
    return e164Of(number);
}

Check check(const QString &input)
{
    Check result;
    const QString trimmed = input.trimmed();
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();

    // As you type: the formatter takes the digits and '+' one by one and ignores the rest.
    const std::unique_ptr<AsYouTypeFormatter> formatter(util.GetAsYouTypeFormatter("ZZ"));
    std::string formatted;
    for (const QChar c : trimmed.left(kMaxInputLength)) {
        if (c == u'+' || (c >= u'0' && c <= u'9'))
            formatter->InputDigit(c.unicode(), &formatted);
    }
    result.formatted = QString::fromStdString(formatted);

    PhoneNumber number;
    const std::optional<Problem> problem = classifyCanonical(trimmed, number);
    if (number.has_country_code()) {
        result.countryCode = number.country_code();
        result.region = regionName(util, number);
        if (result.region == u"ZZ"_s)
            result.region.clear();
    }
    if (problem) {
        result.reason = problem->reason;
        result.message = u"phone_number "_s + problem->message;
        return result;
    }
    result.valid = true;
    result.e164 = e164Of(number);
    return result;
}

QString formatInternational(const QString &e164)
{
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(e164.toStdString(), "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR)
        return e164;
    std::string formatted;
    util.Format(number, PhoneNumberUtil::INTERNATIONAL, &formatted);
    return QString::fromStdString(formatted);
}

QString regionOf(const QString &e164)
{
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(e164.toStdString(), "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR)
        return {};
    std::string region;
    util.GetRegionCodeForNumber(number, &region);
    return region == "ZZ" ? QString() : QString::fromStdString(region);
}

bool isRegion(const QString &code)
{
    return std::any_of(regions().cbegin(), regions().cend(), [&code](const Region &region) { return region.code == code; });
}

const QList<Region> &regions()
{
    static const QList<Region> all = [] {
        const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
        std::set<std::string> codes;
        util.GetSupportedRegions(&codes);
        QList<Region> list;
        for (const std::string &code : codes) {
            list.append({QString::fromStdString(code), util.GetCountryCodeForRegion(code), displayName(code, "en"),
                          displayName(code, "ru")});
        }
        return list;
    }();
    return all;
}

} // namespace Switchboard::PhoneNumbers
