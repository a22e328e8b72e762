#include "testdatabase.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

bool runAdmin(const DatabaseUrl &admin, const QString &sql, QString *error)
{
    const QString connection = u"test-admin-"_s + QUuid::createUuid().toString(QUuid::Id128);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connection);
        db.setHostName(admin.host);
        db.setPort(admin.port);
        db.setDatabaseName(admin.databaseName);
        db.setUserName(admin.user);
        db.setPassword(admin.password);
        db.setConnectOptions(u"connect_timeout=3"_s);
        if (!db.open()) {
            *error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            ok = query.exec(sql);
            if (!ok)
                *error = query.lastError().text();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

} // namespace

bool TestDatabase::wantsPostgres()
{
    return qEnvironmentVariable("SWITCHBOARD_TEST_DATABASE") == u"postgres"_s;
}

bool TestDatabase::mustNotSkip() const
{
    return qEnvironmentVariable("CI") == u"true"_s;
}

TestDatabase::TestDatabase()
{
    if (!wantsPostgres()) {
        Result<DatabaseUrl> url = DatabaseUrl::parse(m_dir.filePath(u"switchboard.db"_s));
        m_url = url.value();
        return;
    }

    m_adminUrl = qEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES");
    if (m_adminUrl.isEmpty()) {
        m_skipReason = u"SWITCHBOARD_TEST_POSTGRES is not set: no PostgreSQL server to test against"_s;
        return;
    }
    Result<DatabaseUrl> admin = DatabaseUrl::parse(m_adminUrl);
    if (!admin) {
        m_skipReason = admin.error().message;
        return;
    }
    const QString name = u"switchboard_test_"_s + QUuid::createUuid().toString(QUuid::Id128).left(16);
    QString error;
    if (!runAdmin(admin.value(), u"CREATE DATABASE "_s + name, &error)) {
        m_skipReason = u"cannot create a PostgreSQL test database: "_s + error;
        return;
    }
    m_createdName = name;
    DatabaseUrl url = admin.value();
    url.databaseName = name;
    m_url = url;
}

TestDatabase::~TestDatabase()
{
    if (m_createdName.isEmpty())
        return;
    Result<DatabaseUrl> admin = DatabaseUrl::parse(m_adminUrl);
    QString error;
    if (!runAdmin(admin.value(), u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_createdName), &error))
        qWarning("could not drop test database %s: %s", qPrintable(m_createdName), qPrintable(error));
}
