#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <functional>

namespace Switchboard {

/// For objects that do their work on their own thread but may be called from any: when the
/// caller is on another thread, queues `work` to `owner`'s thread and returns true (the caller
/// returns at once); on the owner's thread returns false (the caller goes on itself).
inline bool queuedToThreadOf(QObject *owner, std::function<void()> work)
{
    if (QThread::currentThread() == owner->thread())
        return false;
    QMetaObject::invokeMethod(owner, std::move(work), Qt::QueuedConnection);
    return true;
}

} // namespace Switchboard
