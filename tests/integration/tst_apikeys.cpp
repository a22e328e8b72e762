// API keys over real HTTP on SQLite or PostgreSQL: created with the secret shown once, listed
// without it, used as a bearer credential with only their scopes, revoked; the database holds
// only the key's SHA-256, and no log line holds the key.

#include "httpclient.h"
#include "integrationsupport.h"
#include "domain/apikey.h"
#include "storage/database.h"
#include "testbackend.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlRecord>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;
using namespace Switchboard;

namespace {

/// A client that sends `key` as its bearer credential.
std::unique_ptr<HttpClient> keyClient(const QUrl &url, const QString &key)
{
    auto client = std::make_unique<HttpClient>(url);
    client->setToken(key);
    return client;
}

void expectScopeRefused()
{
    expectLog(QtWarningMsg, u"^API key of user [0-9a-f-]{36} lacks the scope of .+$"_s);
}

void expectKeyRejected()
{
    expectLog(QtWarningMsg, u"^rejected token on .+ from 127\\.0\\.0\\.1 : Invalid or revoked API key$"_s);
}

} // namespace

class tst_ApiKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void create_showsSecretOnce();
    void create_rejectsBadBody_data();
    void create_rejectsBadBody();
    void key_actsAsOwnerWithItsScopes();
    void key_refusedWhereNoScopeApplies_data();
    void key_refusedWhereNoScopeApplies();
    void key_unknownIsRefused();
    void revoke_thenRefused();
    void revoke_othersKeyIsNotFound();
    void database_holdsOnlyTheHash();
    void log_neverHoldsTheKey();

private:
    /// POST /api/keys as `owner`; the created key's JSON.
    QJsonObject createKey(HttpClient &owner, const QStringList &scopes, const QString &name = u"crm"_s);

    std::unique_ptr<LogCapture> m_log;
    std::unique_ptr<TestBackend> m_backend;
    QStringList m_secrets; ///< every key handed out, for the database and log checks
};

void tst_ApiKeys::initTestCase()
{
    m_log = std::make_unique<LogCapture>();
    m_backend = std::make_unique<TestBackend>();
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
}

void tst_ApiKeys::cleanupTestCase()
{
    m_backend.reset();
    m_log.reset();
}

QJsonObject tst_ApiKeys::createKey(HttpClient &owner, const QStringList &scopes, const QString &name)
{
    const HttpResult created = owner.post(u"/api/keys"_s, {{u"name"_s, name}, {u"scopes"_s, QJsonArray::fromStringList(scopes)}});
    if (created.status != 201) {
        qWarning("create key: %d %s", created.status, created.body.constData());
        return {};
    }
    m_secrets.append(created.json.value(u"key"_s).toString());
    return created.json;
}

void tst_ApiKeys::create_showsSecretOnce()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const QJsonObject created = createKey(owner, {u"calls:read"_s, u"calls:write"_s}, u"  My CRM  "_s);
    QVERIFY(!created.isEmpty());
    const QString key = created.value(u"key"_s).toString();
    QVERIFY2(QRegularExpression(u"^sbk_[A-Za-z0-9_-]{43}$"_s).match(key).hasMatch(), qPrintable(key));
    QCOMPARE(created.value(u"name"_s).toString(), u"My CRM"_s);
    QCOMPARE(created.value(u"scopes"_s).toArray(), (QJsonArray{u"calls:read"_s, u"calls:write"_s}));
    QVERIFY(isRfc3339Utc(created.value(u"created_at"_s).toString()));
    QCOMPARE(created.value(u"prefix"_s).toString(), key.left(8));

    // Listed without its secret, with no use yet.
    const HttpResult listed = owner.get(u"/api/keys"_s);
    QCOMPARE(listed.status, 200);
    const QJsonArray keys = listed.json.value(u"keys"_s).toArray();
    QCOMPARE(keys.size(), 1);
    const QJsonObject item = keys.first().toObject();
    QCOMPARE(item.value(u"key_id"_s), created.value(u"key_id"_s));
    QVERIFY(!item.contains(u"key"_s));
    QVERIFY(!listed.body.contains(key.toLatin1()));
    QVERIFY(!listed.body.contains(key.mid(8).toLatin1()));
    QVERIFY(item.value(u"last_used_at"_s).isNull());

    // Used once: last_used_at says when.
    QCOMPARE(keyClient(m_backend->baseUrl(), key)->get(u"/api/calls/history"_s).status, 200);
    QTRY_VERIFY(isRfc3339Utc(owner.get(u"/api/keys"_s).json.value(u"keys"_s).toArray().first()
                                 .toObject().value(u"last_used_at"_s).toString()));

    // A second key is a different secret.
    const QJsonObject second = createKey(owner, {u"calls:read"_s});
    QVERIFY(second.value(u"key"_s).toString() != key);
    QCOMPARE(owner.get(u"/api/keys"_s).json.value(u"keys"_s).toArray().size(), 2);
}

void tst_ApiKeys::create_rejectsBadBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addRow("no name") << QByteArray(R"({"scopes":["calls:read"]})");
    QTest::addRow("blank name") << QByteArray(R"({"name":"  ","scopes":["calls:read"]})");
    QTest::addRow("name too long") << (R"({"name":")" + QByteArray(101, 'n') + R"(","scopes":["calls:read"]})");
    QTest::addRow("no scopes") << QByteArray(R"({"name":"crm"})");
    QTest::addRow("empty scopes") << QByteArray(R"({"name":"crm","scopes":[]})");
    QTest::addRow("unknown scope") << QByteArray(R"({"name":"crm","scopes":["calls:read","admin"]})");
    QTest::addRow("scope not a string") << QByteArray(R"({"name":"crm","scopes":[1]})");
    QTest::addRow("scopes a string") << QByteArray(R"({"name":"crm","scopes":"calls:read"})");
    QTest::addRow("not JSON") << QByteArray("name=crm");
}

void tst_ApiKeys::create_rejectsBadBody()
{
    QFETCH(QByteArray, body);
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    VERIFY_ERROR(owner.send("POST", u"/api/keys"_s, body, {{"Content-Type", "application/json"}}), 400,
                 u"validation_error"_s);
    QCOMPARE(owner.get(u"/api/keys"_s).json.value(u"keys"_s).toArray().size(), 0);
}

void tst_ApiKeys::key_actsAsOwnerWithItsScopes()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const auto reader = keyClient(m_backend->baseUrl(), createKey(owner, {u"calls:read"_s}).value(u"key"_s).toString());
    const auto writer = keyClient(m_backend->baseUrl(), createKey(owner, {u"calls:write"_s}).value(u"key"_s).toString());

    // calls:write places and ends the owner's calls; calls:read cannot.
    expectScopeRefused();
    VERIFY_ERROR(reader->post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}}), 403,
                 u"insufficient_scope"_s);
    const QString callId = initiateCall(*writer, u"+4915123456789"_s);
    QVERIFY(!callId.isEmpty());
    QCOMPARE(writer->post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).json.value(u"status"_s).toString(),
             u"canceled"_s);

    // calls:read sees them, as the owner does; calls:write alone does not read.
    QCOMPARE(reader->get(u"/api/calls/"_s + callId).json.value(u"status"_s).toString(), u"canceled"_s);
    const HttpResult history = reader->get(u"/api/calls/history"_s);
    QCOMPARE(history.json.value(u"total"_s).toInt(), 1);
    QCOMPARE(owner.get(u"/api/calls/history"_s).json.value(u"calls"_s).toArray().first().toObject().value(u"call_id"_s).toString(),
             callId);
    expectScopeRefused();
    VERIFY_ERROR(writer->get(u"/api/calls/history"_s), 403, u"insufficient_scope"_s);

    // Another operator's call stays out of reach.
    HttpClient stranger(m_backend->baseUrl());
    stranger.registerUser();
    const QString theirs = initiateCall(stranger, u"+4915123456789"_s);
    expectLog(QtWarningMsg, u"^user \"[0-9a-f-]{36}\" tried to reach call \".*\" of another user$"_s);
    VERIFY_ERROR(reader->get(u"/api/calls/"_s + theirs), 403, u"unauthorized"_s);
    QCOMPARE(stranger.post(u"/api/calls/terminate"_s, {{u"call_id"_s, theirs}}).status, 200);
}

void tst_ApiKeys::key_refusedWhereNoScopeApplies_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addRow("list keys") << QByteArray("GET") << u"/api/keys"_s;
    QTest::addRow("create a key") << QByteArray("POST") << u"/api/keys"_s;
    QTest::addRow("revoke a key") << QByteArray("DELETE") << u"/api/keys/%1"_s;
    QTest::addRow("logout") << QByteArray("POST") << u"/api/auth/logout"_s;
}

void tst_ApiKeys::key_refusedWhereNoScopeApplies()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const QJsonObject created = createKey(owner, Scope::all());
    const auto key = keyClient(m_backend->baseUrl(), created.value(u"key"_s).toString());
    expectScopeRefused();
    const QByteArray body = method == "POST" ? QByteArray(R"({"name":"more","scopes":["calls:read"]})") : QByteArray();
    VERIFY_ERROR(key->send(method, path.arg(created.value(u"key_id"_s).toString()), body,
                           {{"Content-Type", "application/json"}}),
                 403, u"insufficient_scope"_s);
    QCOMPARE(owner.get(u"/api/keys"_s).json.value(u"keys"_s).toArray().size(), 1);
}

void tst_ApiKeys::key_unknownIsRefused()
{
    const QString forged = u"sbk_"_s + QString(43, u'A');
    expectKeyRejected();
    VERIFY_ERROR(keyClient(m_backend->baseUrl(), forged)->get(u"/api/calls/history"_s), 401, u"unauthorized"_s);
}

void tst_ApiKeys::revoke_thenRefused()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const QJsonObject created = createKey(owner, {u"calls:read"_s});
    const QString id = created.value(u"key_id"_s).toString();
    const auto key = keyClient(m_backend->baseUrl(), created.value(u"key"_s).toString());
    QCOMPARE(key->get(u"/api/calls/history"_s).status, 200);

    QCOMPARE(owner.send("DELETE", u"/api/keys/"_s + id).status, 204);
    expectKeyRejected();
    VERIFY_ERROR(key->get(u"/api/calls/history"_s), 401, u"unauthorized"_s);
    QCOMPARE(owner.get(u"/api/keys"_s).json.value(u"keys"_s).toArray().size(), 0);
    VERIFY_ERROR(owner.send("DELETE", u"/api/keys/"_s + id), 404, u"key_not_found"_s);
    VERIFY_ERROR(owner.send("DELETE", u"/api/keys/not-a-uuid"_s), 404, u"key_not_found"_s);
}

void tst_ApiKeys::revoke_othersKeyIsNotFound()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    const QJsonObject created = createKey(owner, {u"calls:read"_s});
    HttpClient stranger(m_backend->baseUrl());
    stranger.registerUser();
    VERIFY_ERROR(stranger.send("DELETE", u"/api/keys/"_s + created.value(u"key_id"_s).toString()), 404,
                 u"key_not_found"_s);
    QCOMPARE(keyClient(m_backend->baseUrl(), created.value(u"key"_s).toString())->get(u"/api/calls/history"_s).status,
             200);
}

void tst_ApiKeys::database_holdsOnlyTheHash()
{
    QVERIFY(!m_secrets.isEmpty());
    Result<std::unique_ptr<Database>> opened = Database::open(*m_backend->database().url(), u"tst_apikeys"_s);
    QVERIFY(opened.ok());
    Result<QList<QSqlRecord>> rows = opened.value()->select(u"SELECT * FROM api_keys"_s);
    QVERIFY(rows.ok());
    QVERIFY(!rows->isEmpty());
    QSet<QString> hashes;
    for (const QSqlRecord &row : rows.value()) {
        hashes.insert(row.value(u"secret_hash"_s).toString());
        for (int i = 0; i < row.count(); ++i) {
            for (const QString &secret : std::as_const(m_secrets)) // beyond the prefix shown in lists
                QVERIFY2(!row.value(i).toString().contains(secret.mid(8)), qPrintable(row.fieldName(i)));
        }
    }
    // create_showsSecretOnce's key, never revoked, is there as its SHA-256.
    QVERIFY(hashes.contains(QString::fromLatin1(
        QCryptographicHash::hash(m_secrets.first().toLatin1(), QCryptographicHash::Sha256).toHex())));

    // SQLite: no file of the database (main, WAL) holds any key's secret part.
    if (!TestDatabase::wantsPostgres()) {
        QDirIterator files(m_backend->database().dataDir(), QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            for (const QString &secret : std::as_const(m_secrets))
                QVERIFY2(!bytes.contains(secret.mid(8).toLatin1()), qPrintable(file.fileName()));
        }
    }
}

void tst_ApiKeys::log_neverHoldsTheKey()
{
    const QString leaked = m_log->firstContaining(m_secrets);
    QVERIFY2(leaked.isEmpty(), qPrintable(leaked));
    QStringList secretParts;
    for (const QString &secret : std::as_const(m_secrets))
        secretParts.append(secret.mid(8));
    QVERIFY(m_log->firstContaining(secretParts).isEmpty());
}

QTEST_GUILESS_MAIN(tst_ApiKeys)
#include "tst_apikeys.moc"
