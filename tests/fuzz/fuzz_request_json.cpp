// Request bodies as the routes read them: JSON object, then the string members with their limits.
#include "calls/phonenumbers.h"
#include "http/apirequest.h"
#include "http/jsonbody.h"

#include <cstddef>
#include <cstdint>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ApiRequest request;
    request.method = "POST";
    request.body = QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<QJsonObject> body = jsonObjectBody(request);
    if (!body)
        return 0;
    for (const auto &[name, limit] : {std::pair{u"email"_s, 254}, std::pair{u"password"_s, 1024},
                                      std::pair{u"call_id"_s, 64}, std::pair{u"sdp_answer"_s, 32 * 1024}})
        (void)requiredString(body.value(), name, limit);
    if (const Result<QString> number = requiredString(body.value(), u"phone_number"_s, PhoneNumbers::kMaxInputLength))
        (void)PhoneNumbers::toE164(number.value());
    return 0;
}
