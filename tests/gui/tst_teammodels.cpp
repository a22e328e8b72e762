// The admin's team models against the real backend over HTTP: UsersModel lists the accounts,
// adds one, changes its role, disables and enables it and resets its password (each checked
// against what the server then does), keeps the last active admin, and says in words why an
// operator's token is refused; AuditModel pages the trail newest first and filters it by actor
// and action, in words; CallingPolicy reads the codes an admin types.

#include "apiclient.h"
#include "auditmodel.h"
#include "callingpolicy.h"
#include "httpclient.h"
#include "testbackend.h"
#include "usersmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::AuditModel;
using Switchboard::Gui::CallingPolicy;
using Switchboard::Gui::UsersModel;

namespace {

const QString kPassword = u"correct horse battery"_s;
const QString kNotAllowed = u"You are not allowed to do this."_s;

/// The row of `email`, or -1.
int rowOf(const UsersModel &model, const QString &email)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row).data(UsersModel::EmailRole).toString() == email)
            return row;
    }
    return -1;
}

int loginStatus(const QUrl &baseUrl, const QString &email, const QString &password)
{
    HttpClient client(baseUrl);
    return client.post(u"/api/auth/login"_s, {{u"email"_s, email}, {u"password"_s, password}}).status;
}

} // namespace

class tst_TeamModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void users_listed();
    void users_addChangeRoleDisableResetPassword();
    void users_addRefused_inWords_data();
    void users_addRefused_inWords();
    void users_lastActiveAdminIsKept();
    void users_operatorTokenRefused();
    void audit_newestFirst_paged();
    void audit_filteredByActorAndAction();
    void audit_operatorTokenRefused();
    void serverGone_isErrorText();
    void policy_countriesAsTyped_data();
    void policy_countriesAsTyped();

private:
    std::unique_ptr<ApiClient> apiAs(const QString &token) const;

    std::unique_ptr<TestBackend> m_backend;
    QString m_adminEmail;
    QString m_adminToken;
    QString m_operatorEmail;
    QString m_operatorToken;
};

void tst_TeamModels::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    // The first account is the admin; the second registers as an operator.
    for (QString *email : {&m_adminEmail, &m_operatorEmail}) {
        *email = HttpClient::uniqueEmail(email == &m_adminEmail ? u"admin"_s : u"operator"_s);
        HttpClient client(m_backend->baseUrl());
        const HttpResult registered = client.post(u"/api/auth/register"_s, {{u"email"_s, *email}, {u"password"_s, kPassword}});
        QCOMPARE(registered.status, 201);
        (email == &m_adminEmail ? m_adminToken : m_operatorToken) = registered.json.value(u"token"_s).toString();
    }
}

void tst_TeamModels::cleanupTestCase()
{
    m_backend.reset();
}

std::unique_ptr<ApiClient> tst_TeamModels::apiAs(const QString &token) const
{
    auto api = std::make_unique<ApiClient>();
    api->setBaseUrl(m_backend->baseUrl());
    api->setToken(token);
    return api;
}

void tst_TeamModels::users_listed()
{
    const auto api = apiAs(m_adminToken);
    UsersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(api.get());
    model.reload();
    QVERIFY(model.loading());
    QTRY_VERIFY(!model.loading());
    QVERIFY(model.errorText().isEmpty());
    QVERIFY(model.rowCount() >= 2);

    // Oldest first, as the server lists them: the admin registered first.
    const QModelIndex admin = model.index(0);
    QCOMPARE(admin.data(UsersModel::EmailRole).toString(), m_adminEmail);
    QCOMPARE(admin.data(UsersModel::RoleRole).toString(), u"admin"_s);
    QCOMPARE(admin.data(UsersModel::RoleTextRole).toString(), u"Admin"_s);
    QCOMPARE(admin.data(UsersModel::DisabledRole).toBool(), false);
    QVERIFY(!admin.data(UsersModel::CreatedTextRole).toString().isEmpty());
    QVERIFY(!admin.data(UsersModel::UserIdRole).toString().isEmpty());
    const QModelIndex operatorRow = model.index(rowOf(model, m_operatorEmail));
    QCOMPARE(operatorRow.data(UsersModel::RoleTextRole).toString(), u"Operator"_s);
    QCOMPARE(model.roleChoices(), (QVariantList{QVariantMap{{u"value"_s, u"operator"_s}, {u"text"_s, u"Operator"_s}},
                                                QVariantMap{{u"value"_s, u"admin"_s}, {u"text"_s, u"Admin"_s}}}));
}

void tst_TeamModels::users_addChangeRoleDisableResetPassword()
{
    const auto api = apiAs(m_adminToken);
    UsersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(api.get());
    model.reload();
    QTRY_VERIFY(model.rowCount() >= 2);
    const int before = model.rowCount();

    // Added: one row more, an operator who can log in.
    QSignalSpy added(&model, &UsersModel::added);
    QSignalSpy inserted(&model, &UsersModel::rowsInserted);
    const QString email = HttpClient::uniqueEmail(u"added"_s);
    model.addUser(email, kPassword, u"operator"_s);
    QTRY_COMPARE(added.size(), 1);
    QCOMPARE(added.at(0).at(0).toBool(), true);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), before + 1);
    const int row = rowOf(model, email);
    QCOMPARE(row, before);
    const QString userId = model.index(row).data(UsersModel::UserIdRole).toString();
    QCOMPARE(model.index(row).data(UsersModel::RoleRole).toString(), u"operator"_s);
    QCOMPARE(loginStatus(m_backend->baseUrl(), email, kPassword), 200);

    // Made an admin: the row says so once the server has, and the server lists it so.
    QSignalSpy changed(&model, &UsersModel::changed);
    model.setRole(userId, u"admin"_s);
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toBool(), true);
    QCOMPARE(model.index(row).data(UsersModel::RoleTextRole).toString(), u"Admin"_s);
    HttpClient admin(m_backend->baseUrl());
    admin.setToken(m_adminToken);
    const auto listedRole = [&admin, &email] {
        for (const QJsonValue &user : admin.get(u"/api/users"_s).json.value(u"users"_s).toArray()) {
            if (user[u"email"_s].toString() == email)
                return user[u"role"_s].toString();
        }
        return QString();
    };
    QCOMPARE(listedRole(), u"admin"_s);
    model.setRole(userId, u"operator"_s); // back, so that the first admin is the only one again
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(listedRole(), u"operator"_s);

    // Disabled: the account can no longer log in; enabled, it can again.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"login refused to disabled user"_s));
    model.setDisabled(userId, true);
    QTRY_COMPARE(changed.size(), 3);
    QCOMPARE(model.index(row).data(UsersModel::DisabledRole).toBool(), true);
    QCOMPARE(loginStatus(m_backend->baseUrl(), email, kPassword), 403);
    model.setDisabled(userId, false);
    QTRY_COMPARE(changed.size(), 4);
    QCOMPARE(model.index(row).data(UsersModel::DisabledRole).toBool(), false);
    QCOMPARE(loginStatus(m_backend->baseUrl(), email, kPassword), 200);

    // A new password: the old one no longer works.
    QSignalSpy reset(&model, &UsersModel::passwordReset);
    const QString newPassword = u"a new horse battery"_s;
    model.resetPassword(userId, newPassword, newPassword);
    QTRY_COMPARE(reset.size(), 1);
    QCOMPARE(reset.at(0).at(0).toBool(), true);
    QCOMPARE(loginStatus(m_backend->baseUrl(), email, newPassword), 200);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"failed login"_s));
    QCOMPARE(loginStatus(m_backend->baseUrl(), email, kPassword), 401);
    QCOMPARE(changed.size(), 4); // each change told on its own signal
}

void tst_TeamModels::users_addRefused_inWords_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("text");
    QTest::addRow("no email") << u" "_s << kPassword << u"Enter your email address."_s;
    QTest::addRow("short password") << HttpClient::uniqueEmail() << u"short"_s
                                    << u"The password must have at least 8 characters."_s;
    QTest::addRow("taken") << QString() << kPassword << u"An operator with this email already exists."_s;
    QTest::addRow("not an email") << u"nobody"_s << kPassword << u"Please check the data you entered."_s;
}

void tst_TeamModels::users_addRefused_inWords()
{
    QFETCH(QString, email);
    QFETCH(QString, password);
    QFETCH(QString, text);
    const auto api = apiAs(m_adminToken);
    UsersModel model;
    model.setClient(api.get());
    QSignalSpy added(&model, &UsersModel::added);
    model.addUser(email.isNull() ? m_operatorEmail : email, password, u"operator"_s);
    QTRY_COMPARE(added.size(), 1);
    QCOMPARE(added.at(0).at(0).toBool(), false);
    QCOMPARE(added.at(0).at(1).toString(), text);
    QCOMPARE(model.rowCount(), 0);
}

void tst_TeamModels::users_lastActiveAdminIsKept()
{
    const auto api = apiAs(m_adminToken);
    UsersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(api.get());
    model.reload();
    QTRY_VERIFY(model.rowCount() >= 2);
    const int row = rowOf(model, m_adminEmail);
    const QString adminId = model.index(row).data(UsersModel::UserIdRole).toString();

    QSignalSpy changed(&model, &UsersModel::changed);
    model.setRole(adminId, u"operator"_s);
    QTRY_COMPARE(changed.size(), 1);
    model.setDisabled(adminId, true);
    QTRY_COMPARE(changed.size(), 2);
    const QString text = u"The team must keep an active admin. Make someone else an admin first."_s;
    for (const QList<QVariant> &answer : changed) {
        QCOMPARE(answer.at(0).toBool(), false);
        QCOMPARE(answer.at(1).toString(), text);
    }
    QCOMPARE(model.index(row).data(UsersModel::RoleRole).toString(), u"admin"_s);
    QCOMPARE(model.index(row).data(UsersModel::DisabledRole).toBool(), false);

    QSignalSpy reset(&model, &UsersModel::passwordReset);
    model.resetPassword(adminId, kPassword, kPassword + u'!');
    QCOMPARE(reset.size(), 1); // told at once, nothing sent
    QCOMPARE(reset.at(0).at(1).toString(), u"The passwords do not match."_s);
}

void tst_TeamModels::users_operatorTokenRefused()
{
    const auto api = apiAs(m_operatorToken);
    UsersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(api.get());
    model.reload();
    QTRY_COMPARE(model.errorText(), kNotAllowed);
    QCOMPARE(model.rowCount(), 0);

    QSignalSpy added(&model, &UsersModel::added);
    model.addUser(HttpClient::uniqueEmail(), kPassword, u"admin"_s);
    QTRY_COMPARE(added.size(), 1);
    QCOMPARE(added.at(0).at(1).toString(), kNotAllowed);
}

void tst_TeamModels::audit_newestFirst_paged()
{
    const auto api = apiAs(m_adminToken);
    AuditModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(api.get());
    model.setPageSize(3);
    model.reload();
    QTRY_VERIFY(!model.loading() && model.rowCount() > 0);
    QVERIFY(model.errorText().isEmpty());
    QVERIFY2(model.total() > 6, qPrintable(QString::number(model.total()))); // two registrations, the changes, logins
    QCOMPARE(model.page(), 1);
    QCOMPARE(model.pageCount(), (model.total() + 2) / 3);
    QCOMPARE(model.rowCount(), 3);
    const auto ids = [&model] {
        QList<qint64> ids;
        for (int row = 0; row < model.rowCount(); ++row)
            ids.append(model.index(row).data(AuditModel::EventIdRole).toLongLong());
        return ids;
    };
    const QList<qint64> first = ids();
    QVERIFY(std::is_sorted(first.crbegin(), first.crend())); // newest first
    QVERIFY(!model.index(0).data(AuditModel::AtTextRole).toString().isEmpty());

    model.nextPage();
    QTRY_COMPARE(model.page(), 2);
    QVERIFY(ids().constFirst() < first.constLast());
    model.previousPage();
    QTRY_COMPARE(model.page(), 1);
    QCOMPARE(ids(), first);
    model.previousPage(); // there is none before the first
    QVERIFY(!model.loading());
}

void tst_TeamModels::audit_filteredByActorAndAction()
{
    const auto api = apiAs(m_adminToken);
    AuditModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(api.get());
    const QVariantList choices = model.actionChoices();
    QVERIFY(choices.contains(QVariantMap{{u"value"_s, u"user_changed"_s}, {u"text"_s, u"Account changed"_s}}));
    QVERIFY(choices.contains(QVariantMap{{u"value"_s, u"login_failed"_s}, {u"text"_s, u"Login failed"_s}}));

    model.setActionFilter(u"user_changed"_s);
    QTRY_VERIFY(!model.loading() && model.rowCount() > 0);
    QStringList details;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex event = model.index(row);
        QCOMPARE(event.data(AuditModel::ActionRole).toString(), u"user_changed"_s);
        QCOMPARE(event.data(AuditModel::ActionTextRole).toString(), u"Account changed"_s);
        QCOMPARE(event.data(AuditModel::ActorEmailRole).toString(), m_adminEmail);
        QVERIFY(event.data(AuditModel::TargetRole).toString().startsWith(u"added-"_s));
        QCOMPARE(event.data(AuditModel::ClientRole).toString(), u"127.0.0.1"_s);
        details.append(event.data(AuditModel::DetailRole).toString());
    }
    // Newest first, in words: the password reset last, the promotion first.
    QCOMPARE(details.constFirst(), u"password reset"_s);
    QVERIFY2(details.contains(u"disabled"_s) && details.contains(u"enabled"_s), qPrintable(details.join(u'|')));
    QCOMPARE(details.constLast(), u"made an admin"_s);

    model.setActionFilter(u"user_created"_s);
    QTRY_VERIFY(!model.loading() && model.rowCount() == 1);
    QCOMPARE(model.index(0).data(AuditModel::ActionTextRole).toString(), u"Account added"_s);
    QCOMPARE(model.index(0).data(AuditModel::DetailRole).toString(), u"Operator"_s);

    // By actor: the operator's own login, and nothing the admin did.
    QCOMPARE(loginStatus(m_backend->baseUrl(), m_operatorEmail, kPassword), 200);
    model.setActionFilter({});
    model.setActorFilter(m_operatorEmail);
    QTRY_VERIFY(!model.loading());
    QCOMPARE(model.page(), 1);
    QVERIFY(model.rowCount() > 0);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.index(row).data(AuditModel::ActorEmailRole).toString(), m_operatorEmail);
    QCOMPARE(model.index(0).data(AuditModel::ActionTextRole).toString(), u"Logged in"_s);
    model.setActionFilter(u"user_changed"_s);
    QTRY_VERIFY(!model.loading());
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.total(), 0);
    QCOMPARE(model.pageCount(), 1);
}

void tst_TeamModels::audit_operatorTokenRefused()
{
    const auto api = apiAs(m_operatorToken);
    AuditModel model;
    model.setClient(api.get());
    model.reload();
    QTRY_COMPARE(model.errorText(), kNotAllowed);
    QCOMPARE(model.rowCount(), 0);
}

void tst_TeamModels::serverGone_isErrorText()
{
    ApiClient api;
    api.setBaseUrl(QUrl(u"http://127.0.0.1:1"_s));
    api.setToken(u"whatever"_s);
    UsersModel users;
    users.setClient(&api);
    users.reload();
    AuditModel audit;
    audit.setClient(&api);
    audit.reload();
    CallingPolicy policy;
    policy.setClient(&api);
    policy.reload();
    const QString unreachable = u"The Switchboard server cannot be reached."_s;
    QTRY_COMPARE(users.errorText(), unreachable);
    QTRY_COMPARE(audit.errorText(), unreachable);
    QTRY_COMPARE(policy.errorText(), unreachable);
    QVERIFY(!policy.loaded());
}

void tst_TeamModels::policy_countriesAsTyped_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QStringList>("codes");
    QTest::addRow("empty: every country") << u"  "_s << QStringList();
    QTest::addRow("commas") << u"GB,DE"_s << QStringList{u"GB"_s, u"DE"_s};
    QTest::addRow("spaces, semicolons, small letters") << u" gb; de  fr,"_s << QStringList{u"GB"_s, u"DE"_s, u"FR"_s};
    QTest::addRow("twice") << u"GB, gb"_s << QStringList{u"GB"_s};
    QTest::addRow("left for the server to judge") << u"GBR, 12"_s << QStringList{u"GBR"_s, u"12"_s};
}

void tst_TeamModels::policy_countriesAsTyped()
{
    QFETCH(QString, typed);
    QFETCH(QStringList, codes);
    QCOMPARE(CallingPolicy::parseCountries(typed), codes);
}

QTEST_GUILESS_MAIN(tst_TeamModels)
#include "tst_teammodels.moc"
