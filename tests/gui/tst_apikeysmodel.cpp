// ApiKeysModel against the real backend over HTTP: the operator's keys listed without secrets,
// revoked from the model (the key is refused from then on), and the error state.

#include "apiclient.h"
#include "apikeysmodel.h"
#include "httpclient.h"
#include "testbackend.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::ApiKeysModel;

class tst_ApiKeysModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void rows_listKeysWithoutSecrets_thenRevoke();
    void serverGone_isErrorText();

private:
    std::unique_ptr<TestBackend> m_backend;
};

void tst_ApiKeysModel::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
}

void tst_ApiKeysModel::cleanupTestCase()
{
    m_backend.reset();
}

void tst_ApiKeysModel::rows_listKeysWithoutSecrets_thenRevoke()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser();
    QStringList secrets;
    for (const QString &name : {u"first"_s, u"second"_s}) {
        const HttpResult created =
            owner.post(u"/api/keys"_s, {{u"name"_s, name}, {u"scopes"_s, QJsonArray{u"calls:read"_s}}});
        QCOMPARE(created.status, 201);
        secrets.append(created.json.value(u"key"_s).toString());
    }
    HttpClient used(m_backend->baseUrl());
    used.setToken(secrets.at(1));
    QCOMPARE(used.get(u"/api/calls/history"_s).status, 200);
    // The use is recorded by the writer after the answer (it is not worth a commit per request).
    const auto usedIsRecorded = [&owner] {
        const QJsonArray keys = owner.get(u"/api/keys"_s).json.value(u"keys"_s).toArray();
        return std::any_of(keys.begin(), keys.end(), [](const QJsonValue &key) {
            return !key.toObject().value(u"last_used_at"_s).isNull();
        });
    };
    QTRY_VERIFY(usedIsRecorded());

    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(owner.token());
    ApiKeysModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&api);
    QTRY_COMPARE(model.rowCount(), 2);
    QVERIFY(!model.loading());
    QVERIFY(model.errorText().isEmpty());

    // Newest first; the secret appears nowhere, its prefix does; the used key shows when.
    const QModelIndex newest = model.index(0);
    QCOMPARE(newest.data(ApiKeysModel::NameRole).toString(), u"second"_s);
    QCOMPARE(newest.data(ApiKeysModel::PrefixRole).toString(), secrets.at(1).left(8));
    QCOMPARE(newest.data(ApiKeysModel::ScopesTextRole).toString(), u"calls:read"_s);
    QVERIFY(!newest.data(ApiKeysModel::CreatedTextRole).toString().isEmpty());
    QVERIFY(!newest.data(ApiKeysModel::LastUsedTextRole).toString().isEmpty());
    QVERIFY(model.index(1).data(ApiKeysModel::LastUsedTextRole).toString().isEmpty());
    for (int role : model.roleNames().keys()) {
        for (int row = 0; row < 2; ++row)
            QVERIFY(!model.index(row).data(role).toString().contains(secrets.at(row == 0 ? 1 : 0).mid(8)));
    }

    model.revoke(newest.data(ApiKeysModel::KeyIdRole).toString());
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data(ApiKeysModel::NameRole).toString(), u"first"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^rejected token on .* Invalid or revoked API key$"_s));
    QCOMPARE(used.get(u"/api/calls/history"_s).status, 401);
}

void tst_ApiKeysModel::serverGone_isErrorText()
{
    ApiClient api;
    api.setBaseUrl(QUrl(u"http://127.0.0.1:1"_s));
    api.setToken(u"whatever"_s);
    ApiKeysModel model;
    model.setClient(&api);
    QTRY_VERIFY(!model.errorText().isEmpty());
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(tst_ApiKeysModel)
#include "tst_apikeysmodel.moc"
