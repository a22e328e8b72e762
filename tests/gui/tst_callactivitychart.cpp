// CallActivityChart: the server's hours spread over the operator's local hours and days, and the
// live figures of calls placed on the real backend.

#include "apiclient.h"
#include "callactivitychart.h"
#include "httpclient.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QTest>

#include <ctime>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::CallActivityChart;
using Range = CallActivityChart::Range;

namespace {

QJsonObject hour(const QString &utc, int completed, int failed, double averageSeconds = 0, int active = 0)
{
    return {{u"hour"_s, utc},       {u"completed"_s, completed}, {u"failed"_s, failed},
            {u"canceled"_s, 1},     {u"active"_s, active},       {u"initiated"_s, 0},
            {u"connecting"_s, 0},   {u"average_duration_seconds"_s, averageSeconds}};
}

} // namespace

class tst_CallActivityChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rangeStart_isALocalMidnight();
    void bucketize_today_byLocalHour();
    void bucketize_week_byLocalDay();
    void bucketize_quality_inBandOrder();
    void live_followsTheCalls();
};

void tst_CallActivityChart::initTestCase()
{
    // Half an hour off UTC: a UTC hour is not a local hour, which is what the buckets must handle.
    qputenv("TZ", "Asia/Kolkata");
    tzset();
    QCOMPARE(QDateTime(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC).toLocalTime().time(), QTime(5, 30));
}

void tst_CallActivityChart::rangeStart_isALocalMidnight()
{
    const QDateTime now(QDate(2026, 3, 10), QTime(1, 15), Qt::LocalTime);
    QCOMPARE(CallActivityChart::rangeStart(Range::Today, now), QDateTime(QDate(2026, 3, 10), QTime(0, 0), Qt::LocalTime));
    QCOMPARE(CallActivityChart::rangeStart(Range::Week, now), QDateTime(QDate(2026, 3, 4), QTime(0, 0), Qt::LocalTime));
    QCOMPARE(CallActivityChart::rangeStart(Range::Month, now), QDateTime(QDate(2026, 2, 9), QTime(0, 0), Qt::LocalTime));
    QCOMPARE(CallActivityChart::bucketCount(Range::Today), 24);
    QCOMPARE(CallActivityChart::bucketCount(Range::Week), 7);
    QCOMPARE(CallActivityChart::bucketCount(Range::Month), 30);
}

void tst_CallActivityChart::bucketize_today_byLocalHour()
{
    // Each UTC hour goes to the local hour its middle falls in.
    const QDateTime start(QDate(2026, 3, 10), QTime(0, 0), Qt::LocalTime); // 2026-03-09T18:30Z
    const QJsonObject answer{{u"hours"_s, QJsonArray{
        hour(u"2026-03-09T18:00:00.000Z"_s, 9, 9), // 23:30–00:30 local → hour 00
        hour(u"2026-03-09T19:00:00.000Z"_s, 2, 1, 30), // 00:30–01:30 → hour 01
        hour(u"2026-03-10T04:00:00.000Z"_s, 1, 0, 60, 1), // 09:30–10:30 → hour 10
        hour(u"2026-03-10T18:00:00.000Z"_s, 5, 0), // 23:30–00:30 → tomorrow's: not shown
    }}};
    const CallActivityChart::Buckets buckets = CallActivityChart::bucketize(answer, Range::Today, start);
    QCOMPARE(buckets.completed.size(), 24);
    QCOMPARE(buckets.completed.at(0), 9);
    QCOMPARE(buckets.failed.at(0), 9);
    QCOMPARE(buckets.completed.at(1), 2);
    QCOMPARE(buckets.failed.at(1), 1);
    QCOMPARE(buckets.completedSeconds.at(1), 60);
    QCOMPARE(buckets.completed.at(10), 1);
    QCOMPARE(buckets.live.at(10), 1);
    QCOMPARE(buckets.canceled.at(10), 1);
    int total = 0;
    for (int completed : buckets.completed)
        total += completed;
    QCOMPARE(total, 12);
}

void tst_CallActivityChart::bucketize_week_byLocalDay()
{
    const QDateTime start(QDate(2026, 3, 4), QTime(0, 0), Qt::LocalTime);
    const QJsonObject answer{{u"hours"_s, QJsonArray{
        hour(u"2026-03-04T10:00:00.000Z"_s, 1, 0, 10), // 15:30–16:30 on the 4th → day 0
        hour(u"2026-03-04T19:00:00.000Z"_s, 2, 0, 40), // 00:30–01:30 on the 5th → day 1
        hour(u"2026-03-10T12:00:00.000Z"_s, 3, 2, 20), // the 10th → day 6
    }}};
    const CallActivityChart::Buckets buckets = CallActivityChart::bucketize(answer, Range::Week, start);
    QCOMPARE(buckets.completed, (QList<int>{1, 2, 0, 0, 0, 0, 3}));
    QCOMPARE(buckets.failed, (QList<int>{0, 0, 0, 0, 0, 0, 2}));
    QCOMPARE(buckets.completedSeconds, (QList<qint64>{10, 80, 0, 0, 0, 0, 60}));
}

void tst_CallActivityChart::bucketize_quality_inBandOrder()
{
    const QJsonObject answer{{u"quality"_s, QJsonObject{{u"bad"_s, 1}, {u"poor"_s, 2}, {u"fair"_s, 3},
                                                          {u"good"_s, 4}, {u"excellent"_s, 5}}}};
    const CallActivityChart::Buckets buckets =
        CallActivityChart::bucketize(answer, Range::Today, QDateTime(QDate(2026, 3, 4), QTime(0, 0), Qt::LocalTime));
    QCOMPARE(buckets.quality, (QList<int>{5, 4, 3, 2, 1}));
}

void tst_CallActivityChart::live_followsTheCalls()
{
    qputenv("TZ", "UTC"); // local hours are UTC hours: the call's hour is today's whenever it runs
    tzset();
    TestBackend backend;
    QVERIFY2(backend.start(), qPrintable(backend.error()));
    HttpClient client(backend.baseUrl());
    client.registerUser(u"dashboard"_s);
    const HttpResult placed = client.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}});
    QCOMPARE(placed.status, 200);
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, placed.json.value(u"call_id"_s).toString()}}).status, 200);

    ApiClient api;
    api.setBaseUrl(backend.baseUrl());
    api.setToken(client.token());
    CallActivityChart chart;
    chart.setClient(&api);
    chart.setRunning(true);
    QTRY_VERIFY(chart.available());
    QVERIFY(chart.teamWide()); // the first user is the team's admin: it sees the team's calls
    QCOMPARE(chart.labels().size(), 24);
    QCOMPARE(chart.labels().first(), u"00"_s);
    QCOMPARE(chart.calls(), 1);
    int canceled = 0;
    for (const QVariant &count : chart.canceled())
        canceled += count.toInt();
    QCOMPARE(canceled, 1);

    chart.setRange(Range::Week);
    QCOMPARE(chart.labels().size(), 7);
    QCOMPARE(chart.calls(), 0); // nothing of the day's answer is shown as the week's
    QTRY_COMPARE(chart.calls(), 1);
    QCOMPARE(chart.canceled().last().toInt(), 1); // today is the last day
}

QTEST_MAIN(tst_CallActivityChart)
#include "tst_callactivitychart.moc"
