#include "auth/authservice.h"
#include "auth/passwordhasher.h"
#include "fakes.h"
#include "pendingresult.h"
#include "printers.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QRegularExpression>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

const QByteArray kSecret = "auth-test-secret-auth-test-secret-0123456789"_ba;
constexpr int kTtl = 3600;
constexpr int kAttemptsPerMinute = 10;
constexpr int kWaitMs = 20000; // Argon2id is slow on purpose, more so next to sanitizers
const QString kEmail = u"alice@example.com"_s;
const QString kPassword = u"correct horse battery staple"_s;
const QHostAddress kClient(u"203.0.113.7"_s);

struct Harness
{
    Fakes::UserRepository users;
    Fakes::RevokedTokenRepository revoked;
    Fakes::RateLimitRepository rateLimits;
    Fakes::AuditRepository audit;
    Fakes::WriteQueue writes;
    Fakes::Clock clock;
    JwtCodec codec{kSecret, kTtl};
    AuthService service{users, revoked, rateLimits, audit, writes, codec, clock, AuthLimits{kAttemptsPerMinute, 0, true}};
};

template<typename T>
bool waitFor(const PendingResult<T> &pending)
{
    return QTest::qWaitFor([&pending]() { return pending.done(); }, kWaitMs);
}

/// Everything logged while it exists, from any thread. Replaces QTest's handler meanwhile, so
/// that nothing is lost to filters and nothing reaches the test log.
class LogCapture
{
public:
    struct Entry
    {
        QtMsgType type;
        QString category;
        QString message;
    };

    LogCapture()
    {
        s_current = this;
        m_previous = qInstallMessageHandler(&LogCapture::handle);
        QLoggingCategory::setFilterRules(u"switchboard.*=true"_s); // every level, DEBUG included
    }
    ~LogCapture()
    {
        QLoggingCategory::setFilterRules(u"switchboard.*.info=false\nswitchboard.*.debug=false"_s);
        qInstallMessageHandler(m_previous);
        s_current = nullptr;
    }

    QList<Entry> entries() const
    {
        QMutexLocker lock(&m_mutex);
        return m_entries;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        QMutexLocker lock(&s_current->m_mutex);
        s_current->m_entries.append({type, QString::fromUtf8(context.category), message});
    }

    static inline LogCapture *s_current = nullptr;
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QList<Entry> m_entries;
};

} // namespace

class tst_AuthService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void registerCreatesUserAndSession();
    void registerRejectsInvalidInput_data();
    void registerRejectsInvalidInput();
    void registerDuplicateEmail();
    void concurrentRegistrationsOfOneEmail();
    void registerStorageDown();

    void loginReturnsAWorkingToken();
    void loginIsCaseInsensitiveOnEmail();
    void wrongPasswordAndUnknownEmailLookTheSame();
    void loginRejectsMissingFields_data();
    void loginRejectsMissingFields();
    void failedLoginWarnsWithoutThePassword();
    void nothingSecretIsEverLogged();
    void loginStorageDown();

    void rateLimitPerEmail();
    void rateLimitPerClientAddress();
    void rateLimitWindowRollsOverAfterAMinute();

    void logoutRevokesTheToken();
    void refresh_continuesTheLogin_andLogoutEndsEveryToken();
    void authenticateRejectsBadTokens();
    void authenticateFailsClosedWhenStorageIsDown();
    void purgeForgetsExpiredRevocations();

private:
    std::optional<AuthSession> registerUser(const QString &email = kEmail, const QString &password = kPassword);
    PendingResult<AuthSession> login(const QString &email, const QString &password,
                                     const QHostAddress &client = kClient);
    Status logout(const Principal &principal);

    std::unique_ptr<Harness> h;
};

void tst_AuthService::initTestCase()
{
    QLoggingCategory::setFilterRules(u"switchboard.*.info=false"_s);
}

void tst_AuthService::init()
{
    h = std::make_unique<Harness>();
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void tst_AuthService::cleanup()
{
    h.reset();
}

std::optional<AuthSession> tst_AuthService::registerUser(const QString &email, const QString &password)
{
    PendingResult<AuthSession> pending;
    h->service.registerUser(email, password, kClient, pending.callback());
    if (!waitFor(pending) || !pending.ok()) {
        qWarning("registration failed: %s", pending.done() ? qPrintable(pending.errorMessage()) : "no answer");
        return std::nullopt;
    }
    return pending.value();
}

PendingResult<AuthSession> tst_AuthService::login(const QString &email, const QString &password,
                                                  const QHostAddress &client)
{
    PendingResult<AuthSession> pending;
    h->service.login(email, password, client, pending.callback());
    waitFor(pending);
    return pending;
}

Status tst_AuthService::logout(const Principal &principal)
{
    PendingResult<Done> pending;
    h->service.logout(principal, pending.callback());
    if (!waitFor(pending))
        return Error{ErrorCode::Internal, u"logout never completed"_s};
    return pending.result();
}

// --- register -------------------------------------------------------------------------------

void tst_AuthService::registerCreatesUserAndSession()
{
    PendingResult<AuthSession> pending;
    h->service.registerUser(u"  Alice@Example.COM "_s, kPassword, kClient, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QVERIFY2(pending.ok(), qPrintable(pending.errorMessage()));
    const AuthSession &session = pending.value();

    QCOMPARE(h->users.users.size(), 1);
    const User &stored = h->users.users.first();
    QCOMPARE(stored.email, kEmail);
    QVERIFY(!QUuid::fromString(stored.id).isNull());
    QCOMPARE(stored.createdAt, h->clock.now());
    QVERIFY2(stored.passwordHash.startsWith("$argon2id$"), stored.passwordHash.constData());
    QVERIFY2(!stored.passwordHash.contains(kPassword.toUtf8()), "the password is not stored");
    QVERIFY(PasswordHasher::verifyNow(kPassword, stored.passwordHash));
    QVERIFY(!PasswordHasher::verifyNow(kPassword + u'!', stored.passwordHash));

    QCOMPARE(session.user.id, stored.id);
    QCOMPARE(session.user.email, kEmail);
    QCOMPARE(session.expiresAt, h->clock.now().addSecs(kTtl));
    const Result<Principal> principal = h->service.authenticate(session.token.toLatin1());
    QVERIFY2(principal.ok(), qPrintable(principal.ok() ? QString() : principal.error().message));
    QCOMPARE(principal->userId, stored.id);
    QCOMPARE(principal->email, kEmail);
}

void tst_AuthService::registerRejectsInvalidInput_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("message");
    QTest::addRow("no email") << QString() << kPassword << u"email is required"_s;
    QTest::addRow("bad email") << u"alice"_s << kPassword << u"email is not a valid address"_s;
    QTest::addRow("long email") << QString(250, u'a') + u"@x.io"_s << kPassword
                                << u"email must be at most 254 characters"_s;
    QTest::addRow("short password") << kEmail << u"1234567"_s << u"password must be 8 to 128 characters long"_s;
    QTest::addRow("long password") << kEmail << QString(129, u'p') << u"password must be 8 to 128 characters long"_s;
}

void tst_AuthService::registerRejectsInvalidInput()
{
    QFETCH(QString, email);
    QFETCH(QString, password);
    QFETCH(QString, message);
    PendingResult<AuthSession> pending;
    h->service.registerUser(email, password, kClient, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::Validation);
    QCOMPARE(pending.errorMessage(), message);
    QVERIFY(h->users.users.isEmpty());
}

void tst_AuthService::registerDuplicateEmail()
{
    QVERIFY(registerUser());
    PendingResult<AuthSession> again;
    h->service.registerUser(u"ALICE@example.com"_s, u"another password"_s, kClient, again.callback());
    QTRY_VERIFY_WITH_TIMEOUT(again.done(), kWaitMs);
    QCOMPARE(again.errorCode(), ErrorCode::UserAlreadyExists);
    QCOMPARE(h->users.users.size(), 1);
    QVERIFY2(PasswordHasher::verifyNow(kPassword, h->users.users.first().passwordHash), "the first account is untouched");
}

void tst_AuthService::concurrentRegistrationsOfOneEmail()
{
    // Both pass the early check while neither is stored; the repository's uniqueness decides.
    PendingResult<AuthSession> first;
    PendingResult<AuthSession> second;
    h->service.registerUser(kEmail, kPassword, kClient, first.callback());
    h->service.registerUser(kEmail, kPassword, kClient, second.callback());
    QTRY_VERIFY_WITH_TIMEOUT(first.done() && second.done(), kWaitMs);
    QCOMPARE(int(first.ok()) + int(second.ok()), 1);
    QCOMPARE(first.ok() ? second.errorCode() : first.errorCode(), ErrorCode::UserAlreadyExists);
    QCOMPARE(h->users.users.size(), 1);
}

void tst_AuthService::registerStorageDown()
{
    h->users.failWith = Error::storage(u"database is down"_s);
    PendingResult<AuthSession> pending;
    h->service.registerUser(kEmail, kPassword, kClient, pending.callback());
    QTRY_VERIFY_WITH_TIMEOUT(pending.done(), kWaitMs);
    QCOMPARE(pending.errorCode(), ErrorCode::StorageUnavailable);
}

// --- login ----------------------------------------------------------------------------------

void tst_AuthService::loginReturnsAWorkingToken()
{
    const std::optional<AuthSession> registered = registerUser();
    QVERIFY(registered);
    h->clock.advance(120);

    const PendingResult<AuthSession> pending = login(kEmail, kPassword);
    QVERIFY(pending.done());
    QVERIFY2(pending.ok(), qPrintable(pending.errorMessage()));
    QCOMPARE(pending.value().user.id, registered->user.id);
    QCOMPARE(pending.value().expiresAt, h->clock.now().addSecs(kTtl));
    QVERIFY2(pending.value().token != registered->token, "every login is a token of its own");

    const Result<Principal> principal = h->service.authenticate(pending.value().token.toLatin1());
    QVERIFY2(principal.ok(), qPrintable(principal.ok() ? QString() : principal.error().message));
    QCOMPARE(principal->userId, registered->user.id);
    QCOMPARE(principal->email, kEmail);
    QCOMPARE(principal->claims.expiresAt, pending.value().expiresAt);
}

void tst_AuthService::loginIsCaseInsensitiveOnEmail()
{
    QVERIFY(registerUser());
    const PendingResult<AuthSession> pending = login(u"  ALICE@Example.com "_s, kPassword);
    QVERIFY2(pending.ok(), qPrintable(pending.done() ? pending.errorMessage() : u"no answer"_s));
    QCOMPARE(pending.value().user.email, kEmail);
}

void tst_AuthService::wrongPasswordAndUnknownEmailLookTheSame()
{
    QVERIFY(registerUser());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^failed login from 203\\.0\\.113\\.7 for user "_s));
    const PendingResult<AuthSession> wrongPassword = login(kEmail, u"not the password"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^failed login from 203\\.0\\.113\\.7 for an unknown email$"_s));
    const PendingResult<AuthSession> unknownEmail = login(u"mallory@example.com"_s, kPassword);

    QVERIFY(wrongPassword.done() && unknownEmail.done());
    QCOMPARE(wrongPassword.errorCode(), ErrorCode::InvalidCredentials);
    QCOMPARE(unknownEmail.errorCode(), ErrorCode::InvalidCredentials);
    QCOMPARE(wrongPassword.errorMessage(), unknownEmail.errorMessage());
    QCOMPARE(wrongPassword.errorMessage(), u"Invalid email or password"_s);

    // An over-long input is refused the same way, without the cost of hashing it.
    const PendingResult<AuthSession> huge = login(kEmail, QString(10000, u'x'));
    QCOMPARE(huge.errorCode(), ErrorCode::InvalidCredentials);
    QCOMPARE(huge.errorMessage(), wrongPassword.errorMessage());
}

void tst_AuthService::loginRejectsMissingFields_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("password");
    QTest::addRow("no email") << QString() << kPassword;
    QTest::addRow("blank email") << u"   "_s << kPassword;
    QTest::addRow("no password") << kEmail << QString();
}

void tst_AuthService::loginRejectsMissingFields()
{
    QFETCH(QString, email);
    QFETCH(QString, password);
    const PendingResult<AuthSession> pending = login(email, password);
    QCOMPARE(pending.errorCode(), ErrorCode::Validation);
    QCOMPARE(pending.errorMessage(), u"email and password are required"_s);
    QVERIFY2(h->rateLimits.attempts.isEmpty(), "an incomplete request is not an attempt");
}

void tst_AuthService::failedLoginWarnsWithoutThePassword()
{
    QVERIFY(registerUser());
    const QString wrong = u"Tr0ub4dor&3-wrong"_s;
    QList<LogCapture::Entry> entries;
    {
        LogCapture capture;
        const PendingResult<AuthSession> pending = login(kEmail, wrong);
        QCOMPARE(pending.errorCode(), ErrorCode::InvalidCredentials);
        entries = capture.entries();
    }

    const auto warning = std::find_if(entries.cbegin(), entries.cend(), [](const LogCapture::Entry &entry) {
        return entry.type == QtWarningMsg && entry.message.contains(u"failed login"_s);
    });
    QVERIFY2(warning != entries.cend(), "a failed login is logged as a warning");
    QCOMPARE(warning->category, u"switchboard.auth"_s);
    QVERIFY(warning->message.contains(kClient.toString()));
    for (const LogCapture::Entry &entry : std::as_const(entries)) {
        QVERIFY2(!entry.message.contains(wrong), qPrintable(entry.message));
        QVERIFY2(!entry.message.contains(kPassword), qPrintable(entry.message));
    }
}

void tst_AuthService::nothingSecretIsEverLogged()
{
    QList<LogCapture::Entry> entries;
    QStringList secrets{kPassword, u"wrong-password-123"_s, QString::fromLatin1(kSecret)};
    {
        LogCapture capture;
        const std::optional<AuthSession> registered = registerUser();
        QVERIFY(registered);
        secrets << registered->token;
        const PendingResult<AuthSession> loggedIn = login(kEmail, kPassword);
        QVERIFY(loggedIn.ok());
        secrets << loggedIn.value().token;
        QVERIFY(!login(kEmail, u"wrong-password-123"_s).ok());
        const Result<Principal> principal = h->service.authenticate(loggedIn.value().token.toLatin1());
        QVERIFY(principal.ok());
        QVERIFY(logout(*principal).ok());
        QVERIFY(!h->service.authenticate(loggedIn.value().token.toLatin1()).ok());
        bool limited = false;
        for (int i = 0; i < 2 * kAttemptsPerMinute && !limited; ++i)
            limited = login(kEmail, kPassword).errorCode() == ErrorCode::RateLimited;
        QVERIFY(limited);
        entries = capture.entries();
    }
    QVERIFY2(!entries.isEmpty(), "the flows above log something");
    for (const LogCapture::Entry &entry : std::as_const(entries)) {
        for (const QString &secret : std::as_const(secrets))
            QVERIFY2(!entry.message.contains(secret), qPrintable(entry.category + u": "_s + entry.message));
        // Not even a token's signature or payload on its own.
        for (const QString &token : secrets.mid(3)) {
            for (const QString &part : token.split(u'.'))
                QVERIFY2(!entry.message.contains(part), qPrintable(entry.message));
        }
    }
}

void tst_AuthService::loginStorageDown()
{
    QVERIFY(registerUser());
    h->rateLimits.failWith = Error::storage(u"database is down"_s);
    QCOMPARE(login(kEmail, kPassword).errorCode(), ErrorCode::StorageUnavailable);

    h->rateLimits.failWith.reset();
    h->users.failWith = Error::storage(u"database is down"_s);
    QCOMPARE(login(kEmail, kPassword).errorCode(), ErrorCode::StorageUnavailable);
}

// --- rate limits ----------------------------------------------------------------------------

void tst_AuthService::rateLimitPerEmail()
{
    QVERIFY(registerUser());
    // From a different address each time, so that only the per-email limit can trip.
    for (int i = 1; i <= kAttemptsPerMinute; ++i) {
        const PendingResult<AuthSession> pending = login(kEmail, kPassword, QHostAddress(u"198.51.100.%1"_s.arg(i)));
        QVERIFY2(pending.ok(), qPrintable(u"attempt %1: %2"_s.arg(i).arg(pending.done() ? pending.errorMessage() : u"no answer"_s)));
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"login rate limit reached for .*email:alice@example\\.com"_s));
    const PendingResult<AuthSession> eleventh = login(kEmail, kPassword, QHostAddress(u"198.51.100.200"_s));
    QCOMPARE(eleventh.errorCode(), ErrorCode::RateLimited);
    QCOMPARE(eleventh.errorMessage(), u"Too many login attempts; try again in 60 seconds"_s);

    // Another operator's email from yet another address is not held up.
    QVERIFY(registerUser(u"bob@example.com"_s));
    QVERIFY(login(u"bob@example.com"_s, kPassword, QHostAddress(u"198.51.100.201"_s)).ok());
}

void tst_AuthService::rateLimitPerClientAddress()
{
    QVERIFY(registerUser());
    // Guessing across many accounts from one address: each email is new, the address is not.
    for (int i = 1; i < kAttemptsPerMinute; ++i) {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^failed login from 203\\.0\\.113\\.7 for an unknown email$"_s));
        QCOMPARE(login(u"user%1@example.com"_s.arg(i), kPassword).errorCode(), ErrorCode::InvalidCredentials);
    }
    QVERIFY2(login(kEmail, kPassword).ok(), "the tenth attempt from the address is still allowed");

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"login rate limit reached for .*address:203\\.0\\.113\\.7"_s));
    const PendingResult<AuthSession> limited = login(kEmail, kPassword);
    QCOMPARE(limited.errorCode(), ErrorCode::RateLimited);

    // Another address is still served.
    QVERIFY(login(kEmail, kPassword, QHostAddress(u"2001:db8::1"_s)).ok());
}

void tst_AuthService::rateLimitWindowRollsOverAfterAMinute()
{
    QVERIFY(registerUser());
    for (int i = 0; i < kAttemptsPerMinute; ++i)
        QVERIFY(login(kEmail, kPassword).ok());

    h->clock.advance(59);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"login rate limit reached"_s));
    const PendingResult<AuthSession> stillLimited = login(kEmail, kPassword);
    QCOMPARE(stillLimited.errorCode(), ErrorCode::RateLimited);
    QCOMPARE(stillLimited.errorMessage(), u"Too many login attempts; try again in 1 seconds"_s);

    h->clock.advance(1);
    const PendingResult<AuthSession> newWindow = login(kEmail, kPassword);
    QVERIFY2(newWindow.ok(), qPrintable(newWindow.done() ? newWindow.errorMessage() : u"no answer"_s));
}

// --- tokens ---------------------------------------------------------------------------------

void tst_AuthService::logoutRevokesTheToken()
{
    QVERIFY(registerUser());
    const PendingResult<AuthSession> first = login(kEmail, kPassword);
    const PendingResult<AuthSession> second = login(kEmail, kPassword);
    QVERIFY(first.ok() && second.ok());
    const QByteArray token = first.value().token.toLatin1();

    const Result<Principal> principal = h->service.authenticate(token);
    QVERIFY(principal.ok());
    QVERIFY(logout(*principal).ok());
    // The login is revoked (its first token's jti names it) until its last possible token expires.
    QCOMPARE(principal->claims.sessionId, principal->claims.jti);
    QCOMPARE(h->revoked.revoked.value(principal->claims.sessionId), h->codec.sessionEnd(principal->claims));

    const Result<Principal> after = h->service.authenticate(token);
    QVERIFY(!after.ok());
    QCOMPARE(after.error().code, ErrorCode::Unauthenticated);
    QVERIFY2(after.error().message.contains(u"revoked"_s), qPrintable(after.error().message));

    QVERIFY2(h->service.authenticate(second.value().token.toLatin1()).ok(), "other sessions stay logged in");
    QVERIFY2(logout(*principal).ok(), "a second logout of the same token is harmless");
}

void tst_AuthService::refresh_continuesTheLogin_andLogoutEndsEveryToken()
{
    QVERIFY(registerUser());
    const PendingResult<AuthSession> login = this->login(kEmail, kPassword);
    QVERIFY(login.ok());
    const Result<Principal> first = h->service.authenticate(login.value().token.toLatin1());
    QVERIFY(first.ok());

    h->clock.advance(60);
    const Result<AuthSession> refreshed = h->service.refresh(*first);
    QVERIFY2(refreshed.ok(), qPrintable(refreshed.ok() ? QString() : refreshed.error().message));
    QCOMPARE(refreshed->user.id, first->userId);
    QCOMPARE(refreshed->expiresAt, first->claims.expiresAt.addSecs(60));
    const Result<Principal> second = h->service.authenticate(refreshed->token.toLatin1());
    QVERIFY(second.ok());
    QVERIFY(second->claims.jti != first->claims.jti);
    QCOMPARE(second->claims.sessionId, first->claims.sessionId);
    QCOMPARE(second->claims.authTime, first->claims.authTime);

    // Logging out with the new token ends the old one too: they are one login.
    QVERIFY(logout(*second).ok());
    QVERIFY(!h->service.authenticate(login.value().token.toLatin1()).ok());
    QVERIFY(!h->service.authenticate(refreshed->token.toLatin1()).ok());
}

void tst_AuthService::authenticateRejectsBadTokens()
{
    const std::optional<AuthSession> session = registerUser();
    QVERIFY(session);
    const QByteArray token = session->token.toLatin1();

    for (const QByteArray &bad : {QByteArray(), "garbage"_ba, token + 'x', "Bearer " + token}) {
        const Result<Principal> principal = h->service.authenticate(bad);
        QVERIFY(!principal.ok());
        QCOMPARE(principal.error().code, ErrorCode::Unauthenticated);
    }

    const JwtCodec otherKey("another-secret-another-secret-another-secret"_ba, kTtl);
    const QString forged = otherKey.issue(session->user.id, kEmail, h->clock.now()).token;
    QCOMPARE(h->service.authenticate(forged.toLatin1()).error().code, ErrorCode::Unauthenticated);

    h->clock.advance(kTtl);
    const Result<Principal> expired = h->service.authenticate(token);
    QVERIFY(!expired.ok());
    QCOMPARE(expired.error().code, ErrorCode::Unauthenticated);
    QVERIFY2(expired.error().message.contains(u"expired"_s), qPrintable(expired.error().message));
}

void tst_AuthService::authenticateFailsClosedWhenStorageIsDown()
{
    const std::optional<AuthSession> session = registerUser();
    QVERIFY(session);
    h->revoked.failWith = Error::storage(u"database is down"_s);
    const Result<Principal> principal = h->service.authenticate(session->token.toLatin1());
    QVERIFY2(!principal.ok(), "a token whose revocation cannot be checked is not accepted");
    QCOMPARE(principal.error().code, ErrorCode::StorageUnavailable);

    h->revoked.failWith.reset();
    QVERIFY(h->service.authenticate(session->token.toLatin1()).ok());
    h->revoked.failWith = Error::storage(u"database is down"_s);
    const Principal someone{session->user.id, kEmail, {}};
    QCOMPARE(logout(someone).error().code, ErrorCode::StorageUnavailable);
}

void tst_AuthService::purgeForgetsExpiredRevocations()
{
    QVERIFY(registerUser());
    const PendingResult<AuthSession> early = login(kEmail, kPassword);
    QVERIFY(early.ok());
    h->clock.advance(kTtl / 2);
    const PendingResult<AuthSession> late = login(kEmail, kPassword);
    QVERIFY(late.ok());
    QString lateSession;
    for (const auto *session : {&early, &late}) {
        const Result<Principal> principal = h->service.authenticate(session->value().token.toLatin1());
        QVERIFY(principal.ok());
        QVERIFY(logout(*principal).ok());
        lateSession = principal->claims.sessionId;
    }
    QCOMPARE(h->revoked.revoked.size(), 2);

    // A login's revocation is kept while any token refreshed from it could live: its maximum age.
    h->clock.advance(JwtCodec::kDefaultMaxAgeSeconds - kTtl / 2 + 1); // the early login is over, the late one is not
    h->service.purgeExpired();
    QCOMPARE(h->revoked.revoked.size(), 1);
    QVERIFY(h->revoked.revoked.contains(lateSession));
}

QTEST_GUILESS_MAIN(tst_AuthService)
#include "tst_authservice.moc"
