// CallingPolicy against the real backend's GET and PUT /api/policy: the policy an admin reads,
// saves (the server's answer is what the properties then show, with who saved it and when), the
// server's refusal of a bad country code or a negative limit in words, and an operator's token
// refused.
//
// Not in the build until the backend has /api/policy (see tests/gui/CMakeLists.txt).

#include "apiclient.h"
#include "callingpolicy.h"
#include "httpclient.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::CallingPolicy;

class tst_CallingPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void readThenSave();
    void refusedInWords_data();
    void refusedInWords();
    void operatorTokenRefused();

private:
    std::unique_ptr<ApiClient> apiAs(const QString &token) const;

    std::unique_ptr<TestBackend> m_backend;
    QString m_adminEmail;
    QString m_adminToken;
    QString m_operatorToken;
};

void tst_CallingPolicy::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    HttpClient admin(m_backend->baseUrl()); // the first account: the admin
    admin.registerUser(u"admin"_s);
    m_adminToken = admin.token();
    m_adminEmail = admin.get(u"/api/users"_s).json.value(u"users"_s).toArray().at(0)[u"email"_s].toString();
    HttpClient operatorClient(m_backend->baseUrl());
    operatorClient.registerUser();
    m_operatorToken = operatorClient.token();
}

void tst_CallingPolicy::cleanupTestCase()
{
    m_backend.reset();
}

std::unique_ptr<ApiClient> tst_CallingPolicy::apiAs(const QString &token) const
{
    auto api = std::make_unique<ApiClient>();
    api->setBaseUrl(m_backend->baseUrl());
    api->setToken(token);
    return api;
}

void tst_CallingPolicy::readThenSave()
{
    const auto api = apiAs(m_adminToken);
    CallingPolicy policy;
    policy.setClient(api.get());
    policy.reload();
    QVERIFY(policy.busy());
    QTRY_VERIFY(policy.loaded());
    QVERIFY(!policy.busy());
    QVERIFY(policy.errorText().isEmpty());

    QSignalSpy saved(&policy, &CallingPolicy::saved);
    policy.save(u"gb, de"_s, 40, 1800, 3);
    QTRY_COMPARE(saved.size(), 1);
    QCOMPARE(saved.at(0).at(0).toBool(), true);
    // As the server stores them: upper-case, sorted.
    QCOMPARE(policy.allowedCountries(), (QStringList{u"DE"_s, u"GB"_s}));
    QCOMPARE(policy.allowedCountriesText(), u"DE, GB"_s);
    QCOMPARE(policy.callsPerOperatorPerDay(), 40);
    QCOMPARE(policy.maxCallDurationSeconds(), 1800);
    QCOMPARE(policy.maxConcurrentCalls(), 3);
    QCOMPARE(policy.updatedBy(), m_adminEmail);
    QVERIFY(!policy.updatedAtText().isEmpty());

    // What another console reads is what was saved; every country again with an empty list.
    CallingPolicy other;
    other.setClient(api.get());
    other.reload();
    QTRY_VERIFY(other.loaded());
    QCOMPARE(other.allowedCountries(), policy.allowedCountries());
    policy.save(QString(), 0, 0, 0);
    QTRY_COMPARE(saved.size(), 2);
    QVERIFY(policy.allowedCountries().isEmpty());
}

void tst_CallingPolicy::refusedInWords_data()
{
    QTest::addColumn<QString>("countries");
    QTest::addColumn<int>("perDay");
    QTest::addRow("not a country") << u"GB, XX"_s << 10;
    QTest::addRow("three letters") << u"GBR"_s << 10;
    QTest::addRow("a negative limit") << u"GB"_s << -1;
}

void tst_CallingPolicy::refusedInWords()
{
    QFETCH(QString, countries);
    QFETCH(int, perDay);
    const auto api = apiAs(m_adminToken);
    CallingPolicy policy;
    policy.setClient(api.get());
    QSignalSpy saved(&policy, &CallingPolicy::saved);
    policy.save(countries, perDay, 0, 0);
    QTRY_COMPARE(saved.size(), 1);
    QCOMPARE(saved.at(0).at(0).toBool(), false);
    QCOMPARE(saved.at(0).at(1).toString(),
             u"Check the country codes (two letters, such as GB or DE) and that no limit is negative."_s);
}

void tst_CallingPolicy::operatorTokenRefused()
{
    const auto api = apiAs(m_operatorToken);
    CallingPolicy policy;
    policy.setClient(api.get());
    policy.reload();
    QTRY_COMPARE(policy.errorText(), u"You are not allowed to do this."_s);
    QVERIFY(!policy.loaded());
    QSignalSpy saved(&policy, &CallingPolicy::saved);
    policy.save(u"GB"_s, 1, 1, 1);
    QTRY_COMPARE(saved.size(), 1);
    QCOMPARE(saved.at(0).at(1).toString(), u"You are not allowed to do this."_s);
}

QTEST_GUILESS_MAIN(tst_CallingPolicy)
#include "tst_callingpolicy.moc"
