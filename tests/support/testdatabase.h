#pragma once

#include "storage/databaseurl.h"

#include <QTemporaryDir>

#include <memory>
#include <optional>

/// A fresh, empty database for one test process: an SQLite file in a temporary folder, or a
/// PostgreSQL database created on the server named by SWITCHBOARD_TEST_POSTGRES (an admin URL
/// such as postgres://switchboard:switchboard@127.0.0.1:5432/postgres) and dropped afterwards.
///
/// SWITCHBOARD_TEST_DATABASE picks the engine (`sqlite` unless it says `postgres`). Without a
/// PostgreSQL server a local run skips; under CI=true it fails.
class TestDatabase
{
public:
    TestDatabase();
    ~TestDatabase();

    /// Nothing when the database could not be made; skipReason() says why.
    std::optional<Switchboard::DatabaseUrl> url() const { return m_url; }
    QString skipReason() const { return m_skipReason; }
    bool mustNotSkip() const;
    QString dataDir() const { return m_dir.path(); }

    static bool wantsPostgres();

private:
    QTemporaryDir m_dir;
    std::optional<Switchboard::DatabaseUrl> m_url;
    QString m_adminUrl;
    QString m_createdName;
    QString m_skipReason;
};

/// Skips (locally) or fails (CI) the current test when `database` has no URL.
#define REQUIRE_TEST_DATABASE(database)                                                            \
    do {                                                                                           \
        if (!(database).url()) {                                                                   \
            if ((database).mustNotSkip())                                                          \
                QFAIL(qPrintable((database).skipReason()));                                        \
            QSKIP(qPrintable((database).skipReason()));                                            \
        }                                                                                          \
    } while (false)
