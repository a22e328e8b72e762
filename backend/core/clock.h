#pragma once

#include <QDateTime>

namespace Switchboard {

/// The time source of the use cases, so that tests can move time instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const { return QDateTime::currentDateTimeUtc(); }
};

} // namespace Switchboard
