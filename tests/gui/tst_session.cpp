// Session against the real backend: logging in and registering, errors by type in the operator's
// words, logout revoking the token, and an expired or revoked token bringing the operator back to
// the login page with a notice.

#include "apiclient.h"
#include "httpclient.h"
#include "session.h"
#include "testbackend.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::Session;

namespace {
const QString kPassword = u"correct horse battery"_s;

QString uniqueEmail()
{
    return u"session-%1@example.com"_s.arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
}
} // namespace

class tst_Session : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void register_thenLoggedIn();
    void inputErrors_toldBeforeAsking_data();
    void inputErrors_toldBeforeAsking();
    void serverErrors_byType_data();
    void serverErrors_byType();
    void logOut_revokesTheToken();
    void revokedToken_endsTheSessionWithANotice();
    void expiredToken_endsTheSessionWithANotice();

private:
    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<Session> m_session;
};

void tst_Session::initTestCase()
{
    m_backend = std::make_unique<TestBackend>(QHash<QString, QString>{{u"JWT_TTL"_s, u"5s"_s}});
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
}

void tst_Session::cleanupTestCase()
{
    m_session.reset();
    m_api.reset();
    m_backend.reset();
}

void tst_Session::init()
{
    m_session.reset();
    m_api = std::make_unique<ApiClient>();
    m_api->setBaseUrl(m_backend->baseUrl());
    m_session = std::make_unique<Session>();
    m_session->setClient(m_api.get());
}

void tst_Session::register_thenLoggedIn()
{
    const QString email = uniqueEmail();
    QSignalSpy loggedIn(m_session.get(), &Session::loggedInChanged);
    m_session->registerOperator(email, kPassword, kPassword);
    QVERIFY(m_session->busy());
    QTRY_COMPARE(loggedIn.size(), 1);
    QVERIFY(m_session->loggedIn());
    QVERIFY(!m_session->busy());
    QCOMPARE(m_session->email(), email);
    QVERIFY(!m_api->token().isEmpty());
    QVERIFY(m_session->errorText().isEmpty());

    // The same operator logs in again from a fresh console.
    init();
    m_session->logIn(email, kPassword);
    QTRY_VERIFY(m_session->loggedIn());
}

void tst_Session::inputErrors_toldBeforeAsking_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("confirmation");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("text");
    QTest::addRow("no email") << u"  "_s << kPassword << kPassword << u"email_required"_s
                              << u"Enter your email address."_s;
    QTest::addRow("short password") << uniqueEmail() << u"short"_s << u"short"_s << u"password_too_short"_s
                                    << u"The password must have at least 8 characters."_s;
    QTest::addRow("confirmation differs") << uniqueEmail() << kPassword << u"correct horse batterY"_s
                                          << u"passwords_differ"_s << u"The passwords do not match."_s;
}

void tst_Session::inputErrors_toldBeforeAsking()
{
    QFETCH(QString, email);
    QFETCH(QString, password);
    QFETCH(QString, confirmation);
    QFETCH(QString, type);
    QFETCH(QString, text);
    m_session->registerOperator(email, password, confirmation);
    QVERIFY(!m_session->busy()); // nothing was sent
    QCOMPARE(m_session->errorType(), type);
    QCOMPARE(m_session->errorText(), text);
}

void tst_Session::serverErrors_byType_data()
{
    QTest::addColumn<bool>("registerFirst");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("text");
    QTest::addRow("wrong password") << false << u"invalid_credentials"_s << u"Wrong email or password."_s;
    QTest::addRow("already registered") << true << u"user_already_exists"_s
                                        << u"An operator with this email already exists."_s;
}

void tst_Session::serverErrors_byType()
{
    QFETCH(bool, registerFirst);
    QFETCH(QString, type);
    QFETCH(QString, text);
    const QString email = uniqueEmail();
    HttpClient other(m_backend->baseUrl());
    QCOMPARE(other.post(u"/api/auth/register"_s, {{u"email"_s, email}, {u"password"_s, kPassword}}).status, 201);
    if (registerFirst)
        m_session->registerOperator(email, kPassword, kPassword);
    else
        m_session->logIn(email, u"not the password"_s);
    QTRY_VERIFY(!m_session->busy());
    QVERIFY(!m_session->loggedIn());
    QCOMPARE(m_session->errorType(), type);
    QCOMPARE(m_session->errorText(), text);
}

void tst_Session::logOut_revokesTheToken()
{
    m_session->registerOperator(uniqueEmail(), kPassword, kPassword);
    QTRY_VERIFY(m_session->loggedIn());
    const QString token = m_api->token();

    m_session->logOut();
    QVERIFY(!m_session->loggedIn());
    QVERIFY(m_api->token().isEmpty());
    QCOMPARE(m_session->noticeText(), u"You have logged out."_s);

    HttpClient client(m_backend->baseUrl());
    client.setToken(token);
    QTRY_COMPARE(client.get(u"/api/calls/history"_s).status, 401); // revoked on the server
}

void tst_Session::revokedToken_endsTheSessionWithANotice()
{
    m_session->registerOperator(uniqueEmail(), kPassword, kPassword);
    QTRY_VERIFY(m_session->loggedIn());
    // The token is revoked elsewhere (the same operator logs out from another client).
    HttpClient elsewhere(m_backend->baseUrl());
    elsewhere.setToken(m_api->token());
    QCOMPARE(elsewhere.post(u"/api/auth/logout"_s, {}).status, 204);

    QSignalSpy loggedIn(m_session.get(), &Session::loggedInChanged);
    m_api->get(u"/api/calls/history"_s, this, [](const Switchboard::Gui::ApiReply &) {});
    QTRY_COMPARE(loggedIn.size(), 1);
    QVERIFY(!m_session->loggedIn());
    QCOMPARE(m_session->noticeText(), u"Your session has expired or was ended. Please log in again."_s);
}

void tst_Session::expiredToken_endsTheSessionWithANotice()
{
    m_session->registerOperator(uniqueEmail(), kPassword, kPassword);
    QTRY_VERIFY(m_session->loggedIn());
    QVERIFY(m_api->token().size() > 0);
    // JWT_TTL is 5 s. The operator does nothing: the session's own check finds the token expired.
    m_session->setCheckIntervalMs(200);
    QTRY_VERIFY_WITH_TIMEOUT(!m_session->loggedIn(), 20000);
    QCOMPARE(m_session->noticeText(), u"Your session has expired or was ended. Please log in again."_s);
}

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
