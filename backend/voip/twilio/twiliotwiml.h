#pragma once

#include <QString>

namespace Switchboard {

/// The TwiML documents Switchboard gives Twilio: what a call does once the dialled party has
/// answered, while it is on hold, and when it is handed over to another number.
namespace TwilioTwiml {

/// What ringing the operator's softphone needs.
struct OperatorLeg
{
    QString identity; ///< the Voice SDK identity the softphone registered under
    QString callId; ///< Switchboard's call id, which the softphone checks before it answers
    int ringSeconds = 15; ///< how long the softphone may ring before the leg counts as unreachable
    QString statusCallbackUrl; ///< where the leg's end is reported; empty: the leg is polled
    QString unreachableMessage; ///< said to the dialled party when the leg could not be connected
};

/// Rings the operator's softphone (`<Dial><Client>`). When that leg ends without a hang-up from
/// our side — nobody answered, the softphone was not registered — the document goes on and says
/// `unreachableMessage` to the dialled party; when we end, hold or transfer the call, Twilio
/// leaves this document and the message is never reached.
QString dialOperator(const OperatorLeg &leg);

/// Music for the dialled party while the operator has the call on hold; the operator's leg ends.
QString hold(const QString &musicUrl);

/// Connects the dialled party with `phoneNumber`, showing `callerId`; the operator's leg ends.
QString transfer(const QString &phoneNumber, const QString &callerId);

} // namespace TwilioTwiml

} // namespace Switchboard
