// A client written the way the seed platform's own web client is: it reads calls by the seed's
// names (callId, phoneNumber, startTime), never posts an SDP answer, and follows the call by its
// status. Against the real backend over HTTP on SQLite or PostgreSQL, through every scenario
// number of the mock provider, with the per-call timers firing on time (not at the 60 s sweep).

#include "httpclient.h"
#include "integrationsupport.h"
#include "testbackend.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace Integration;

namespace {

/// What the seed's client knows of a call: only the names it reads.
struct SeedCall
{
    QString callId;
    QString phoneNumber;
    QDateTime startTime;
    QString status;
    int duration = -1;

    static SeedCall from(const QJsonObject &json)
    {
        return {json.value(u"callId"_s).toString(), json.value(u"phoneNumber"_s).toString(),
                QDateTime::fromString(json.value(u"startTime"_s).toString(), Qt::ISODateWithMs),
                json.value(u"status"_s).toString(), json.value(u"duration"_s).toInt(-1)};
    }
};

/// The seed's client: initiate, follow, hang up, list — no SDP answer ever.
class SeedClient
{
public:
    explicit SeedClient(const QUrl &url) : m_http(url) { m_http.registerUser(u"seed"_s); }

    HttpResult initiate(const QString &number)
    {
        return m_http.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, number}});
    }
    SeedCall call(const QString &callId) { return SeedCall::from(raw(callId)); }
    /// The whole call object, for what the test checks beyond the seed's names.
    QJsonObject raw(const QString &callId) { return m_http.get(u"/api/calls/"_s + callId).json; }
    /// Waits (long poll) until the call is no longer `status`.
    SeedCall next(const QString &callId, const QString &status)
    {
        return SeedCall::from(m_http.get(u"/api/calls/%1?wait=15&status=%2"_s.arg(callId, status)).json);
    }
    HttpResult hangUp(const QString &callId) { return m_http.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}); }
    QList<SeedCall> history()
    {
        QList<SeedCall> calls;
        for (const QJsonValue &item : m_http.get(u"/api/calls/history"_s).json.value(u"calls"_s).toArray())
            calls.append(SeedCall::from(item.toObject()));
        return calls;
    }

private:
    HttpClient m_http;
};

// The far end of a call without an answer rings for max(VOIP_MOCK_RINGBACK_MS, the answer window).
constexpr int kPickUpMs = 2000;
constexpr int kRingTimeoutSeconds = 3;
constexpr int kMediaTimeoutSeconds = 3;
constexpr int kToleranceMs = 1000;

} // namespace

class tst_SeedClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void scenario_data();
    void scenario();
    void unavailable();
    void answerAfterPickUp_joinsTheCall();
    void timers_fireOnTime();

private:
    std::unique_ptr<TestBackend> m_backend;
};

void tst_SeedClient::initTestCase()
{
    m_backend = std::make_unique<TestBackend>(QHash<QString, QString>{
        {u"VOIP_MOCK_RING_TIMEOUT"_s, QString::number(kRingTimeoutSeconds)},
        {u"VOIP_MOCK_MEDIA_TIMEOUT"_s, QString::number(kMediaTimeoutSeconds)},
        {u"VOIP_MOCK_ANSWER_WINDOW_MS"_s, QString::number(kPickUpMs)},
    });
    REQUIRE_TEST_DATABASE(m_backend->database());
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
}

void tst_SeedClient::cleanupTestCase()
{
    m_backend.reset();
}

void tst_SeedClient::scenario_data()
{
    QTest::addColumn<QString>("number");
    QTest::addColumn<QString>("ending"); // status the call ends with; "" = the client hangs up
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("activeAtMs"); // -1: never active
    QTest::addColumn<int>("endsAtMs"); // when the far end ends it; -1: the client does
    QTest::addColumn<int>("duration");

    QTest::addRow("answers") << u"+4915123456789"_s << QString() << QString() << kPickUpMs << -1 << 1;
    QTest::addRow("busy") << u"+12025550101"_s << u"failed"_s << u"busy"_s << -1 << kPickUpMs << 0;
    QTest::addRow("no answer") << u"+12025550102"_s << u"failed"_s << u"no_answer"_s << -1
                               << kRingTimeoutSeconds * 1000 << 0;
    QTest::addRow("hangs up after 2 s") << u"+12025550202"_s << u"completed"_s << QString() << kPickUpMs
                                        << kPickUpMs + 2000 << 2;
    QTest::addRow("media failure") << u"+12025550106"_s << u"failed"_s << u"media_failed"_s << -1
                                   << kMediaTimeoutSeconds * 1000 << 0;
}

void tst_SeedClient::scenario()
{
    QFETCH(QString, number);
    QFETCH(QString, ending);
    QFETCH(QString, reason);
    QFETCH(int, activeAtMs);
    QFETCH(int, endsAtMs);
    QFETCH(int, duration);

    SeedClient client(m_backend->baseUrl());
    QElapsedTimer clock;
    clock.start();
    const HttpResult placed = client.initiate(number);
    QCOMPARE(placed.status, 200);
    const QString id = placed.json.value(u"call_id"_s).toString();
    QCOMPARE(client.call(id).status, u"connecting"_s);

    SeedCall call = client.next(id, u"connecting"_s);
    if (activeAtMs >= 0) {
        QCOMPARE(call.status, u"active"_s);
        qInfo("active after %lld ms (expected %d)", clock.elapsed(), activeAtMs);
        QVERIFY2(qAbs(clock.elapsed() - activeAtMs) <= kToleranceMs, qPrintable(QString::number(clock.elapsed())));
        if (ending.isEmpty()) { // it stays until the client hangs up
            QTest::qWait(1100);
            QCOMPARE(client.call(id).status, u"active"_s);
            const HttpResult ended = client.hangUp(id);
            QCOMPARE(ended.json.value(u"status"_s).toString(), u"completed"_s);
            QCOMPARE(ended.json.value(u"duration"_s).toInt(-1), duration);
        } else {
            call = client.next(id, u"active"_s);
        }
    }
    if (endsAtMs >= 0) {
        QCOMPARE(call.status, ending);
        qInfo("%s after %lld ms (expected %d)", qPrintable(ending), clock.elapsed(), endsAtMs);
        QVERIFY2(qAbs(clock.elapsed() - endsAtMs) <= kToleranceMs, qPrintable(QString::number(clock.elapsed())));
    }
    const QJsonObject stored = client.raw(id);
    QCOMPARE(stored.value(u"failure_reason"_s).toString(), reason);
    QCOMPARE(stored.value(u"answered_at"_s).isNull(), activeAtMs < 0);

    // What the seed's History page shows: its own names, filled in.
    call = client.call(id);
    QCOMPARE(call.callId, id);
    QCOMPARE(call.phoneNumber, number);
    QVERIFY(call.startTime.isValid());
    QCOMPARE(call.duration, duration);
    const QList<SeedCall> history = client.history();
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().callId, id);
    QCOMPARE(history.first().phoneNumber, number);
    QVERIFY(qAbs(history.first().startTime.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(history.first().status, ending.isEmpty() ? u"completed"_s : ending);

    // Over: the operator may dial again at once.
    const HttpResult again = client.initiate(u"+4915123456789"_s);
    QCOMPARE(again.status, 200);
    QCOMPARE(client.hangUp(again.json.value(u"call_id"_s).toString()).json.value(u"status"_s).toString(),
             u"canceled"_s);
}

void tst_SeedClient::unavailable()
{
    SeedClient client(m_backend->baseUrl());
    expectLog(QtCriticalMsg, u"^initiate of call [0-9a-f-]{36} failed: "_s);
    const HttpResult placed = client.initiate(u"+12025550103"_s);
    VERIFY_ERROR(placed, 503, u"call_initiation_failed"_s);
    const QList<SeedCall> history = client.history();
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().status, u"failed"_s);
    QCOMPARE(history.first().phoneNumber, u"+12025550103"_s);
}

// A client that posts its answer only after the far end picked up joins the call: the answer is
// taken, the call stays active, and it ends completed with its whole duration.
void tst_SeedClient::answerAfterPickUp_joinsTheCall()
{
    HttpClient client(m_backend->baseUrl());
    client.registerUser();
    const QString id = initiateCall(client, u"+4915123456789"_s);
    QVERIFY(!id.isEmpty());
    QCOMPARE(client.get(u"/api/calls/%1?wait=10&status=connecting"_s.arg(id)).json.value(u"status"_s).toString(),
             u"active"_s);
    const HttpResult answered = client.post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}});
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.json.value(u"status"_s).toString(), u"active"_s);
    VERIFY_ERROR(client.post(u"/api/calls/answer"_s, {{u"call_id"_s, id}, {u"sdp_answer"_s, sdpAnswer()}}), 409,
                 u"invalid_call_state"_s);
    QTest::qWait(1100);
    const HttpResult ended = client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, id}});
    QCOMPARE(ended.json.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(ended.json.value(u"duration"_s).toInt(-1), 1);
}

// CALL_SETUP_TIMEOUT and SESSION_TTL of a few seconds, the sweep left at its minute: each call
// ends when its own time is up.
void tst_SeedClient::timers_fireOnTime()
{
    constexpr int kSetupSeconds = 3;
    constexpr int kTtlSeconds = 2;
    TestBackend timed({{u"CALL_SETUP_TIMEOUT"_s, QString::number(kSetupSeconds)},
                       {u"SESSION_TTL"_s, QString::number(kTtlSeconds)},
                       {u"VOIP_MOCK_RING_TIMEOUT"_s, u"30"_s},
                       {u"VOIP_MOCK_ANSWER_WINDOW_MS"_s, QString::number(kPickUpMs)}});
    REQUIRE_TEST_DATABASE(timed.database());
    QVERIFY2(timed.start(), qPrintable(timed.error()));
    QCOMPARE(timed.config().sessionSweepIntervalMs, 60 * 1000);

    // Rings without an answer: the setup timeout ends it, and the operator is free at once.
    SeedClient ringing(timed.baseUrl());
    QElapsedTimer sinceRinging;
    sinceRinging.start();
    const QString unanswered = ringing.initiate(u"+12025550102"_s).json.value(u"call_id"_s).toString();
    // Answered: the maximum duration ends it.
    SeedClient talking(timed.baseUrl());
    QElapsedTimer sinceTalking;
    sinceTalking.start();
    const QString answered = talking.initiate(u"+4915123456789"_s).json.value(u"call_id"_s).toString();

    QCOMPARE(talking.next(answered, u"connecting"_s).status, u"active"_s);
    const qint64 activeAt = sinceTalking.elapsed();
    qInfo("answered far end active after %lld ms", activeAt);
    const SeedCall expired = ringing.next(unanswered, u"connecting"_s);
    QCOMPARE(expired.status, u"failed"_s);
    QCOMPARE(ringing.raw(unanswered).value(u"failure_reason"_s).toString(), u"setup_timeout"_s);
    qInfo("setup timeout (%d s) fired after %lld ms", kSetupSeconds, sinceRinging.elapsed());
    QVERIFY2(qAbs(sinceRinging.elapsed() - kSetupSeconds * 1000) <= kToleranceMs,
             qPrintable(QString::number(sinceRinging.elapsed())));
    const HttpResult again = ringing.initiate(u"+4915123456789"_s);
    QCOMPARE(again.status, 200); // no 409 call_already_active: the expired call holds nothing
    QCOMPARE(ringing.hangUp(again.json.value(u"call_id"_s).toString()).status, 200);

    const SeedCall completed = talking.next(answered, u"active"_s);
    QCOMPARE(completed.status, u"completed"_s);
    qInfo("maximum duration (%d s) ended the call %lld ms after it became active", kTtlSeconds,
          sinceTalking.elapsed() - activeAt);
    QVERIFY2(qAbs(sinceTalking.elapsed() - activeAt - kTtlSeconds * 1000) <= kToleranceMs,
             qPrintable(u"active at %1 ms, ended at %2 ms"_s.arg(activeAt).arg(sinceTalking.elapsed())));
    QCOMPARE(completed.duration, kTtlSeconds);
}

QTEST_GUILESS_MAIN(tst_SeedClient)
#include "tst_seedclient.moc"
