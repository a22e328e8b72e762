#pragma once

#include "domain/result.h"

#include <QThread>

#include <atomic>
#include <future>

namespace Switchboard {

/// A thread that builds its parts inside run() — so that every QObject, timer and SQL connection
/// among them belongs to it —, reports whether that worked, runs its event loop, and destroys
/// the parts there once it is told to quit.
class PartsThread : public QThread
{
public:
    /// Starts the thread and blocks until build() has returned; on failure the thread has ended.
    Status startAndWait()
    {
        std::future<Status> built = m_built.get_future();
        start();
        Status result = built.get();
        if (!result)
            waitForTeardown();
        return result;
    }

    /// Ends the event loop and waits for the parts to be destroyed.
    void stop()
    {
        quit();
        waitForTeardown();
    }

protected:
    /// Runs on the thread before its event loop; calls `ready` once the parts are built — at once,
    /// or later from the event loop (ready with an error then ends the thread).
    virtual void build(Completion<Done> ready) = 0;
    /// Runs on the thread after its event loop (also when build() failed).
    virtual void teardown() = 0;

private:
    void run() override
    {
        bool failedBeforeLoop = false;
        bool looping = false;
        build([this, &failedBeforeLoop, &looping](Status built) {
            const bool ok = built.ok();
            m_built.set_value(std::move(built));
            if (!ok && looping)
                exit(1);
            failedBeforeLoop = !ok && !looping;
        });
        if (!failedBeforeLoop) {
            looping = true;
            exec();
        }
        teardown();
        m_tornDown.store(true, std::memory_order_release);
    }

    void waitForTeardown()
    {
        wait();
        // wait() orders the teardown before what follows, through QtCore's own futexes; this
        // acquire shows the same order to ThreadSanitizer (scripts/tsan.sh).
        (void)m_tornDown.load(std::memory_order_acquire);
    }

    std::promise<Status> m_built;
    std::atomic<bool> m_tornDown = false;
};

} // namespace Switchboard
