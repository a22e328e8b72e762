#pragma once

#include <QString>
#include <QStringList>

namespace Switchboard {

/// What the mock far end does, chosen by the dialled number so that testers can provoke every
/// outcome a real provider produces. The README lists the numbers.
struct MockScenario
{
    enum class Kind {
        Answer, ///< picks up and stays until terminated (any number not listed below)
        Busy, ///< refuses: the call fails as busy
        NoAnswer, ///< rings until the ring timeout, then fails as no answer
        Unavailable, ///< the provider refuses initiate: 503
        HangUp, ///< picks up, then hangs up after `hangUpAfterSeconds`
        MediaFailure, ///< the media never connects: the call fails
    };

    Kind kind = Kind::Answer;
    int hangUpAfterSeconds = 0;

    static MockScenario forNumber(const QString &e164);

    /// One number of each kind, for testers: what the console offers and the README lists.
    static QStringList testNumbers();

    /// A stable name of the kind for clients: answer, busy, no_answer, unavailable, hang_up, media_failure.
    QString outcome() const;
};

} // namespace Switchboard
