// Session against the real backend: logging in and registering, the role the server answered,
// errors by type in the operator's words, logout revoking the token — asked again while the
// server is unreachable or failing, not after a 401, and the operator told when it never could
// be — and an expired or revoked token bringing the operator back to the login page with a notice.

#include "apiclient.h"
#include "httpclient.h"
#include "session.h"
#include "testbackend.h"

#include <QElapsedTimer>
#include <QKeyEvent>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
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

// Nothing listens there: a request fails at once with "connection refused".
const QUrl kClosedPort(u"http://127.0.0.1:1"_s);

/// A server that answers each request with the next status of its script (the last one again
/// once the script is spent): a backend failing the way the real one cannot be made to on cue.
class ScriptedServer : public QObject
{
public:
    explicit ScriptedServer(QList<int> statuses) : m_statuses(std::move(statuses))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { answer(socket); });
        });
    }

    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }
    int requests() const { return m_requests; }

private:
    void answer(QTcpSocket *socket)
    {
        m_received[socket] += socket->readAll();
        if (!m_received[socket].contains("\r\n\r\n"))
            return;
        const int status = m_statuses.at(std::min<qsizetype>(m_requests++, m_statuses.size() - 1));
        const QByteArray body = status >= 400 ? R"({"error":"service_unavailable","message":"scripted"})" : "";
        socket->write("HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\nContent-Type: application/json\r\n"
                      "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
        m_received.remove(socket);
    }

    QTcpServer m_server;
    QList<int> m_statuses;
    QHash<QTcpSocket *, QByteArray> m_received;
    int m_requests = 0;
};

} // namespace

class tst_Session : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void register_thenLoggedIn();
    void role_asTheServerAnswered();
    void inputErrors_toldBeforeAsking_data();
    void inputErrors_toldBeforeAsking();
    void serverErrors_byType_data();
    void serverErrors_byType();
    void logOut_revokesTheToken();
    void logOut_retriedWhileTheServerIsUnreachable();
    void logOut_retriedAfterA5xx_data();
    void logOut_retriedAfterA5xx();
    void logOut_notRetriedAfterA401();
    void logOut_operatorToldWhenTheServerCannotBeTold();
    void revokedToken_endsTheSessionWithANotice();
    void expiredToken_endsTheSessionWithANotice();
    void activeOperator_keepsTheSession();

private:
    /// Logs a new operator in through the session; returns the token.
    QString logInANewOperator();

    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<Session> m_session;
    QString m_adminEmail;
};

void tst_Session::initTestCase()
{
    m_backend = std::make_unique<TestBackend>(QHash<QString, QString>{{u"JWT_TTL"_s, u"5s"_s}});
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    // The first account is the team's admin: made here, so that every test's own is an operator.
    m_adminEmail = uniqueEmail();
    HttpClient admin(m_backend->baseUrl());
    QCOMPARE(admin.post(u"/api/auth/register"_s, {{u"email"_s, m_adminEmail}, {u"password"_s, kPassword}})
                 .json.value(u"user"_s).toObject().value(u"role"_s).toString(),
             u"admin"_s);
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

QString tst_Session::logInANewOperator()
{
    m_session->registerOperator(uniqueEmail(), kPassword, kPassword);
    if (!QTest::qWaitFor([this] { return m_session->loggedIn(); }, 10000))
        return {};
    return m_api->token();
}

void tst_Session::role_asTheServerAnswered()
{
    QVERIFY(!logInANewOperator().isEmpty());
    QCOMPARE(m_session->role(), u"operator"_s);
    QVERIFY(!m_session->isAdmin());
    m_session->logOut();
    QCOMPARE(m_session->role(), QString());
    QVERIFY(!m_session->isAdmin());

    QSignalSpy loggedIn(m_session.get(), &Session::loggedInChanged);
    m_session->logIn(m_adminEmail, kPassword);
    QTRY_VERIFY(m_session->loggedIn());
    QCOMPARE(m_session->role(), u"admin"_s);
    QVERIFY(m_session->isAdmin());
    QCOMPARE(loggedIn.size(), 1); // role and isAdmin change with loggedIn, and say so by its signal
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

    QSignalSpy expired(m_session.get(), &Session::expired);
    m_session->logOut();
    QVERIFY(!m_session->loggedIn());
    QVERIFY(m_api->token().isEmpty());
    QCOMPARE(m_session->noticeText(), u"You have logged out."_s);
    QCOMPARE(expired.size(), 0); // the operator's own doing: nothing to notify

    HttpClient client(m_backend->baseUrl());
    client.setToken(token);
    QTRY_COMPARE(client.get(u"/api/calls/history"_s).status, 401); // revoked on the server
}

void tst_Session::logOut_retriedWhileTheServerIsUnreachable()
{
    const QString token = logInANewOperator();
    QVERIFY(!token.isEmpty());
    m_session->setLogoutRetryDelayMs(50);
    QSignalSpy finished(m_session.get(), &Session::logoutFinished);

    // The first request goes where nothing listens; the server is back for the second.
    m_api->setBaseUrl(kClosedPort);
    m_session->logOut();
    QVERIFY(!m_session->loggedIn()); // the operator does not wait for the server
    m_api->setBaseUrl(m_backend->baseUrl());

    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(finished.at(0).at(1).toInt(), 2);
    QCOMPARE(m_session->noticeText(), u"You have logged out."_s);
    HttpClient client(m_backend->baseUrl());
    client.setToken(token);
    QCOMPARE(client.get(u"/api/calls/history"_s).status, 401);
}

void tst_Session::logOut_retriedAfterA5xx_data()
{
    QTest::addColumn<QList<int>>("answers");
    QTest::addColumn<bool>("revoked");
    QTest::addColumn<int>("attempts");
    QTest::addRow("503, then done") << QList<int>{503, 204} << true << 2;
    QTest::addRow("500, 502, 503, then done") << QList<int>{500, 502, 503, 204} << true << 4;
    QTest::addRow("503 every time") << QList<int>{503} << false << int(Session::kLogoutAttempts);
    QTest::addRow("400: not worth asking again") << QList<int>{400, 204} << false << 1;
}

void tst_Session::logOut_retriedAfterA5xx()
{
    QFETCH(QList<int>, answers);
    QFETCH(bool, revoked);
    QFETCH(int, attempts);
    QVERIFY(!logInANewOperator().isEmpty());
    ScriptedServer failing(answers);
    m_api->setBaseUrl(failing.url());
    m_session->setLogoutRetryDelayMs(20);
    QSignalSpy finished(m_session.get(), &Session::logoutFinished);

    m_session->logOut();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), revoked);
    QCOMPARE(finished.at(0).at(1).toInt(), attempts);
    QCOMPARE(failing.requests(), attempts);
}

void tst_Session::logOut_notRetriedAfterA401()
{
    const QString token = logInANewOperator();
    QVERIFY(!token.isEmpty());
    // Revoked elsewhere first: the server no longer knows the token, which is what logging out wanted.
    HttpClient elsewhere(m_backend->baseUrl());
    elsewhere.setToken(token);
    QCOMPARE(elsewhere.post(u"/api/auth/logout"_s, {}).status, 204);
    m_session->setLogoutRetryDelayMs(20);
    QSignalSpy finished(m_session.get(), &Session::logoutFinished);
    QSignalSpy loggedIn(m_session.get(), &Session::loggedInChanged);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^rejected token on .*/api/auth/logout"_s));
    m_session->logOut();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(finished.at(0).at(1).toInt(), 1);
    QCOMPARE(loggedIn.size(), 1); // the 401 to the old token ended nothing else
    QCOMPARE(m_session->noticeText(), u"You have logged out."_s);
}

void tst_Session::logOut_operatorToldWhenTheServerCannotBeTold()
{
    const QString token = logInANewOperator();
    QVERIFY(!token.isEmpty());
    m_session->setLogoutRetryDelayMs(20);
    QSignalSpy finished(m_session.get(), &Session::logoutFinished);
    QSignalSpy notice(m_session.get(), &Session::noticeChanged);

    m_api->setBaseUrl(kClosedPort);
    m_session->logOut();
    QVERIFY(!m_session->loggedIn());
    QCOMPARE(m_session->noticeText(), u"You have logged out."_s);

    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(finished.at(0).at(1).toInt(), int(Session::kLogoutAttempts));
    QCOMPARE(notice.size(), 2);
    QVERIFY2(m_session->noticeText().startsWith(u"You have logged out here, but the server could not be told: "
                                                "your session stays valid until it expires ("_s),
             qPrintable(m_session->noticeText()));
    QVERIFY(!m_session->noticeText().contains(u"%1"_s));
    QVERIFY2(!m_session->noticeText().endsWith(u"()."_s), qPrintable(m_session->noticeText())); // the expiry is said
    // And it is true: the server still takes the token.
    HttpClient client(m_backend->baseUrl());
    client.setToken(token);
    QCOMPARE(client.get(u"/api/calls/history"_s).status, 200);
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
    QSignalSpy expired(m_session.get(), &Session::expired);
    m_api->get(u"/api/calls/history"_s, this, [](const Switchboard::Gui::ApiReply &) {});
    QTRY_COMPARE(loggedIn.size(), 1);
    QVERIFY(!m_session->loggedIn());
    QCOMPARE(m_session->noticeText(), u"Your session has expired or was ended. Please log in again."_s);
    QCOMPARE(expired.size(), 1); // what the tray notifies
}

void tst_Session::expiredToken_endsTheSessionWithANotice()
{
    m_session->registerOperator(uniqueEmail(), kPassword, kPassword);
    QTRY_VERIFY(m_session->loggedIn());
    QVERIFY(m_api->token().size() > 0);
    // JWT_TTL is 5 s. The operator does nothing: the session's own check finds the token expired.
    QSignalSpy expired(m_session.get(), &Session::expired);
    m_session->setCheckIntervalMs(200);
    QTRY_VERIFY_WITH_TIMEOUT(!m_session->loggedIn(), 20000);
    QCOMPARE(m_session->noticeText(), u"Your session has expired or was ended. Please log in again."_s);
    QCOMPARE(expired.size(), 1);
}

void tst_Session::activeOperator_keepsTheSession()
{
    m_session->registerOperator(uniqueEmail(), kPassword, kPassword);
    QTRY_VERIFY(m_session->loggedIn());
    const QString first = m_api->token();
    m_session->setCheckIntervalMs(200);
    // JWT_TTL is 5 s: an operator at work for 9 s (input twice a second) stays logged in, on refreshed tokens.
    QElapsedTimer working;
    working.start();
    while (working.elapsed() < 9000) {
        QKeyEvent key(QEvent::KeyPress, Qt::Key_A, Qt::NoModifier);
        QCoreApplication::sendEvent(this, &key);
        QTest::qWait(500);
        QVERIFY2(m_session->loggedIn(), qPrintable(u"logged out after %1 ms"_s.arg(working.elapsed())));
    }
    QVERIFY(m_api->token() != first);
    HttpClient check(m_backend->baseUrl());
    check.setToken(m_api->token());
    QCOMPARE(check.get(u"/api/calls/history"_s).status, 200);
    // The first token ran out as a token does: the refreshed ones are the login's.
    check.setToken(first);
    QCOMPARE(check.get(u"/api/calls/history"_s).status, 401);
}

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
