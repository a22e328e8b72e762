// The API description against the API: GET /api/openapi.json is an OpenAPI 3 document whose
// operations are exactly the routes the server registers, with the same authentication.

#include "auth/apikeyservice.h"
#include "auth/authservice.h"
#include "auth/jwtcodec.h"
#include "calls/callactivity.h"
#include "calls/callevents.h"
#include "calls/callservice.h"
#include "calls/initiateonce.h"
#include "contacts/contactservice.h"
#include "calls/policyservice.h"
#include "core/clock.h"
#include "http/apiserver.h"
#include "http/routes.h"
#include "httpclient.h"
#include "storage/database.h"
#include "storage/groupcommitter.h"
#include "storage/migrator.h"
#include "storage/sqlapikeyrepository.h"
#include "storage/sqlauditrepository.h"
#include "storage/sqlcallrepository.h"
#include "storage/sqleventrepository.h"
#include "storage/sqlidempotencyrepository.h"
#include "storage/sqlcontactrepository.h"
#include "storage/sqlpolicyrepository.h"
#include "storage/sqlrevokedtokenrepository.h"
#include "storage/sqluserrepository.h"
#include "testbackend.h"
#include "testdatabase.h"
#include "voip/mock/mockvoipservice.h"
#include "webhooks/webhookservice.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

const QStringList kHttpMethods{u"get"_s, u"put"_s, u"post"_s, u"delete"_s, u"options"_s, u"head"_s, u"patch"_s, u"trace"_s};

QString describe(const QSet<QString> &set)
{
    QStringList items(set.cbegin(), set.cend());
    items.sort();
    return items.join(u", "_s);
}

/// Every `$ref` in `value`, recursively.
void collectRefs(const QJsonValue &value, QStringList *refs)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == u"$ref"_s && it.value().isString())
                refs->append(it.value().toString());
            else
                collectRefs(it.value(), refs);
        }
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectRefs(item, refs);
    }
}

} // namespace

class tst_OpenApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void document_isOpenApi3();
    void document_operationsAreComplete();
    void document_referencesResolve();
    void routes_matchDocument();
    void access_matchesDocument();
    void documentedRoutes_existOnTheRunningServer();
    void apiDocs_servesPageAndRedoc();

private:
    QJsonObject operation(const QString &method, const QString &path) const;

    std::unique_ptr<TestBackend> m_backend;
    QJsonObject m_document;

    // The API server as the runtime builds it, to read its router.
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SqlUserRepository> m_users;
    std::unique_ptr<SqlCallRepository> m_calls;
    std::unique_ptr<SqlContactRepository> m_contacts;
    std::unique_ptr<SqlRevokedTokenRepository> m_revoked;
    std::unique_ptr<SqlRateLimitRepository> m_rateLimits;
    std::unique_ptr<SqlAuditRepository> m_audit;
    std::unique_ptr<SqlApiKeyRepository> m_apiKeys;
    std::unique_ptr<SqlIdempotencyRepository> m_idempotency;
    std::unique_ptr<JwtCodec> m_codec;
    std::unique_ptr<GroupCommitter> m_writer;
    HttpMetrics m_metrics;
    Clock m_clock;
    std::unique_ptr<AuthService> m_auth;
    std::unique_ptr<MockVoipService> m_provider;
    std::unique_ptr<CallService> m_callService;
    std::unique_ptr<ApiKeyService> m_keys;
    std::unique_ptr<InitiateOnce> m_initiateOnce;
    std::unique_ptr<ContactService> m_contactService;
    std::unique_ptr<SqlPolicyRepository> m_policies;
    std::unique_ptr<PolicyService> m_policyService;
    std::unique_ptr<CallActivityService> m_activity;
    std::unique_ptr<SqlEventRepository> m_events;
    std::unique_ptr<CallEventFeed> m_feed;
    std::unique_ptr<WebhookService> m_webhooks;
    std::unique_ptr<ApiServer> m_server;
};

void tst_OpenApi::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    HttpClient client(m_backend->baseUrl());
    const HttpResult result = client.get(u"/api/openapi.json"_s);
    QCOMPARE(result.status, 200);
    QVERIFY(result.header("Content-Type").startsWith("application/json"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.body, &error);
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(error.errorString() + u": "_s + QString::fromUtf8(result.body.left(200))));
    QVERIFY(document.isObject());
    m_document = document.object();

    // Wired as runtime/serverruntime.cpp wires it.
    m_database = std::make_unique<TestDatabase>();
    REQUIRE_TEST_DATABASE(*m_database);
    Result<std::unique_ptr<Database>> db = Database::open(*m_database->url(), u"tst_openapi"_s);
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().message));
    m_db = std::move(db).value();
    const Status migrated = Migrator(*m_db).migrate();
    QVERIFY2(migrated.ok(), migrated.ok() ? "" : qPrintable(migrated.error().message));
    m_users = std::make_unique<SqlUserRepository>(*m_db);
    m_calls = std::make_unique<SqlCallRepository>(*m_db);
    m_contacts = std::make_unique<SqlContactRepository>(*m_db);
    m_revoked = std::make_unique<SqlRevokedTokenRepository>(*m_db);
    m_rateLimits = std::make_unique<SqlRateLimitRepository>(*m_db);
    m_audit = std::make_unique<SqlAuditRepository>(*m_db);
    m_codec = std::make_unique<JwtCodec>(QByteArray(TestBackend::kSecret), 3600);
    m_writer = std::make_unique<GroupCommitter>(*m_db);
    m_auth = std::make_unique<AuthService>(*m_users, *m_revoked, *m_rateLimits, *m_audit, *m_writer, *m_codec, m_clock,
                                           AuthLimits{});
    MockSettings mock;
    mock.media = false; // the routes are the same either way; no GStreamer peers needed here
    m_provider = std::make_unique<MockVoipService>(mock);
    m_callService = std::make_unique<CallService>(*m_calls, *m_writer, *m_provider, m_clock, CallSettings{u"tst_openapi"_s});
    m_contactService = std::make_unique<ContactService>(*m_contacts, *m_writer, m_clock);
    m_policies = std::make_unique<SqlPolicyRepository>(*m_db);
    m_policyService = std::make_unique<PolicyService>(*m_policies, *m_audit, *m_writer, m_clock);
    m_activity = std::make_unique<CallActivityService>(*m_calls);
    m_events = std::make_unique<SqlEventRepository>(*m_db);
    m_feed = std::make_unique<CallEventFeed>(*m_events);
    m_webhooks = std::make_unique<WebhookService>(*m_events, *m_writer, m_clock, false);
    m_server = std::make_unique<ApiServer>(*m_auth, m_metrics, QSet<QByteArray>{});
    m_apiKeys = std::make_unique<SqlApiKeyRepository>(*m_db);
    m_keys = std::make_unique<ApiKeyService>(*m_apiKeys, *m_writer, m_clock);
    m_idempotency = std::make_unique<SqlIdempotencyRepository>(*m_db);
    m_initiateOnce = std::make_unique<InitiateOnce>(*m_callService, *m_idempotency, *m_writer, m_clock);
    addRoutes(*m_server, ApiServices{*m_auth, *m_callService, *m_activity, *m_feed, *m_webhooks, *m_initiateOnce, *m_keys, *m_contactService, *m_policyService, nullptr,
                                     [] { return true; }, {}});
    QVERIFY(!m_server->router().routes().isEmpty());
}

void tst_OpenApi::cleanupTestCase()
{
    m_server.reset();
    m_writer->stop();
    m_initiateOnce.reset();
    m_webhooks.reset();
    m_policyService.reset();
    m_contactService.reset();
    m_callService.reset();
    m_keys.reset();
    m_provider.reset();
    m_auth.reset();
    m_writer.reset();
    m_db.reset();
    m_backend.reset();
}

QJsonObject tst_OpenApi::operation(const QString &method, const QString &path) const
{
    return m_document.value(u"paths"_s).toObject().value(path).toObject().value(method.toLower()).toObject();
}

void tst_OpenApi::document_isOpenApi3()
{
    QVERIFY2(m_document.value(u"openapi"_s).toString().startsWith(u"3."_s),
             qPrintable(m_document.value(u"openapi"_s).toString()));
    const QJsonObject info = m_document.value(u"info"_s).toObject();
    QVERIFY(!info.value(u"title"_s).toString().isEmpty());
    QVERIFY(!info.value(u"version"_s).toString().isEmpty());
    QVERIFY(m_document.value(u"paths"_s).isObject());
    QVERIFY(!m_document.value(u"paths"_s).toObject().isEmpty());

    const QJsonObject bearer =
        m_document.value(u"components"_s).toObject().value(u"securitySchemes"_s).toObject().value(u"bearerAuth"_s).toObject();
    QCOMPARE(bearer.value(u"type"_s).toString(), u"http"_s);
    QCOMPARE(bearer.value(u"scheme"_s).toString().toLower(), u"bearer"_s);

    // The error format every error answer uses.
    const QJsonObject error =
        m_document.value(u"components"_s).toObject().value(u"schemas"_s).toObject().value(u"Error"_s).toObject();
    QCOMPARE(error.value(u"required"_s).toArray(), (QJsonArray{u"error"_s, u"message"_s}));
}

void tst_OpenApi::document_operationsAreComplete()
{
    const QJsonObject paths = m_document.value(u"paths"_s).toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        QVERIFY2(path.key().startsWith(u'/'), qPrintable(path.key()));
        const QJsonObject operations = path.value().toObject();
        for (auto op = operations.begin(); op != operations.end(); ++op) {
            const QString where = op.key().toUpper() + u' ' + path.key();
            QVERIFY2(kHttpMethods.contains(op.key()), qPrintable(where));
            const QJsonObject responses = op.value().toObject().value(u"responses"_s).toObject();
            QVERIFY2(!responses.isEmpty(), qPrintable(where + u": no responses"_s));
            bool success = false;
            for (auto response = responses.begin(); response != responses.end(); ++response) {
                const int status = response.key().toInt();
                QVERIFY2(status >= 100 && status < 600, qPrintable(where + u": "_s + response.key()));
                QVERIFY2(!response.value().toObject().value(u"description"_s).toString().isEmpty(),
                         qPrintable(where + u" "_s + response.key() + u": no description"_s));
                // A redirect is how a route like GET / succeeds.
                success = success || (status >= 200 && status < 400);
                if (status >= 400) {
                    const QString schema = response.value().toObject().value(u"content"_s).toObject()
                                               .value(u"application/json"_s).toObject().value(u"schema"_s).toObject()
                                               .value(u"$ref"_s).toString();
                    QVERIFY2(schema == u"#/components/schemas/Error"_s,
                             qPrintable(where + u" "_s + response.key() + u" is not the error format"_s));
                }
            }
            QVERIFY2(success, qPrintable(where + u": no success answer"_s));
            if (op.value().toObject().contains(u"security"_s))
                QVERIFY2(responses.contains(u"401"_s), qPrintable(where + u": protected but no 401"_s));
        }
    }
}

void tst_OpenApi::document_referencesResolve()
{
    QStringList refs;
    collectRefs(m_document, &refs);
    QVERIFY(!refs.isEmpty());
    for (const QString &ref : std::as_const(refs)) {
        QVERIFY2(ref.startsWith(u"#/"_s), qPrintable(ref));
        QJsonValue target = m_document;
        for (const QString &part : ref.mid(2).split(u'/'))
            target = target.toObject().value(part);
        QVERIFY2(target.isObject(), qPrintable(u"unresolved "_s + ref));
    }
}

void tst_OpenApi::routes_matchDocument()
{
    QSet<QString> served;
    for (const Route &route : m_server->router().routes()) {
        const QString key = QString::fromLatin1(route.method) + u' ' + route.pattern;
        QVERIFY2(!served.contains(key), qPrintable(u"registered twice: "_s + key));
        served.insert(key);
    }

    QSet<QString> documented;
    const QJsonObject paths = m_document.value(u"paths"_s).toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        const QJsonObject operations = path.value().toObject();
        for (auto op = operations.begin(); op != operations.end(); ++op)
            documented.insert(op.key().toUpper() + u' ' + path.key());
    }

    const QSet<QString> undocumented = served - documented;
    const QSet<QString> missing = documented - served;
    QVERIFY2(undocumented.isEmpty(), qPrintable(u"served but not documented: "_s + describe(undocumented)));
    QVERIFY2(missing.isEmpty(), qPrintable(u"documented but not served: "_s + describe(missing)));
    QCOMPARE(served.size(), documented.size());
}

void tst_OpenApi::access_matchesDocument()
{
    for (const Route &route : m_server->router().routes()) {
        const QJsonObject op = operation(QString::fromLatin1(route.method), route.pattern);
        bool bearer = false;
        for (const QJsonValue &requirement : op.value(u"security"_s).toArray())
            bearer = bearer || requirement.toObject().contains(u"bearerAuth"_s);
        const QString where = QString::fromLatin1(route.method) + u' ' + route.pattern;
        QVERIFY2(bearer == (route.access == Access::Authenticated),
                 qPrintable(where + (bearer ? u" is documented as protected but is public"_s
                                            : u" is protected but documented as public"_s)));
        // The scope an API key needs, as documented (x-api-key-scope; none: keys are refused).
        QCOMPARE(op.value(u"x-api-key-scope"_s).toString(), route.scope);
    }
}

void tst_OpenApi::documentedRoutes_existOnTheRunningServer()
{
    // The running server knows every documented operation: none is a 404 or 405.
    HttpClient client(m_backend->baseUrl());
    const QJsonObject paths = m_document.value(u"paths"_s).toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        QString concrete = path.key();
        concrete.replace(u"{id}"_s, QUuid::createUuid().toString(QUuid::WithoutBraces));
        const QJsonObject operations = path.value().toObject();
        for (auto op = operations.begin(); op != operations.end(); ++op) {
            const QByteArray method = op.key().toUpper().toLatin1();
            if (op.value().toObject().contains(u"security"_s)) {
                QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^unauthenticated request to"_s));
            }
            const HttpResult result = client.send(method, concrete, method == "POST" ? QByteArray("{}") : QByteArray());
            const QString where = QString::fromLatin1(method) + u' ' + concrete;
            QVERIFY2(result.status != 0, qPrintable(where + u": no answer"_s));
            QVERIFY2(result.status != 405 && result.errorType() != u"not_found"_s,
                     qPrintable(where + u": "_s + QString::number(result.status) + u" "_s + QString::fromUtf8(result.body)));
        }
    }
}

void tst_OpenApi::apiDocs_servesPageAndRedoc()
{
    // Public like the document it renders; the bundle is compiled in (no CDN), and with nosniff a
    // browser runs it only under a JavaScript type.
    HttpClient client(m_backend->baseUrl());
    const HttpResult page = client.get(u"/api/docs"_s);
    QCOMPARE(page.status, 200);
    QVERIFY2(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type").constData());
    QVERIFY(page.body.contains(R"(<redoc spec-url="/api/openapi.json">)"));
    QVERIFY(page.body.contains(R"(<script src="/api/docs/redoc.standalone.js">)"));
    const QByteArray policy = page.header("Content-Security-Policy");
    QVERIFY2(policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'"), policy.constData());

    const HttpResult bundle = client.get(u"/api/docs/redoc.standalone.js"_s);
    QCOMPARE(bundle.status, 200);
    QVERIFY2(bundle.header("Content-Type").startsWith("text/javascript"), bundle.header("Content-Type").constData());
    QCOMPARE(bundle.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QVERIFY2(bundle.body.size() > 500'000, qPrintable(QString::number(bundle.body.size())));
    QVERIFY(bundle.body.startsWith("/*! For license information please see redoc.standalone.js.LICENSE.txt */"));
    QVERIFY2(!bundle.body.contains("https://cdn.redoc.ly/"), "Redoc's logo would be loaded from its CDN");
}

QTEST_GUILESS_MAIN(tst_OpenApi)
#include "tst_openapi.moc"
