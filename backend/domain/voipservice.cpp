#include "voipservice.h"

#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

void VoipService::hold(const QString &sessionId, bool on, Completion<Done> done)
{
    Q_UNUSED(sessionId)
    Q_UNUSED(on)
    QTimer::singleShot(0, this, [this, done = std::move(done)]() {
        done(Error{ErrorCode::InvalidCallState, u"The %1 provider cannot hold calls"_s.arg(name())});
    });
}

void VoipService::transfer(const QString &sessionId, const QString &phoneNumber, Completion<Done> done)
{
    Q_UNUSED(sessionId)
    Q_UNUSED(phoneNumber)
    QTimer::singleShot(0, this, [this, done = std::move(done)]() {
        done(Error{ErrorCode::InvalidCallState, u"The %1 provider cannot transfer calls"_s.arg(name())});
    });
}

} // namespace Switchboard
