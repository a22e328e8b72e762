#include "twiliotwiml.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::TwilioTwiml {

QString dialOperator(const OperatorLeg &leg)
{
    // Only the leg's end is asked for: busy, no-answer and failed mean the operator was not
    // reached; completed and canceled are ours (a hang-up, a hold, a transfer).
    const QString callback = leg.statusCallbackUrl.isEmpty()
        ? QString()
        : u" statusCallback=\"%1\" statusCallbackMethod=\"POST\" statusCallbackEvent=\"completed\""_s.arg(
              leg.statusCallbackUrl.toHtmlEscaped());
    return u"<Response><Dial timeout=\"%1\"><Client%2><Identity>%3</Identity>"
           "<Parameter name=\"switchboard_call_id\" value=\"%4\"/></Client></Dial><Say>%5</Say></Response>"_s
        .arg(QString::number(leg.ringSeconds), callback, leg.identity.toHtmlEscaped(), leg.callId.toHtmlEscaped(),
             leg.unreachableMessage.toHtmlEscaped());
}

QString hold(const QString &musicUrl)
{
    // loop="0" repeats until the call is redirected again (resume) or ends.
    return u"<Response><Play loop=\"0\">%1</Play></Response>"_s.arg(musicUrl.toHtmlEscaped());
}

QString transfer(const QString &phoneNumber, const QString &callerId)
{
    return u"<Response><Dial callerId=\"%1\"><Number>%2</Number></Dial></Response>"_s.arg(callerId.toHtmlEscaped(),
                                                                                             phoneNumber.toHtmlEscaped());
}

} // namespace Switchboard::TwilioTwiml
