// The dashboard's figures over HTTP (issue 12): GET /api/stats/calls counts calls per hour by
// status, the average duration and the quality bands from what the server stored; an operator
// sees its own calls, an admin the team's or one operator's; bad ranges are 400.

#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

QString isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString statsPath(const QDateTime &from, const QDateTime &to, const QString &userId = {})
{
    QUrlQuery query;
    query.addQueryItem(u"from"_s, isoUtc(from));
    query.addQueryItem(u"to"_s, isoUtc(to));
    if (!userId.isEmpty())
        query.addQueryItem(u"user_id"_s, userId);
    return u"/api/stats/calls?"_s + query.toString(QUrl::FullyEncoded);
}

/// The calls of every listed hour, summed per status.
QHash<QString, int> byStatus(const QJsonObject &stats)
{
    QHash<QString, int> sums;
    for (const QJsonValue &hour : stats.value(u"hours"_s).toArray()) {
        for (const QString status : {u"initiated"_s, u"connecting"_s, u"active"_s, u"completed"_s, u"failed"_s,
                                     u"canceled"_s})
            sums[status] += hour.toObject().value(status).toInt();
    }
    return sums;
}

} // namespace

class tst_CallActivity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void operator_seesItsOwnCallsPerHour();
    void admin_seesTheTeamOrOneOperator();
    void operator_cannotReadAnotherOperator();
    void badRanges_are400_data();
    void badRanges_are400();
    void rangeIsCountedInWholeHours();
    void apiKey_needsCallsRead();

private:
    void placeAndEnd(HttpClient &client, bool answer);

    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<HttpClient> m_admin;
    std::unique_ptr<HttpClient> m_operator;
    std::unique_ptr<HttpClient> m_other;
    QString m_operatorId;
    QString m_otherId;
    QDateTime m_from;
    QDateTime m_to;
};

void tst_CallActivity::initTestCase()
{
    // The far end picks up after a second of ringback without waiting for a softphone: a call
    // hung up at once is canceled, one hung up after the pick-up completed.
    m_backend = std::make_unique<TestBackend>(
        QHash<QString, QString>{{u"VOIP_MOCK_ANSWER_WINDOW_MS"_s, u"0"_s}, {u"VOIP_MOCK_RINGBACK_MS"_s, u"1000"_s}});
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    m_admin = std::make_unique<HttpClient>(m_backend->baseUrl());
    m_operator = std::make_unique<HttpClient>(m_backend->baseUrl());
    m_other = std::make_unique<HttpClient>(m_backend->baseUrl());
    QVERIFY(!m_admin->registerUser(u"admin"_s).isEmpty());
    m_operatorId = m_operator->registerUser(u"operator"_s);
    m_otherId = m_other->registerUser(u"other"_s);
    QVERIFY(!m_operatorId.isEmpty() && !m_otherId.isEmpty());

    m_from = QDateTime::currentDateTimeUtc().addSecs(-3600);
    for (auto [client, answer] : {std::pair{m_operator.get(), true}, std::pair{m_operator.get(), true},
                                  std::pair{m_operator.get(), false}, std::pair{m_other.get(), true}}) {
        placeAndEnd(*client, answer);
        if (QTest::currentTestFailed())
            return;
    }
    m_to = QDateTime::currentDateTimeUtc().addSecs(3600);
}

void tst_CallActivity::cleanupTestCase()
{
    m_backend.reset();
}

/// Places a call and ends it: completed after it became active, or canceled before.
void tst_CallActivity::placeAndEnd(HttpClient &client, bool answer)
{
    const HttpResult placed = client.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+49 151 23456789"_s}});
    QCOMPARE(placed.status, 200);
    const QString callId = placed.json.value(u"call_id"_s).toString();
    if (answer) {
        QTRY_COMPARE_WITH_TIMEOUT(client.get(u"/api/calls/"_s + callId).json.value(u"status"_s).toString(),
                                  u"active"_s, 10000);
        QTest::qWait(1100); // a whole second of talk
    }
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);
}

void tst_CallActivity::operator_seesItsOwnCallsPerHour()
{
    const HttpResult stats = m_operator->get(statsPath(m_from, m_to));
    QCOMPARE(stats.status, 200);
    QCOMPARE(stats.json.value(u"user_id"_s).toString(), m_operatorId);
    QCOMPARE(stats.json.value(u"calls"_s).toInt(), 3);
    QCOMPARE(stats.json.value(u"completed"_s).toInt(), 2);
    QVERIFY(stats.json.value(u"average_duration_seconds"_s).toDouble() >= 1.0);
    const QHash<QString, int> sums = byStatus(stats.json);
    QCOMPARE(sums.value(u"completed"_s), 2);
    QCOMPARE(sums.value(u"canceled"_s), 1);
    QCOMPARE(sums.value(u"active"_s), 0);
    for (const QJsonValue &hour : stats.json.value(u"hours"_s).toArray()) {
        const QDateTime start = QDateTime::fromString(hour.toObject().value(u"hour"_s).toString(), Qt::ISODateWithMs);
        QVERIFY(start.isValid() && start.time().minute() == 0 && start.time().second() == 0);
    }
    // Every band is listed; the mock's calls end with a measured MOS only when media flowed.
    const QJsonObject quality = stats.json.value(u"quality"_s).toObject();
    QCOMPARE(quality.keys(), (QStringList{u"bad"_s, u"excellent"_s, u"fair"_s, u"good"_s, u"poor"_s}));
}

void tst_CallActivity::admin_seesTheTeamOrOneOperator()
{
    const HttpResult team = m_admin->get(statsPath(m_from, m_to));
    QCOMPARE(team.status, 200);
    QVERIFY(team.json.value(u"user_id"_s).isNull());
    QCOMPARE(team.json.value(u"calls"_s).toInt(), 4);
    QCOMPARE(byStatus(team.json).value(u"completed"_s), 3);

    const HttpResult one = m_admin->get(statsPath(m_from, m_to, m_otherId));
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json.value(u"user_id"_s).toString(), m_otherId);
    QCOMPARE(one.json.value(u"calls"_s).toInt(), 1);
}

void tst_CallActivity::operator_cannotReadAnotherOperator()
{
    const HttpResult refused = m_operator->get(statsPath(m_from, m_to, m_otherId));
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.errorType(), u"unauthorized"_s); // the spec's word for a 403
    QVERIFY(refused.isErrorFormat());
    // Its own id is fine.
    QCOMPARE(m_operator->get(statsPath(m_from, m_to, m_operatorId)).status, 200);
    HttpClient anonymous(m_backend->baseUrl());
    QCOMPARE(anonymous.get(statsPath(m_from, m_to)).status, 401);
}

void tst_CallActivity::badRanges_are400_data()
{
    QTest::addColumn<QString>("query");
    QTest::addRow("no range") << QString();
    QTest::addRow("no to") << u"from=2026-01-01"_s;
    QTest::addRow("not a time") << u"from=yesterday&to=2026-01-02"_s;
    QTest::addRow("from after to") << u"from=2026-01-03&to=2026-01-02"_s;
    QTest::addRow("empty range") << u"from=2026-01-02T10:00:00Z&to=2026-01-02T10:00:00Z"_s;
    QTest::addRow("over 31 days") << u"from=2026-01-01&to=2026-02-02T00:00:01Z"_s;
}

void tst_CallActivity::badRanges_are400()
{
    QFETCH(QString, query);
    const HttpResult refused = m_operator->get(u"/api/stats/calls?"_s + query);
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.errorType(), u"validation_error"_s);
    QVERIFY(refused.isErrorFormat());
}

void tst_CallActivity::rangeIsCountedInWholeHours()
{
    const HttpResult stats = m_operator->get(u"/api/stats/calls?from=2026-01-01T10:30:00%2B05:30&to=2026-01-31T23:59:59Z"_s);
    QCOMPARE(stats.status, 200);
    QCOMPARE(stats.json.value(u"from"_s).toString(), u"2026-01-01T05:00:00.000Z"_s);
    QCOMPARE(stats.json.value(u"to"_s).toString(), u"2026-02-01T00:00:00.000Z"_s);
    QCOMPARE(stats.json.value(u"calls"_s).toInt(), 0);
    QCOMPARE(stats.json.value(u"hours"_s).toArray().size(), 0);
}

void tst_CallActivity::apiKey_needsCallsRead()
{
    const auto keyWith = [this](const QStringList &scopes) {
        return m_operator->post(u"/api/keys"_s, {{u"name"_s, u"crm"_s}, {u"scopes"_s, QJsonArray::fromStringList(scopes)}})
            .json.value(u"key"_s)
            .toString();
    };
    HttpClient crm(m_backend->baseUrl());
    crm.setToken(keyWith({u"contacts:read"_s}));
    const HttpResult refused = crm.get(statsPath(m_from, m_to));
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.errorType(), u"insufficient_scope"_s);
    crm.setToken(keyWith({u"calls:read"_s}));
    const HttpResult allowed = crm.get(statsPath(m_from, m_to));
    QCOMPARE(allowed.status, 200);
    QCOMPARE(allowed.json.value(u"calls"_s).toInt(), 3);
}

QTEST_GUILESS_MAIN(tst_CallActivity)
#include "tst_callactivity.moc"
