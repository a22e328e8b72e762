#include "calloutcome.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

const QStringList &callOutcomes()
{
    static const QStringList outcomes{u"answered"_s,       u"interested"_s, u"callback"_s, u"not_interested"_s,
                                      u"wrong_number"_s,   u"voicemail"_s,  u"other"_s};
    return outcomes;
}

bool isCallOutcome(const QString &key)
{
    return callOutcomes().contains(key);
}

} // namespace Switchboard
