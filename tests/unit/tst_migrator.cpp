// Where a database stands against the migrations this build carries: status without changes,
// migrating up to a number, and refusing a database that a newer program migrated.

#include "storage/database.h"
#include "storage/migrator.h"
#include "testdatabase.h"

#include <QLoggingCategory>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

class tst_Migrator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void numberIsTheLeadingDigits();
    void statusOfAnEmptyDatabaseChangesNothing();
    void migrateToStopsAtTheNumber();
    void migrationRecordedByANewerProgramIsRefused();

private:
    std::unique_ptr<TestDatabase> m_testDatabase;
    std::unique_ptr<Database> m_database;
};

void tst_Migrator::initTestCase()
{
    QLoggingCategory::setFilterRules(u"switchboard.*.info=false"_s);
}

void tst_Migrator::init()
{
    m_testDatabase = std::make_unique<TestDatabase>();
    REQUIRE_TEST_DATABASE(*m_testDatabase);
    Result<std::unique_ptr<Database>> opened =
        Database::open(*m_testDatabase->url(), u"tst_migrator-"_s + QUuid::createUuid().toString(QUuid::Id128));
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
    m_database = std::move(opened).value();
}

void tst_Migrator::cleanup()
{
    m_database.reset();
    m_testDatabase.reset();
}

void tst_Migrator::numberIsTheLeadingDigits()
{
    QCOMPARE(Migrator::number(u"007_add_quality_to_calls.sql"_s), 7);
    QCOMPARE(Migrator::number(u"012_x.sql"_s), 12);
    QCOMPARE(Migrator::number(u"readme.sql"_s), 0);
}

void tst_Migrator::statusOfAnEmptyDatabaseChangesNothing()
{
    const Result<MigrationStatus> status = Migrator(*m_database).status();
    QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().message));
    QVERIFY(status->applied.isEmpty());
    QCOMPARE(status->pending, Migrator::available());
    QVERIFY(status->unknown.isEmpty());
    // Reading the status created no version table.
    const Result<MigrationStatus> again = Migrator(*m_database).status();
    QVERIFY(again.ok());
    QVERIFY(!m_database->select(u"SELECT version FROM schema_migrations"_s).ok());
}

void tst_Migrator::migrateToStopsAtTheNumber()
{
    QVERIFY(Migrator(*m_database).migrateTo(3).ok());
    const Result<MigrationStatus> status = Migrator(*m_database).status();
    QVERIFY(status.ok());
    QStringList applied;
    for (const MigrationStatus::Applied &migration : status->applied) {
        applied.append(migration.name);
        QVERIFY(!migration.appliedAt.isEmpty());
    }
    const QStringList carried = Migrator::available();
    QCOMPARE(applied, carried.mid(0, 3));
    QCOMPARE(status->pending, carried.mid(3));

    QVERIFY(Migrator(*m_database).migrate().ok());
    const Result<MigrationStatus> after = Migrator(*m_database).status();
    QVERIFY(after.ok());
    QCOMPARE(after->applied.size(), carried.size());
    QVERIFY(after->pending.isEmpty());
}

void tst_Migrator::migrationRecordedByANewerProgramIsRefused()
{
    QVERIFY(Migrator(*m_database).migrate().ok());
    QVERIFY(m_database
                ->modify(u"INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"_s,
                         {u"999_from_a_newer_version.sql"_s, u"2030-01-01T00:00:00.000Z"_s})
                .ok());

    const Result<MigrationStatus> status = Migrator(*m_database).status();
    QVERIFY(status.ok());
    QCOMPARE(status->unknown, QStringList{u"999_from_a_newer_version.sql"_s});
    QVERIFY(status->pending.isEmpty());

    const Status migrated = Migrator(*m_database).migrate();
    QVERIFY(!migrated.ok());
    QVERIFY2(migrated.error().message.contains(u"newer than this program"_s), qPrintable(migrated.error().message));
    QVERIFY(migrated.error().message.contains(u"999_from_a_newer_version.sql"_s));
    QVERIFY(!Migrator(*m_database).migrateTo(1).ok());
}

QTEST_GUILESS_MAIN(tst_Migrator)
#include "tst_migrator.moc"
