#include "mockscenarios.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

MockScenario MockScenario::forNumber(const QString &e164)
{
    // +1 202 555 01xx is a fictional range that libphonenumber still accepts as valid.
    if (e164 == u"+12025550101"_s)
        return {Kind::Busy};
    if (e164 == u"+12025550102"_s)
        return {Kind::NoAnswer};
    if (e164 == u"+12025550103"_s)
        return {Kind::Unavailable};
    if (e164 == u"+12025550106"_s)
        return {Kind::MediaFailure};
    // +1 202 555 02NN: hangs up NN seconds after answering.
    if (e164.startsWith(u"+120255502"_s) && e164.size() == 12) {
        const int seconds = e164.right(2).toInt();
        if (seconds > 0)
            return {Kind::HangUp, seconds};
    }
    return {Kind::Answer};
}

QStringList MockScenario::testNumbers()
{
    return {u"+4915123456789"_s, u"+12025550101"_s, u"+12025550102"_s,
            u"+12025550103"_s,   u"+12025550205"_s, u"+12025550106"_s};
}

QString MockScenario::outcome() const
{
    switch (kind) {
    case Kind::Answer:
        return u"answer"_s;
    case Kind::Busy:
        return u"busy"_s;
    case Kind::NoAnswer:
        return u"no_answer"_s;
    case Kind::Unavailable:
        return u"unavailable"_s;
    case Kind::HangUp:
        return u"hang_up"_s;
    case Kind::MediaFailure:
        return u"media_failure"_s;
    }
    return {};
}

} // namespace Switchboard
