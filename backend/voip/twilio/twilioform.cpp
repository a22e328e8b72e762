#include "twilioform.h"

namespace Switchboard {

TwilioSignature::Parameters parseFormBody(const QByteArray &body)
{
    TwilioSignature::Parameters parameters;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        auto decode = [](QByteArray part) {
            return QString::fromUtf8(QByteArray::fromPercentEncoding(part.replace('+', ' ')));
        };
        parameters.append({decode(pair.left(equals < 0 ? pair.size() : equals)),
                           equals < 0 ? QString() : decode(pair.mid(equals + 1))});
    }
    return parameters;
}

} // namespace Switchboard
