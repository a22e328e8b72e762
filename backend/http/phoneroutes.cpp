#include "apiserver.h"
#include "calls/phonenumbers.h"
#include "routes.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QByteArray regionsDocument()
{
    QJsonArray regions;
    for (const PhoneNumbers::Region &region : PhoneNumbers::regions()) {
        regions.append(QJsonObject{
            {u"code"_s, region.code},
            {u"dial_code"_s, region.dialCode},
            {u"name_en"_s, region.nameEn},
            {u"name_ru"_s, region.nameRu},
        });
    }
    return QJsonDocument(QJsonObject{{u"regions"_s, regions}}).toJson(QJsonDocument::Compact);
}

} // namespace

// Public: the softphone page shows the country list and checks numbers before anyone logs in,
// and neither route reveals anything but libphonenumber's rules.
void addPhoneRoutes(ApiServer &server)
{
    Router &router = server.router();

    router.add("GET", u"/api/phone/regions"_s, Access::Public, [](const ApiRequest &, const Reply &reply) {
        static const QByteArray document = regionsDocument();
        reply.send(ApiResponse::text(200, "application/json", document));
    });

    // The number as typed so far: formatted as you type, and valid or not by the very rules
    // POST /api/calls/initiate applies.
    router.add("GET", u"/api/phone/check"_s, Access::Public, [](const ApiRequest &request, const Reply &reply) {
        const QString input = request.queryValue(u"number"_s);
        if (input.size() > 4 * PhoneNumbers::kMaxInputLength) {
            return reply.send(ApiResponse::error(400, u"validation_error"_s,
                                                 u"number must be at most %1 characters"_s
                                                     .arg(4 * PhoneNumbers::kMaxInputLength)));
        }
        const PhoneNumbers::Check check = PhoneNumbers::check(input);
        const auto orNull = [](const QString &text) { return text.isEmpty() ? QJsonValue() : QJsonValue(text); };
        reply.send(ApiResponse::json(200, {
            {u"input"_s, input},
            {u"formatted"_s, check.formatted},
            {u"valid"_s, check.valid},
            {u"e164"_s, orNull(check.e164)},
            {u"region"_s, orNull(check.region)},
            {u"country_code"_s, check.countryCode ? QJsonValue(check.countryCode) : QJsonValue()},
            {u"reason"_s, orNull(check.reason)},
            {u"message"_s, orNull(check.message)},
        }));
    });
}

} // namespace Switchboard
