// DashboardStats: the Prometheus text read right, and live figures from the real backend that
// follow the calls placed.

#include "apiclient.h"
#include "dashboardstats.h"
#include "httpclient.h"
#include "testbackend.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::DashboardStats;

class tst_DashboardStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseMetrics_readsUnlabelledSamples();
    void live_followsTheCalls();
    void serverGone_saysSo();
};

void tst_DashboardStats::parseMetrics_readsUnlabelledSamples()
{
    const QByteArray text = "# HELP switchboard_calls_initiated_total Calls.\n"
                            "# TYPE switchboard_calls_initiated_total counter\n"
                            "switchboard_calls_initiated_total 12\n"
                            "switchboard_voip_error_rate 0.25\n"
                            "switchboard_http_requests_total{route=\"/x\",status=\"200\"} 4\n"
                            "garbage line here\n";
    const QHash<QString, double> values = DashboardStats::parseMetrics(text);
    QCOMPARE(values.size(), 2);
    QCOMPARE(values.value(u"switchboard_calls_initiated_total"_s), 12.0);
    QCOMPARE(values.value(u"switchboard_voip_error_rate"_s), 0.25);
}

void tst_DashboardStats::live_followsTheCalls()
{
    TestBackend backend;
    QVERIFY2(backend.start(), qPrintable(backend.error()));
    HttpClient client(backend.baseUrl());
    client.registerUser(u"dashboard"_s);

    ApiClient api;
    api.setBaseUrl(backend.baseUrl());
    DashboardStats stats;
    stats.setClient(&api);
    stats.setIntervalMs(100);
    QSignalSpy updated(&stats, &DashboardStats::updated);
    stats.setRunning(true);
    QTRY_VERIFY(stats.available());
    QCOMPARE(stats.initiated(), 0.0);
    QCOMPARE(stats.activeSessions(), 0.0);

    // A live call, then one the provider refuses: the figures follow, and so does the chart's history.
    const HttpResult live = client.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+4915123456789"_s}});
    QCOMPARE(live.status, 200);
    QTRY_COMPARE(stats.activeSessions(), 1.0);
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u".*"_s));
    QCOMPARE(client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, live.json.value(u"call_id"_s).toString()}}).status,
             200);
    QCOMPARE(client.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550103"_s}}).status, 503);
    QTRY_COMPARE(stats.initiated(), 2.0);
    QTRY_COMPARE(stats.activeSessions(), 0.0);
    QCOMPARE(stats.errorRate(), 0.5);
    const QVariantList history = stats.activeHistory();
    QVERIFY(history.contains(1.0));
    QCOMPARE(history.last().toDouble(), 0.0);
    QVERIFY(history.size() <= stats.historyLength());

    stats.setRunning(false);
    const qsizetype seen = updated.size();
    QTest::qWait(400);
    QCOMPARE(updated.size(), seen); // stopped means no more scrapes
}

void tst_DashboardStats::serverGone_saysSo()
{
    ApiClient api;
    api.setBaseUrl(QUrl(u"http://127.0.0.1:9"_s));
    DashboardStats stats;
    stats.setClient(&api);
    QSignalSpy updated(&stats, &DashboardStats::updated);
    stats.refresh();
    QTRY_COMPARE(updated.size(), 1);
    QVERIFY(!stats.available());
    QCOMPARE(stats.errorText(), u"The Switchboard server cannot be reached."_s);
}

QTEST_GUILESS_MAIN(tst_DashboardStats)
#include "tst_dashboardstats.moc"
