// The team (issue 15): roles, the users API, disabling, "log out everywhere", closed
// registration, and an admin reading another operator's history — over real HTTP.

#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

constexpr auto kPassword = "correct horse battery";

HttpResult patch(HttpClient &client, const QString &path, const QJsonObject &body)
{
    return client.send("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QString roleOf(const HttpResult &session)
{
    return session.json.value(u"user"_s).toObject().value(u"role"_s).toString();
}

} // namespace

class tst_Team : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void firstAccountIsTheAdmin();
    void roleMatrix_data();
    void roleMatrix();
    void ownedResources_data();
    void ownedResources();
    void adminCreatesAndDisablesAUser();
    void lastAdminStays();
    void adminReadsAnotherOperatorsHistory();
    void logoutEverywhere_refusesEveryToken();
    void refresh_whileActive_untilTheMaximumAge();
    void closedRegistration();
    void auditTrail_recordsTheMixedRun();

private:
    QUrl url() const { return m_backend->baseUrl(); }
    HttpResult registerFresh(HttpClient &client, const QString &prefix);

    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<HttpClient> m_admin;
    std::unique_ptr<HttpClient> m_operator;
    std::unique_ptr<HttpClient> m_other;
    QString m_operatorId;
    QString m_otherId;
    QHash<QString, QString> m_owned; ///< the operator's call, contact and key, by placeholder
};

HttpResult tst_Team::registerFresh(HttpClient &client, const QString &prefix)
{
    const HttpResult session = client.post(u"/api/auth/register"_s, {{u"email"_s, HttpClient::uniqueEmail(prefix)},
                                                                       {u"password"_s, QString::fromLatin1(kPassword)}});
    client.setToken(session.json.value(u"token"_s).toString());
    return session;
}

void tst_Team::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    m_admin = std::make_unique<HttpClient>(url());
    m_operator = std::make_unique<HttpClient>(url());
    m_other = std::make_unique<HttpClient>(url());
}

void tst_Team::cleanupTestCase()
{
    m_backend.reset();
}

void tst_Team::firstAccountIsTheAdmin()
{
    const HttpResult first = registerFresh(*m_admin, u"admin"_s);
    QCOMPARE(first.status, 201);
    QCOMPARE(roleOf(first), u"admin"_s);
    const HttpResult second = registerFresh(*m_operator, u"operator"_s);
    QCOMPARE(second.status, 201);
    QCOMPARE(roleOf(second), u"operator"_s);
    m_operatorId = second.json.value(u"user"_s).toObject().value(u"id"_s).toString();
    const HttpResult third = registerFresh(*m_other, u"other"_s);
    QCOMPARE(roleOf(third), u"operator"_s);
    m_otherId = third.json.value(u"user"_s).toObject().value(u"id"_s).toString();
}

void tst_Team::roleMatrix_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("asAdmin");
    QTest::addColumn<int>("asOperator");
    QTest::addColumn<int>("anonymous");

    QTest::addRow("list users") << QByteArray("GET") << u"/api/users"_s << QByteArray() << 200 << 403 << 401;
    QTest::addRow("add a user with a bad role") << QByteArray("POST") << u"/api/users"_s
                                               << QByteArray(R"({"email":"x@example.com","password":"correct horse battery","role":"root"})")
                                               << 400 << 400 << 401;
    QTest::addRow("change an unknown user") << QByteArray("PATCH") << u"/api/users/nobody"_s
                                           << QByteArray(R"({"role":"operator"})") << 404 << 403 << 401;
    QTest::addRow("read the calling policy") << QByteArray("GET") << u"/api/policy"_s << QByteArray() << 200 << 403 << 401;
    QTest::addRow("replace the calling policy")
        << QByteArray("PUT") << u"/api/policy"_s
        << QByteArray(R"({"allowed_countries":[],"calls_per_operator_per_day":0,"max_call_duration_seconds":0,"max_concurrent_calls":0})")
        << 200 << 403 << 401;
    QTest::addRow("read the audit trail") << QByteArray("GET") << u"/api/audit"_s << QByteArray() << 200 << 403 << 401;
    QTest::addRow("own history") << QByteArray("GET") << u"/api/calls/history"_s << QByteArray() << 200 << 200 << 401;
    QTest::addRow("another's history") << QByteArray("GET") << u"/api/calls/history?user_id=%other%"_s << QByteArray()
                                      << 200 << 403 << 401;
}

void tst_Team::roleMatrix()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, asAdmin);
    QFETCH(int, asOperator);
    QFETCH(int, anonymous);

    path.replace(u"%other%"_s, m_otherId);
    HttpClient nobody(url());
    QCOMPARE(m_admin->send(method, path, body).status, asAdmin);
    QCOMPARE(m_operator->send(method, path, body).status, asOperator);
    QCOMPARE(nobody.send(method, path, body).status, anonymous);
}

void tst_Team::ownedResources_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("asAdmin");
    QTest::addColumn<int>("asOtherOperator");
    QTest::addColumn<int>("anonymous");
    QTest::addColumn<int>("asOwner");

    // Asked in this order: admin, another operator, anonymous, then the owner (who may end it).
    const auto row = [](const char *name, const char *method, const QString &path, const char *body, int admin, int other,
                        int owner) {
        QTest::addRow("%s", name) << QByteArray(method) << path << QByteArray(body) << admin << other << 401 << owner;
    };
    row("read a call (an admin reads any, as any history)", "GET", u"/api/calls/%call%"_s, "", 200, 403, 200);
    row("write a call's notes", "PATCH", u"/api/calls/%call%"_s, R"({"notes":"mine"})", 403, 403, 200);
    row("answer a call", "POST", u"/api/calls/answer"_s, R"({"call_id":"%call%","sdp_answer":"%sdp%"})", 403, 403, 200);
    row("end a call", "POST", u"/api/calls/terminate"_s, R"({"call_id":"%call%"})", 403, 403, 200);
    row("own contacts", "GET", u"/api/contacts"_s, "", 200, 200, 200);
    row("read a contact", "GET", u"/api/contacts/%contact%"_s, "", 403, 403, 200);
    row("change a contact", "PATCH", u"/api/contacts/%contact%"_s, R"({"notes":"mine"})", 403, 403, 200);
    row("delete a contact", "DELETE", u"/api/contacts/%contact%"_s, "", 403, 403, 204);
    row("own keys", "GET", u"/api/keys"_s, "", 200, 200, 200);
    row("revoke a key", "DELETE", u"/api/keys/%key%"_s, "", 404, 404, 204);
}

void tst_Team::ownedResources()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, asAdmin);
    QFETCH(int, asOtherOperator);
    QFETCH(int, anonymous);
    QFETCH(int, asOwner);

    if (m_owned.isEmpty()) {
        m_owned.insert(u"%call%"_s, initiateCall(*m_operator, u"+4915123456789"_s));
        m_owned.insert(u"%contact%"_s, m_operator->post(u"/api/contacts"_s, {{u"name"_s, u"Mine"_s}, {u"phone_number"_s, u"+4915123456780"_s}})
                                          .json.value(u"contact_id"_s).toString());
        m_owned.insert(u"%key%"_s, m_operator->post(u"/api/keys"_s, {{u"name"_s, u"crm"_s}, {u"scopes"_s, QJsonArray{u"calls:read"_s}}})
                                      .json.value(u"key_id"_s).toString());
        m_owned.insert(u"%sdp%"_s, QString::fromUtf8(QJsonDocument(QJsonArray{sdpAnswer()}).toJson(QJsonDocument::Compact)).mid(2).chopped(2));
    }
    QString target = path;
    QString text = QString::fromUtf8(body);
    for (auto it = m_owned.cbegin(); it != m_owned.cend(); ++it) {
        QVERIFY2(!it.value().isEmpty(), qPrintable(it.key()));
        target.replace(it.key(), it.value());
        text.replace(it.key(), it.value());
    }
    HttpClient nobody(url());
    QCOMPARE(m_admin->send(method, target, text.toUtf8()).status, asAdmin);
    QCOMPARE(m_other->send(method, target, text.toUtf8()).status, asOtherOperator);
    QCOMPARE(nobody.send(method, target, text.toUtf8()).status, anonymous);
    QCOMPARE(m_operator->send(method, target, text.toUtf8()).status, asOwner);
}

void tst_Team::adminCreatesAndDisablesAUser()
{
    const QString email = HttpClient::uniqueEmail(u"created"_s);
    const HttpResult created = m_admin->post(u"/api/users"_s, {{u"email"_s, email},
                                                                {u"password"_s, QString::fromLatin1(kPassword)},
                                                                {u"role"_s, u"operator"_s}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json.value(u"role"_s).toString(), u"operator"_s);
    QCOMPARE(created.json.value(u"disabled"_s).toBool(), false);
    const QString id = created.json.value(u"id"_s).toString();
    QVERIFY(!created.json.contains(u"password_hash"_s));

    HttpClient user(url());
    const HttpResult session = user.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, QString::fromLatin1(kPassword)}});
    QCOMPARE(session.status, 200);
    user.setToken(session.json.value(u"token"_s).toString());
    QCOMPARE(user.get(u"/api/calls/history"_s).status, 200);

    const HttpResult listed = m_admin->get(u"/api/users"_s);
    const QJsonArray users = listed.json.value(u"users"_s).toArray();
    QVERIFY(std::any_of(users.begin(), users.end(), [&](const QJsonValue &u) { return u[u"id"_s].toString() == id; }));

    // Disabled: the token it holds is refused at once, and it cannot log in again.
    const HttpResult disabled = patch(*m_admin, u"/api/users/"_s + id, {{u"disabled"_s, true}});
    QCOMPARE(disabled.status, 200);
    QCOMPARE(disabled.json.value(u"disabled"_s).toBool(), true);
    QCOMPARE(user.get(u"/api/calls/history"_s).status, 401);
    QCOMPARE(user.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, QString::fromLatin1(kPassword)}}).status, 403);
    QCOMPARE(patch(*m_admin, u"/api/users/"_s + id, {{u"disabled"_s, u"yes"_s}}).status, 400);

    // Enabled again, with a new password set by the admin.
    QCOMPARE(patch(*m_admin, u"/api/users/"_s + id, {{u"disabled"_s, false}, {u"password"_s, u"a brand new passphrase"_s}}).status, 200);
    QCOMPARE(user.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, QString::fromLatin1(kPassword)}}).status, 401);
    QCOMPARE(user.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, u"a brand new passphrase"_s}}).status, 200);
}

void tst_Team::lastAdminStays()
{
    const QString adminId = m_admin->get(u"/api/users"_s).json.value(u"users"_s).toArray().first()[u"id"_s].toString();
    const HttpResult demoted = patch(*m_admin, u"/api/users/"_s + adminId, {{u"role"_s, u"operator"_s}});
    QCOMPARE(demoted.status, 409);
    QVERIFY(demoted.json.value(u"message"_s).toString().contains(u"admin"_s));
    // Unchanged, and still admin.
    QCOMPARE(m_admin->get(u"/api/users"_s).status, 200);
}

void tst_Team::adminReadsAnotherOperatorsHistory()
{
    const QString callId = initiateCall(*m_other, u"+12025550199"_s);
    QVERIFY(!callId.isEmpty());
    QCOMPARE(m_other->post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);

    const HttpResult seen = m_admin->get(u"/api/calls/history?user_id="_s + m_otherId);
    QCOMPARE(seen.status, 200);
    QCOMPARE(seen.json.value(u"calls"_s).toArray().first()[u"call_id"_s].toString(), callId);
    const HttpResult refused = m_operator->get(u"/api/calls/history?user_id="_s + m_otherId);
    QCOMPARE(refused.status, 403);
    QVERIFY(refused.isErrorFormat());
    // Asking for oneself by id is the same as not asking.
    QCOMPARE(m_operator->get(u"/api/calls/history?user_id="_s + m_operatorId).status, 200);
}

void tst_Team::logoutEverywhere_refusesEveryToken()
{
    HttpClient second(url());
    const QString email = HttpClient::uniqueEmail(u"everywhere"_s);
    QCOMPARE(second.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, QString::fromLatin1(kPassword)}}).status, 201);
    HttpClient laptop(url());
    HttpClient phone(url());
    for (HttpClient *device : {&laptop, &phone}) {
        const HttpResult session = device->post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, QString::fromLatin1(kPassword)}});
        device->setToken(session.json.value(u"token"_s).toString());
        QCOMPARE(device->get(u"/api/calls/history"_s).status, 200);
    }
    QCOMPARE(laptop.post(u"/api/auth/logout-all"_s, {}).status, 204);
    QCOMPARE(laptop.get(u"/api/calls/history"_s).status, 401);
    QCOMPARE(phone.get(u"/api/calls/history"_s).status, 401);
    // A session started after it works (token times are whole seconds: the next one).
    QTest::qWait(1100);
    const HttpResult again = phone.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, QString::fromLatin1(kPassword)}});
    phone.setToken(again.json.value(u"token"_s).toString());
    QCOMPARE(phone.get(u"/api/calls/history"_s).status, 200);
}

void tst_Team::refresh_whileActive_untilTheMaximumAge()
{
    // Tokens live 3 s unless refreshed (the idle timeout); no login lasts more than 6 s.
    TestBackend brief({{u"JWT_TTL"_s, u"3s"_s}, {u"SESSION_MAX_AGE"_s, u"6s"_s}});
    REQUIRE_TEST_DATABASE(brief.database());
    QVERIFY2(brief.start(), qPrintable(brief.error()));
    HttpClient client(brief.baseUrl());
    QVERIFY(!client.registerUser(u"refresh"_s).isEmpty());
    const QString first = client.token();
    const qint64 authTime = jwtPart(first, 1).value(u"auth_time"_s).toInteger();
    QElapsedTimer clock;
    clock.start();

    QTest::qWait(1500); // token times are whole seconds: by now the refreshed token outlives the first
    const HttpResult refreshed = client.post(u"/api/auth/refresh"_s, {});
    QCOMPARE(refreshed.status, 200);
    const QString second = refreshed.json.value(u"token"_s).toString();
    QCOMPARE(jwtPart(second, 1).value(u"sid"_s), jwtPart(first, 1).value(u"jti"_s));
    QCOMPARE(jwtPart(second, 1).value(u"auth_time"_s).toInteger(), authTime);
    QCOMPARE(refreshed.header("Cache-Control"), QByteArray("no-store"));

    // Idle: the first token ran out; the refreshed one still works.
    QTest::qWait(int(3100 - clock.elapsed()));
    QCOMPARE(client.get(u"/api/calls/history"_s).status, 401);
    client.setToken(second);
    QCOMPARE(client.get(u"/api/calls/history"_s).status, 200);
    // Refreshed again, the token ends with the login's maximum age, not 3 s later.
    const HttpResult capped = client.post(u"/api/auth/refresh"_s, {});
    QCOMPARE(capped.status, 200);
    QCOMPARE(jwtPart(capped.json.value(u"token"_s).toString(), 1).value(u"exp"_s).toInteger(), authTime + 6);
    client.setToken(capped.json.value(u"token"_s).toString());
    QTest::qWait(int(6050 - clock.elapsed()));
    QCOMPARE(client.post(u"/api/auth/refresh"_s, {}).status, 401);

    // An API key is not a login: it is not refreshed.
    HttpClient owner(brief.baseUrl());
    QVERIFY(!owner.registerUser(u"keys"_s).isEmpty());
    const HttpResult key = owner.post(u"/api/keys"_s, {{u"name"_s, u"crm"_s}, {u"scopes"_s, QJsonArray{u"calls:read"_s}}});
    HttpClient script(brief.baseUrl());
    script.setToken(key.json.value(u"key"_s).toString());
    QCOMPARE(script.post(u"/api/auth/refresh"_s, {}).status, 403);
}

void tst_Team::closedRegistration()
{
    TestBackend closed({{u"REGISTRATION"_s, u"closed"_s}});
    REQUIRE_TEST_DATABASE(closed.database());
    QVERIFY2(closed.start(), qPrintable(closed.error()));
    HttpClient client(closed.baseUrl());
    const HttpResult refused = client.post(u"/api/auth/register"_s, {{u"email"_s, HttpClient::uniqueEmail(u"closed"_s)},
                                                                     {u"password"_s, QString::fromLatin1(kPassword)}});
    QCOMPARE(refused.status, 403);
    QVERIFY(refused.json.value(u"message"_s).toString().contains(u"closed"_s));
}

void tst_Team::auditTrail_recordsTheMixedRun()
{
    // What the cases above did, as the admin reads it: who, what, on whom, from where.
    QCOMPARE(m_admin->post(u"/api/auth/login"_s, {{u"email"_s, u"nobody@example.com"_s}, {u"password"_s, u"wrong"_s}}).status, 401);
    const HttpResult trail = m_admin->get(u"/api/audit?limit=200"_s);
    QCOMPARE(trail.status, 200);
    QStringList actions;
    for (const QJsonValue &event : trail.json.value(u"events"_s).toArray())
        actions << event[u"action"_s].toString();
    for (const QString &expected : {u"registered"_s, u"user_created"_s, u"user_changed"_s, u"login"_s, u"login_failed"_s,
                                    u"logout_all"_s}) {
        QVERIFY2(actions.contains(expected), qPrintable(expected + u" missing from "_s + actions.join(u","_s)));
    }
    const QJsonObject newest = trail.json.value(u"events"_s).toArray().first().toObject();
    QCOMPARE(newest.value(u"action"_s).toString(), u"login_failed"_s);
    QCOMPARE(newest.value(u"target"_s).toString(), u"nobody@example.com"_s);
    QCOMPARE(newest.value(u"client"_s).toString(), u"127.0.0.1"_s);
    QVERIFY(newest.value(u"actor_id"_s).isNull());

    const HttpResult disabling = m_admin->get(u"/api/audit?action=user_changed"_s);
    const QJsonArray changes = disabling.json.value(u"events"_s).toArray();
    QVERIFY(!changes.isEmpty());
    QCOMPARE(disabling.json.value(u"total"_s).toInt(), changes.size());
    QVERIFY(std::any_of(changes.begin(), changes.end(), [](const QJsonValue &e) { return e[u"detail"_s].toString() == u"disabled"_s; }));

    // Operators do not read it; nobody changes it through the API.
    QCOMPARE(m_operator->get(u"/api/audit"_s).status, 403);
    QCOMPARE(m_admin->send("DELETE", u"/api/audit"_s).status, 405);
    QCOMPARE(m_admin->get(u"/api/audit?limit=0"_s).status, 400);
}

QTEST_GUILESS_MAIN(tst_Team)
#include "tst_team.moc"
