#include "calls/sessionmanager.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

const QDateTime kStart = QDateTime(QDate(2026, 1, 15), QTime(10, 0), Qt::UTC);

CallSession session(const QString &id, SessionStatus status = SessionStatus::Connecting,
                    const QDateTime &createdAt = kStart)
{
    return {id, u"call-"_s + id, u"user-"_s + id, status, createdAt, {}, createdAt};
}

QStringList ids(const QList<CallSession> &sessions)
{
    QStringList result;
    for (const CallSession &s : sessions)
        result.append(s.sessionId);
    result.sort();
    return result;
}

/// Runs `work(index)` on `count` threads at once and waits for all of them.
template<typename Work>
void runConcurrently(int count, Work work)
{
    std::atomic<int> ready = 0;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < count; ++i) {
        threads.emplace_back(QThread::create([i, count, &ready, &work]() {
            // Start together, so that the threads really overlap.
            ++ready;
            while (ready.load() < count)
                QThread::yieldCurrentThread();
            work(i);
        }));
    }
    for (auto &thread : threads)
        thread->start();
    for (auto &thread : threads)
        QVERIFY2(thread->wait(QDeadlineTimer(60000)), "a thread is stuck");
}

} // namespace

class tst_SessionManager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addAndFind();
    void addingTheSameIdReplaces();
    void setStatus();
    void setStatusOfUnknownSession();
    void remove();
    void takeExpiredSetupTimeout();
    void takeExpiredTtlCountsFromAnswer();
    void takeExpiredLeavesTheRest();
    void concurrentAddAndRemoveKeepCountsConsistent();
    void concurrentSweepTakesEachSessionOnce();
};

void tst_SessionManager::addAndFind()
{
    SessionManager manager;
    QCOMPARE(manager.count(), 0);
    QVERIFY(!manager.find(u"s1"_s));
    QVERIFY(!manager.contains(u"s1"_s));

    manager.add(session(u"s1"_s));
    manager.add(session(u"s2"_s));
    QCOMPARE(manager.count(), 2);
    QVERIFY(manager.contains(u"s1"_s));

    const std::optional<CallSession> found = manager.find(u"s2"_s);
    QVERIFY(found);
    QCOMPARE(found->sessionId, u"s2"_s);
    QCOMPARE(found->callId, u"call-s2"_s);
    QCOMPARE(found->userId, u"user-s2"_s);
    QCOMPARE(found->status, SessionStatus::Connecting);
    QCOMPARE(found->createdAt, kStart);
    QVERIFY(!manager.find(u"s3"_s));
}

void tst_SessionManager::addingTheSameIdReplaces()
{
    SessionManager manager;
    manager.add(session(u"s1"_s));
    CallSession replacement = session(u"s1"_s, SessionStatus::Active);
    replacement.callId = u"other-call"_s;
    manager.add(replacement);
    QCOMPARE(manager.count(), 1);
    QCOMPARE(manager.find(u"s1"_s)->callId, u"other-call"_s);
}

void tst_SessionManager::setStatus()
{
    SessionManager manager;
    manager.add(session(u"s1"_s));

    const QDateTime answered = kStart.addSecs(5);
    const std::optional<CallSession> active = manager.setStatus(u"s1"_s, SessionStatus::Active, answered);
    QVERIFY(active);
    QCOMPARE(active->status, SessionStatus::Active);
    QCOMPARE(active->answeredAt, answered);
    QCOMPARE(active->lastSeenAt, answered);
    QCOMPARE(manager.find(u"s1"_s)->status, SessionStatus::Active);

    // A repeated Active report moves lastSeenAt, not the moment the call was answered.
    const std::optional<CallSession> again = manager.setStatus(u"s1"_s, SessionStatus::Active, kStart.addSecs(20));
    QCOMPARE(again->answeredAt, answered);
    QCOMPARE(again->lastSeenAt, kStart.addSecs(20));

    const std::optional<CallSession> completed = manager.setStatus(u"s1"_s, SessionStatus::Completed, kStart.addSecs(30));
    QCOMPARE(completed->status, SessionStatus::Completed);
    QCOMPARE(completed->answeredAt, answered);
}

void tst_SessionManager::setStatusOfUnknownSession()
{
    SessionManager manager;
    manager.add(session(u"s1"_s));
    QVERIFY(!manager.setStatus(u"nope"_s, SessionStatus::Active, kStart));
    QCOMPARE(manager.count(), 1);
    QVERIFY(!manager.contains(u"nope"_s));
    QCOMPARE(manager.find(u"s1"_s)->status, SessionStatus::Connecting);
}

void tst_SessionManager::remove()
{
    SessionManager manager;
    manager.add(session(u"s1"_s));
    manager.add(session(u"s2"_s));

    const std::optional<CallSession> removed = manager.remove(u"s1"_s);
    QVERIFY(removed);
    QCOMPARE(removed->callId, u"call-s1"_s);
    QCOMPARE(manager.count(), 1);
    QVERIFY(!manager.find(u"s1"_s));
    QVERIFY(manager.find(u"s2"_s));

    QVERIFY2(!manager.remove(u"s1"_s), "removing twice finds nothing the second time");
    QVERIFY(!manager.remove(u"unknown"_s));
    QCOMPARE(manager.count(), 1);
}

void tst_SessionManager::takeExpiredSetupTimeout()
{
    SessionManager manager;
    manager.add(session(u"connecting"_s, SessionStatus::Connecting));
    manager.add(session(u"initialized"_s, SessionStatus::Initialized));

    QVERIFY(manager.takeExpired(kStart.addSecs(59), 60, 3600).isEmpty());
    QCOMPARE(manager.count(), 2);

    const QList<CallSession> expired = manager.takeExpired(kStart.addSecs(60), 60, 3600);
    QCOMPARE(ids(expired), (QStringList{u"connecting"_s, u"initialized"_s}));
    QCOMPARE(manager.count(), 0);
    QVERIFY2(manager.takeExpired(kStart.addSecs(600), 60, 3600).isEmpty(), "taken means gone");
}

void tst_SessionManager::takeExpiredTtlCountsFromAnswer()
{
    SessionManager manager;
    manager.add(session(u"s1"_s));
    const QDateTime answered = kStart.addSecs(50);
    manager.setStatus(u"s1"_s, SessionStatus::Active, answered);

    // Active calls are not held to the setup timeout...
    QVERIFY(manager.takeExpired(kStart.addSecs(600), 60, 3600).isEmpty());
    // ...but to the TTL, counted from the answer rather than from creation.
    QVERIFY(manager.takeExpired(answered.addSecs(3599), 60, 3600).isEmpty());
    QCOMPARE(manager.count(), 1);

    const QList<CallSession> expired = manager.takeExpired(answered.addSecs(3600), 60, 3600);
    QCOMPARE(expired.size(), 1);
    QCOMPARE(expired.first().sessionId, u"s1"_s);
    QCOMPARE(expired.first().status, SessionStatus::Active);
    QCOMPARE(expired.first().answeredAt, answered);
    QCOMPARE(manager.count(), 0);
}

void tst_SessionManager::takeExpiredLeavesTheRest()
{
    SessionManager manager;
    manager.add(session(u"old-connecting"_s, SessionStatus::Connecting, kStart));
    manager.add(session(u"new-connecting"_s, SessionStatus::Connecting, kStart.addSecs(100)));
    manager.add(session(u"old-active"_s, SessionStatus::Connecting, kStart));
    manager.setStatus(u"old-active"_s, SessionStatus::Active, kStart.addSecs(10));
    manager.add(session(u"new-active"_s, SessionStatus::Connecting, kStart.addSecs(100)));
    manager.setStatus(u"new-active"_s, SessionStatus::Active, kStart.addSecs(110));

    const QList<CallSession> expired = manager.takeExpired(kStart.addSecs(120), 60, 100);
    QCOMPARE(ids(expired), (QStringList{u"old-active"_s, u"old-connecting"_s}));
    QCOMPARE(manager.count(), 2);
    QVERIFY(manager.contains(u"new-connecting"_s));
    QVERIFY(manager.contains(u"new-active"_s));
}

void tst_SessionManager::concurrentAddAndRemoveKeepCountsConsistent()
{
    constexpr int kThreads = 6;
    constexpr int kPerThread = 400;
    SessionManager manager;
    std::atomic<int> removed = 0;
    std::atomic<int> mismatches = 0; // QTest macros are for the test's own thread only

    runConcurrently(kThreads, [&](int thread) {
        for (int i = 0; i < kPerThread; ++i) {
            const QString id = u"t%1-s%2"_s.arg(thread).arg(i);
            manager.add(session(id));
            manager.setStatus(id, SessionStatus::Active, kStart.addSecs(i));
            // Read what other threads are writing at the same time.
            const QString neighbour = u"t%1-s%2"_s.arg((thread + 1) % kThreads).arg(i);
            if (std::optional<CallSession> other = manager.find(neighbour); other && other->callId != u"call-"_s + neighbour)
                ++mismatches;
            if (manager.count() < 1)
                ++mismatches; // this thread's own session is in there
            if (i % 2 == 0 && manager.remove(id))
                ++removed;
        }
    });
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(mismatches.load(), 0);
    QCOMPARE(removed.load(), kThreads * kPerThread / 2);
    QCOMPARE(manager.count(), kThreads * kPerThread / 2);
    for (int thread = 0; thread < kThreads; ++thread) {
        for (int i = 0; i < kPerThread; ++i) {
            const std::optional<CallSession> found = manager.find(u"t%1-s%2"_s.arg(thread).arg(i));
            QCOMPARE(found.has_value(), i % 2 == 1);
            if (found) {
                QCOMPARE(found->status, SessionStatus::Active);
                QCOMPARE(found->answeredAt, kStart.addSecs(i));
            }
        }
    }
}

void tst_SessionManager::concurrentSweepTakesEachSessionOnce()
{
    // Writers add and remove while a sweeper expires everything it sees: every session must end
    // up counted exactly once, as removed by its writer, taken by the sweeper, or still held.
    constexpr int kWriters = 4;
    constexpr int kPerWriter = 500;
    SessionManager manager;
    std::atomic<int> removedByWriters = 0;
    std::atomic<int> writersDone = 0;
    QStringList taken;

    runConcurrently(kWriters + 1, [&](int thread) {
        if (thread == kWriters) {
            while (writersDone.load() < kWriters) {
                for (const CallSession &s : manager.takeExpired(kStart.addSecs(3600), 60, 60))
                    taken.append(s.sessionId);
            }
            return;
        }
        for (int i = 0; i < kPerWriter; ++i) {
            const QString id = u"w%1-s%2"_s.arg(thread).arg(i);
            manager.add(session(id));
            if (i % 3 == 0 && manager.remove(id))
                ++removedByWriters;
        }
        ++writersDone;
    });
    if (QTest::currentTestFailed())
        return;

    const int total = kWriters * kPerWriter;
    QCOMPARE(removedByWriters.load() + int(taken.size()) + manager.count(), total);
    taken.removeDuplicates();
    QCOMPARE(removedByWriters.load() + int(taken.size()) + manager.count(), total);
    for (const QString &id : std::as_const(taken))
        QVERIFY2(!manager.contains(id), qPrintable(id));
}

QTEST_GUILESS_MAIN(tst_SessionManager)
#include "tst_sessionmanager.moc"
