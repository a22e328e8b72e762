#include "storage/database.h"
#include "storage/groupcommitter.h"
#include "syncobserver.h"
#include "testdatabase.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSqlRecord>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

constexpr int kWaitMs = 10000;

/// What a unit's completion saw: its result, and whether the thread was the context's.
struct Answer
{
    std::optional<Status> result;
    bool onContextThread = false;
    quint64 syncsWhenAnswered = 0;
};

} // namespace

/// The group-commit writer against a real database: units share transactions, each unit is
/// answered only after its commit (after the fsync, on SQLite), a unit's own failure undoes that
/// unit alone, and a failure of the database fails every unit of the batch it hit.
class tst_GroupCommitter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void unitsWaitingTogetherShareOneCommit();
    void noAnswerBeforeItsCommitIsDurable();
    void aUnitsOwnFailureUndoesThatUnitAlone();
    void aDatabaseFailureFailsTheWholeBatch();
    void diskFullMidBatchAnswersEveryUnit503();
    void postgresConnectionLostMidBatchAnswersEveryUnit503();
    void stopRunsWhatWasSubmittedThenRefuses();

private:
    WriteQueue::Unit insert(const QString &key) const;
    /// Submits a unit that holds the writer until `release` is released, and returns once the
    /// writer runs it: what is submitted meanwhile waits, and goes into the next batch together.
    bool holdWriter(QSemaphore &release, Answer *answer);
    /// Submits `unit` and records its answer in `answer`.
    void submit(WriteQueue::Unit unit, Answer *answer);
    QStringList keys() const;
    bool isSqlite() const { return m_database->engine() == DatabaseUrl::Engine::Sqlite; }

    std::unique_ptr<TestDatabase> m_testDatabase;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<GroupCommitter> m_writer;
};

void tst_GroupCommitter::initTestCase()
{
    SyncObserver::install();
    QLoggingCategory::setFilterRules(u"switchboard.*.info=false"_s);
}

void tst_GroupCommitter::init()
{
    m_testDatabase = std::make_unique<TestDatabase>();
    REQUIRE_TEST_DATABASE(*m_testDatabase);
    Result<std::unique_ptr<Database>> opened = Database::open(*m_testDatabase->url(), u"tst_groupcommitter"_s);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
    m_database = std::move(opened).value();
    QVERIFY(m_database->execRaw(u"CREATE TABLE items (item_key VARCHAR(32) PRIMARY KEY)"_s).ok());
    m_writer = std::make_unique<GroupCommitter>(*m_database);
}

void tst_GroupCommitter::cleanup()
{
    SyncObserver::setDiskFull(false);
    m_writer.reset();
    m_database.reset();
    m_testDatabase.reset();
}

WriteQueue::Unit tst_GroupCommitter::insert(const QString &key) const
{
    Database *database = m_database.get();
    return [database, key]() -> Status {
        Result<int> inserted = database->modify(u"INSERT INTO items (item_key) VALUES (?)"_s, {key});
        if (!inserted)
            return inserted.error();
        return Done{};
    };
}

bool tst_GroupCommitter::holdWriter(QSemaphore &release, Answer *answer)
{
    auto running = std::make_shared<QSemaphore>();
    submit(
        [&release, running]() -> Status {
            running->release();
            release.acquire(); // and back: the unit may run again, with the batch it joined
            release.release();
            return Done{};
        },
        answer);
    return running->tryAcquire(1, kWaitMs);
}

void tst_GroupCommitter::submit(WriteQueue::Unit unit, Answer *answer)
{
    m_writer->submit(this, std::move(unit), [this, answer](Status result) {
        answer->onContextThread = QThread::currentThread() == thread();
        answer->syncsWhenAnswered = SyncObserver::syncs();
        answer->result = result;
    });
}

QStringList tst_GroupCommitter::keys() const
{
    Result<QList<QSqlRecord>> rows = m_database->select(u"SELECT item_key FROM items ORDER BY item_key"_s);
    QStringList keys;
    for (const QSqlRecord &row : rows.value())
        keys.append(row.value(0).toString());
    return keys;
}

void tst_GroupCommitter::unitsWaitingTogetherShareOneCommit()
{
    // A first unit holds the writer while twenty more arrive: they go in one transaction.
    const quint64 batchesBefore = m_writer->batches();
    QSemaphore release;
    Answer first;
    QVERIFY(holdWriter(release, &first));
    QList<Answer> answers(20);
    for (int i = 0; i < answers.size(); ++i)
        submit(insert(u"key-%1"_s.arg(i, 2, 10, QLatin1Char('0'))), &answers[i]);
    release.release();

    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(answers.cbegin(), answers.cend(), [](const Answer &a) { return a.result; }),
                             kWaitMs);
    for (const Answer &answer : answers) {
        QVERIFY(answer.result->ok());
        QVERIFY2(answer.onContextThread, "completions run on the context's thread");
    }
    QCOMPARE(keys().size(), 20);
    QCOMPARE(m_writer->units(), 21u);
    QCOMPARE(m_writer->batches() - batchesBefore, 2u); // the first's, and one for all twenty
}

void tst_GroupCommitter::noAnswerBeforeItsCommitIsDurable()
{
    if (!isSqlite())
        QSKIP("SQLite's fsync is what the VFS counts; PostgreSQL commits through its own WAL");
    // Each unit notes the fsyncs so far when it runs; its answer must come after a later one:
    // the commit's, under synchronous=FULL.
    for (int round = 0; round < 20; ++round) {
        auto syncsWhenRun = std::make_shared<quint64>();
        Answer answer;
        WriteQueue::Unit unit = insert(u"durable-%1"_s.arg(round));
        submit(
            [unit, syncsWhenRun]() {
                *syncsWhenRun = SyncObserver::syncs();
                return unit();
            },
            &answer);
        QTRY_VERIFY_WITH_TIMEOUT(answer.result.has_value(), kWaitMs);
        QVERIFY(answer.result->ok());
        QVERIFY2(answer.syncsWhenAnswered > *syncsWhenRun,
                 qPrintable(u"answered after %1 fsyncs, the unit ran after %2"_s.arg(answer.syncsWhenAnswered)
                                .arg(*syncsWhenRun)));
    }
}

void tst_GroupCommitter::aUnitsOwnFailureUndoesThatUnitAlone()
{
    QVERIFY(m_database->modify(u"INSERT INTO items (item_key) VALUES (?)"_s, {u"taken"_s}).ok());
    QSemaphore release;
    Answer gate;
    QVERIFY(holdWriter(release, &gate));
    // One batch: a unit before, the unit that breaks the primary key, a unit that writes twice
    // and then fails (its first write must go too), and a unit after.
    Answer before, duplicate, halfDone, after;
    submit(insert(u"before"_s), &before);
    submit(insert(u"taken"_s), &duplicate);
    Database *database = m_database.get();
    submit(
        [database]() -> Status {
            if (!database->modify(u"INSERT INTO items (item_key) VALUES (?)"_s, {u"half"_s}))
                return Error::storage(u"unexpected"_s);
            return Error{ErrorCode::InvalidCallState, u"refused after a first write"_s};
        },
        &halfDone);
    submit(insert(u"after"_s), &after);
    release.release();

    QTRY_VERIFY_WITH_TIMEOUT(after.result.has_value(), kWaitMs);
    QVERIFY(before.result->ok());
    QVERIFY(after.result->ok());
    QCOMPARE(duplicate.result->error().code, ErrorCode::Conflict);
    QCOMPARE(halfDone.result->error().code, ErrorCode::InvalidCallState);
    QCOMPARE(keys(), (QStringList{u"after"_s, u"before"_s, u"taken"_s}));
}

void tst_GroupCommitter::aDatabaseFailureFailsTheWholeBatch()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^a batch of [34] writes failed: the disk is on fire$"_s));
    QSemaphore release;
    Answer gate;
    QVERIFY(holdWriter(release, &gate));
    Answer first, failing, last;
    submit(insert(u"first"_s), &first);
    submit([]() -> Status { return Error::storage(u"the disk is on fire"_s); }, &failing);
    submit(insert(u"last"_s), &last);
    release.release();

    QTRY_VERIFY_WITH_TIMEOUT(last.result.has_value(), kWaitMs);
    for (const Answer *answer : {&first, &failing, &last})
        QCOMPARE(answer->result->error().code, ErrorCode::StorageUnavailable);
    QVERIFY2(keys().isEmpty(), "no unit of a failed batch is kept");

    // The writer goes on with the next batch.
    Answer next;
    submit(insert(u"next"_s), &next);
    QTRY_VERIFY_WITH_TIMEOUT(next.result.has_value(), kWaitMs);
    QVERIFY(next.result->ok());
    QCOMPARE(keys(), QStringList{u"next"_s});
}

void tst_GroupCommitter::diskFullMidBatchAnswersEveryUnit503()
{
    if (!isSqlite())
        QSKIP("the full disk is SQLite's VFS failing its writes");
    QSemaphore release;
    Answer gate;
    QVERIFY(holdWriter(release, &gate));
    QList<Answer> answers(10);
    for (int i = 0; i < answers.size(); ++i)
        submit(insert(u"full-%1"_s.arg(i)), &answers[i]);
    // The disk fills while the batch runs: its units run, its commit cannot be written.
    SyncObserver::setDiskFull(true);
    release.release();
    QTRY_VERIFY_WITH_TIMEOUT(answers.constLast().result.has_value(), kWaitMs);
    for (const Answer &answer : std::as_const(answers))
        QCOMPARE(answer.result->error().code, ErrorCode::StorageUnavailable);

    SyncObserver::setDiskFull(false);
    QVERIFY2(keys().isEmpty(), "nothing of the failed batch reached the database");
    Answer next;
    submit(insert(u"room-again"_s), &next);
    QTRY_VERIFY_WITH_TIMEOUT(next.result.has_value(), kWaitMs);
    QVERIFY(next.result->ok());
}

void tst_GroupCommitter::postgresConnectionLostMidBatchAnswersEveryUnit503()
{
    if (isSqlite())
        QSKIP("PostgreSQL's writer connection is what is cut");
    // The batch's first unit learns its connection's server process and waits; meanwhile the
    // server process is terminated from another connection, as a PostgreSQL restart would.
    QSemaphore gateRelease;
    Answer gate;
    QVERIFY(holdWriter(gateRelease, &gate)); // the six units below then share the next batch
    QSemaphore release;
    auto writerPid = std::make_shared<std::atomic<qint64>>(0); // written by the writer, polled here
    Database *database = m_database.get();
    Answer first;
    submit(
        [&release, database, writerPid]() -> Status {
            Result<QList<QSqlRecord>> pid = database->select(u"SELECT pg_backend_pid()"_s);
            if (pid)
                *writerPid = pid->first().value(0).toLongLong();
            release.acquire();
            release.release();
            return database->modify(u"INSERT INTO items (item_key) VALUES ('first')"_s).ok() ? Status(Done{})
                                                                                          : Error::storage(u"lost"_s);
        },
        &first);
    QList<Answer> others(5);
    for (int i = 0; i < others.size(); ++i)
        submit(insert(u"other-%1"_s.arg(i)), &others[i]);
    gateRelease.release();
    QTRY_VERIFY_WITH_TIMEOUT(writerPid->load() != 0, kWaitMs);
    QVERIFY(m_database->select(u"SELECT pg_terminate_backend(?)"_s, {writerPid->load()}).ok());
    release.release();

    QTRY_VERIFY_WITH_TIMEOUT(others.constLast().result.has_value(), kWaitMs);
    QCOMPARE(first.result->error().code, ErrorCode::StorageUnavailable);
    for (const Answer &answer : std::as_const(others))
        QCOMPARE(answer.result->error().code, ErrorCode::StorageUnavailable);
    QVERIFY(keys().isEmpty());

    // The writer reconnects for the next batch.
    Answer next;
    submit(insert(u"reconnected"_s), &next);
    QTRY_VERIFY_WITH_TIMEOUT(next.result.has_value(), kWaitMs);
    QVERIFY2(next.result->ok(), qPrintable(next.result->ok() ? QString() : next.result->error().message));
}

void tst_GroupCommitter::stopRunsWhatWasSubmittedThenRefuses()
{
    QList<Answer> answers(30);
    for (int i = 0; i < answers.size(); ++i)
        submit(insert(u"queued-%1"_s.arg(i, 2, 10, QLatin1Char('0'))), &answers[i]);
    m_writer->stop();
    QCOMPARE(keys().size(), 30);
    Answer late;
    submit(insert(u"late"_s), &late);
    QTRY_VERIFY_WITH_TIMEOUT(late.result.has_value() && answers.constLast().result.has_value(), kWaitMs);
    QCOMPARE(late.result->error().code, ErrorCode::StorageUnavailable);
    QCOMPARE(keys().size(), 30);
}

QTEST_GUILESS_MAIN(tst_GroupCommitter)
#include "tst_groupcommitter.moc"
