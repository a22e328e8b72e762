#include "phonenumbers.h"

#include <phonenumbers/phonenumberutil.h>

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace Switchboard::PhoneNumbers {

namespace {

Error invalid(const QString &problem)
{
    return Error::validation(u"phone_number "_s + problem);
}

QString regionName(const PhoneNumberUtil &util, const PhoneNumber &number)
{
    std::string region;
    util.GetRegionCodeForCountryCode(number.country_code(), &region);
    return QString::fromStdString(region);
}

} // namespace

Result<QString> toE164(const QString &input)
{
    const QString trimmed = input.trimmed();
    if (trimmed.isEmpty())
        return invalid(u"is required"_s);
    if (trimmed.size() > kMaxInputLength)
        return invalid(u"must be at most %1 characters"_s.arg(kMaxInputLength));
    static const QRegularExpression allowed(u"^[0-9+()\\-. ]+$"_s);
    if (!allowed.match(trimmed).hasMatch())
        return invalid(u"may contain only digits, spaces, '+', '-', '.', '(' and ')'"_s);
    if (!trimmed.startsWith(u'+'))
        return invalid(u"must be in international format, starting with + and the country code"_s);

    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    switch (util.Parse(trimmed.toStdString(), "ZZ", &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
        break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return invalid(u"has an unknown country code"_s);
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
        return invalid(u"is too short"_s);
    case PhoneNumberUtil::TOO_LONG_NSN:
        return invalid(u"is too long"_s);
    case PhoneNumberUtil::NOT_A_NUMBER:
        return invalid(u"is not a phone number"_s);
    }

    switch (util.IsPossibleNumberWithReason(number)) {
    case PhoneNumberUtil::IS_POSSIBLE:
        break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
        return invalid(u"has an unknown country code"_s);
    case PhoneNumberUtil::TOO_SHORT:
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
        return invalid(u"is too short for +%1 (%2)"_s.arg(number.country_code()).arg(regionName(util, number)));
    case PhoneNumberUtil::TOO_LONG:
        return invalid(u"is too long for +%1 (%2)"_s.arg(number.country_code()).arg(regionName(util, number)));
    case PhoneNumberUtil::INVALID_LENGTH:
        return invalid(u"has a wrong length for +%1 (%2)"_s.arg(number.country_code()).arg(regionName(util, number)));
    }

    if (!util.IsValidNumber(number)) {
        return invalid(u"is not a valid number for +%1 (%2)"_s.arg(number.country_code())
                           .arg(regionName(util, number)));
    }

    std::string e164;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    return QString::fromStdString(e164);
}

} // namespace Switchboard::PhoneNumbers
