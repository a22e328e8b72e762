// CallWatcher against the real backend over HTTP: a call seen live and then ended (by anyone)
// is reported once, with the contact's name when the number is a contact's, how it ended and
// when; `inCall` follows it.

#include "apiclient.h"
#include "callwatcher.h"
#include "httpclient.h"
#include "testbackend.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::CallWatcher;

class tst_CallWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void endedCall_isReportedOnce();
    void failedCall_isReportedWithItsReason();
    void inactive_reportsNothing();

private:
    std::unique_ptr<TestBackend> m_backend;
};

void tst_CallWatcher::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
}

void tst_CallWatcher::endedCall_isReportedOnce()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser(u"watcher"_s);
    QCOMPARE(owner.post(u"/api/contacts"_s, {{u"name"_s, u"Watson"_s}, {u"phone_number"_s, u"+442079460970"_s}}).status, 201);
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(owner.token());
    CallWatcher watcher;
    watcher.setClient(&api);
    watcher.setIntervalMs(100);
    watcher.setActive(true);
    QSignalSpy ended(&watcher, &CallWatcher::callEnded);
    QSignalSpy inCall(&watcher, &CallWatcher::inCallChanged);

    const QDateTime before = QDateTime::currentDateTimeUtc();
    const HttpResult started = owner.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+442079460970"_s}});
    QCOMPARE(started.status, 200);
    const QString callId = started.json.value(u"call_id"_s).toString();
    QTest::qWait(400); // seen live
    QCOMPARE(ended.size(), 0);
    QVERIFY(watcher.inCall());
    QCOMPARE(inCall.size(), 1);
    QCOMPARE(owner.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);
    QTRY_COMPARE(ended.size(), 1);
    QCOMPARE(ended.first().at(0).toString(), callId);
    QCOMPARE(ended.first().at(1).toString(), u"Watson"_s);
    QCOMPARE(ended.first().at(2).toString(), u"canceled"_s);
    QCOMPARE(ended.first().at(3).toString(), QString()); // no failure reason
    const QDateTime endedAt = ended.first().at(4).toDateTime();
    QVERIFY2(endedAt >= before.addMSecs(-1) && endedAt <= QDateTime::currentDateTimeUtc(), qPrintable(endedAt.toString(Qt::ISODateWithMs)));
    QVERIFY(!watcher.inCall());
    QCOMPARE(inCall.size(), 2);
    QTest::qWait(400);
    QCOMPARE(ended.size(), 1); // once
}

// The mock's busy number: it rings, then fails as `busy` — what the tray's notification words.
void tst_CallWatcher::failedCall_isReportedWithItsReason()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser(u"busy"_s);
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(owner.token());
    CallWatcher watcher;
    watcher.setClient(&api);
    watcher.setIntervalMs(100);
    watcher.setActive(true);
    QSignalSpy ended(&watcher, &CallWatcher::callEnded);
    QCOMPARE(owner.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550101"_s}}).status, 200);
    QTRY_VERIFY(watcher.inCall());
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 15000);
    QCOMPARE(ended.first().at(2).toString(), u"failed"_s);
    QCOMPARE(ended.first().at(3).toString(), u"busy"_s);
    QVERIFY(ended.first().at(4).toDateTime().isValid());
    QVERIFY(!watcher.inCall());
}

void tst_CallWatcher::inactive_reportsNothing()
{
    HttpClient owner(m_backend->baseUrl());
    owner.registerUser(u"idle"_s);
    ApiClient api;
    api.setBaseUrl(m_backend->baseUrl());
    api.setToken(owner.token());
    CallWatcher watcher;
    watcher.setClient(&api);
    watcher.setIntervalMs(100);
    QSignalSpy ended(&watcher, &CallWatcher::callEnded);
    const HttpResult started = owner.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+442079460971"_s}});
    QCOMPARE(started.status, 200);
    QCOMPARE(owner.post(u"/api/calls/terminate"_s, {{u"call_id"_s, started.json.value(u"call_id"_s).toString()}}).status, 200);
    QTest::qWait(400);
    QCOMPARE(ended.size(), 0);
    QVERIFY(!watcher.active());
}

QTEST_GUILESS_MAIN(tst_CallWatcher)
#include "tst_callwatcher.moc"
