// CallWatcher against the real backend over HTTP and its event stream: a call seen live and then
// ended (by anyone) is reported once, with the contact's name when the number is a contact's,
// how it ended and when; `inCall` follows it. A live call nobody has answered is handed over once
// with the far end's offer (click-to-call); an answered one is not; another operator's calls on
// an admin's stream count for nothing.

#include "apiclient.h"
#include "callwatcher.h"
#include "eventstream.h"
#include "httpclient.h"
#include "testbackend.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Switchboard::Gui::ApiClient;
using Switchboard::Gui::CallWatcher;
using Switchboard::Gui::EventStream;

namespace {

/// An answer the mock (without media, as the test backend runs it) accepts.
QString audioAnswer()
{
    return u"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE audio0\r\n"
           "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtcp-mux\r\na=mid:audio0\r\na=sendrecv\r\n"
           "a=rtpmap:111 opus/48000/2\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
           "a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n"
           "a=setup:active\r\n"_s;
}

/// What the console builds: the client with the operator's token, its event stream, the watcher.
struct Console
{
    Console(const QUrl &baseUrl, const HttpClient &owner, const QString &userId)
    {
        api.setBaseUrl(baseUrl);
        api.setToken(owner.token());
        events.setClient(&api);
        events.setActive(true);
        watcher.setClient(&api);
        watcher.setEvents(&events);
        watcher.setUserId(userId);
    }

    ApiClient api;
    EventStream events;
    CallWatcher watcher;
};

} // namespace

class tst_CallWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void endedCall_isReportedOnce();
    void failedCall_isReportedWithItsReason();
    void inactive_reportsNothing();
    void unansweredCall_isHandedOverOnce();
    void answeredCall_isNotHandedOver();
    void anotherOperatorsCall_countsForNothing();

private:
    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<HttpClient> m_admin;
    QString m_adminId;
};

void tst_CallWatcher::initTestCase()
{
    m_backend = std::make_unique<TestBackend>();
    QVERIFY2(m_backend->start(), qPrintable(m_backend->error()));
    m_admin = std::make_unique<HttpClient>(m_backend->baseUrl());
    m_adminId = m_admin->registerUser(u"watching-admin"_s); // the first account: an admin
}

void tst_CallWatcher::endedCall_isReportedOnce()
{
    HttpClient owner(m_backend->baseUrl());
    const QString userId = owner.registerUser(u"watcher"_s);
    QCOMPARE(owner.post(u"/api/contacts"_s, {{u"name"_s, u"Watson"_s}, {u"phone_number"_s, u"+442079460970"_s}}).status, 201);
    Console console(m_backend->baseUrl(), owner, userId);
    QTRY_VERIFY(console.events.connected());
    console.watcher.setActive(true);
    QSignalSpy ended(&console.watcher, &CallWatcher::callEnded);
    QSignalSpy inCall(&console.watcher, &CallWatcher::inCallChanged);

    const QDateTime before = QDateTime::currentDateTimeUtc();
    const HttpResult started = owner.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+442079460970"_s}});
    QCOMPARE(started.status, 200);
    const QString callId = started.json.value(u"call_id"_s).toString();
    QTRY_VERIFY(console.watcher.inCall()); // seen live
    QCOMPARE(ended.size(), 0);
    QCOMPARE(inCall.size(), 1);
    QCOMPARE(owner.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);
    QTRY_COMPARE(ended.size(), 1);
    QCOMPARE(ended.first().at(0).toString(), callId);
    QCOMPARE(ended.first().at(1).toString(), u"Watson"_s);
    QCOMPARE(ended.first().at(2).toString(), u"canceled"_s);
    QCOMPARE(ended.first().at(3).toString(), QString()); // no failure reason
    const QDateTime endedAt = ended.first().at(4).toDateTime();
    QVERIFY2(endedAt >= before.addMSecs(-1) && endedAt <= QDateTime::currentDateTimeUtc(), qPrintable(endedAt.toString(Qt::ISODateWithMs)));
    QVERIFY(!console.watcher.inCall());
    QCOMPARE(inCall.size(), 2);
    QTest::qWait(400);
    QCOMPARE(ended.size(), 1); // once
}

// The mock's busy number: it rings, then fails as `busy` — what the tray's notification words.
void tst_CallWatcher::failedCall_isReportedWithItsReason()
{
    HttpClient owner(m_backend->baseUrl());
    const QString userId = owner.registerUser(u"busy"_s);
    Console console(m_backend->baseUrl(), owner, userId);
    console.watcher.setActive(true);
    QSignalSpy ended(&console.watcher, &CallWatcher::callEnded);
    QTRY_VERIFY(console.events.connected());
    QCOMPARE(owner.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+12025550101"_s}}).status, 200);
    QTRY_VERIFY(console.watcher.inCall());
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 15000);
    QCOMPARE(ended.first().at(2).toString(), u"failed"_s);
    QCOMPARE(ended.first().at(3).toString(), u"busy"_s);
    QVERIFY(ended.first().at(4).toDateTime().isValid());
    QVERIFY(!console.watcher.inCall());
}

void tst_CallWatcher::inactive_reportsNothing()
{
    HttpClient owner(m_backend->baseUrl());
    const QString userId = owner.registerUser(u"idle"_s);
    Console console(m_backend->baseUrl(), owner, userId);
    QSignalSpy ended(&console.watcher, &CallWatcher::callEnded);
    QSignalSpy offered(&console.watcher, &CallWatcher::callAwaitingAudio);
    QTRY_VERIFY(console.events.connected());
    const HttpResult started = owner.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+442079460971"_s}});
    QCOMPARE(started.status, 200);
    QCOMPARE(owner.post(u"/api/calls/terminate"_s, {{u"call_id"_s, started.json.value(u"call_id"_s).toString()}}).status, 200);
    QTest::qWait(400);
    QCOMPARE(ended.size(), 0);
    QCOMPARE(offered.size(), 0);
    QVERIFY(!console.watcher.active());
}

// Another client (a CRM with the operator's key, here the same operator's token) places a call:
// the console hears of it once, with the offer a softphone answers.
void tst_CallWatcher::unansweredCall_isHandedOverOnce()
{
    HttpClient owner(m_backend->baseUrl());
    const QString userId = owner.registerUser(u"clicked"_s);
    Console console(m_backend->baseUrl(), owner, userId);
    console.watcher.setActive(true);
    QSignalSpy offered(&console.watcher, &CallWatcher::callAwaitingAudio);
    QTRY_VERIFY(console.events.connected());
    const HttpResult placed = owner.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+442079460972"_s}});
    QCOMPARE(placed.status, 200);
    const QString callId = placed.json.value(u"call_id"_s).toString();
    QTRY_COMPARE(offered.size(), 1);
    QCOMPARE(offered.first().at(0).toString(), callId);
    const QVariantMap call = offered.first().at(1).toMap();
    QCOMPARE(call.value(u"sdp_offer"_s).toString(), placed.json.value(u"sdp_offer"_s).toString());
    QCOMPARE(call.value(u"phone_number"_s).toString(), u"+442079460972"_s);
    // The far end picks up without an answer (a signalling-only call): still the same call, not offered again.
    QTRY_COMPARE_WITH_TIMEOUT(owner.get(u"/api/calls/"_s + callId).json.value(u"status"_s).toString(), u"active"_s, 15000);
    QTest::qWait(500);
    QCOMPARE(offered.size(), 1);
    QCOMPARE(owner.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);
    QTRY_VERIFY(!console.watcher.inCall());
}

// A softphone elsewhere (a browser) answered before the console looked: nothing to hand over.
void tst_CallWatcher::answeredCall_isNotHandedOver()
{
    HttpClient owner(m_backend->baseUrl());
    const QString userId = owner.registerUser(u"answered"_s);
    const HttpResult placed = owner.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+442079460973"_s}});
    QCOMPARE(placed.status, 200);
    const QString callId = placed.json.value(u"call_id"_s).toString();
    QCOMPARE(owner.post(u"/api/calls/answer"_s, {{u"call_id"_s, callId}, {u"sdp_answer"_s, audioAnswer()}}).status, 200);
    Console console(m_backend->baseUrl(), owner, userId);
    QSignalSpy offered(&console.watcher, &CallWatcher::callAwaitingAudio);
    console.watcher.setActive(true);
    QTRY_VERIFY(console.watcher.inCall()); // found live at the start
    QTest::qWait(500);
    QCOMPARE(offered.size(), 0);
    QCOMPARE(owner.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}}).status, 200);
    QTRY_VERIFY(!console.watcher.inCall());
}

// An admin's stream carries every operator's calls: the admin's console neither follows nor
// takes them.
void tst_CallWatcher::anotherOperatorsCall_countsForNothing()
{
    Console console(m_backend->baseUrl(), *m_admin, m_adminId);
    console.watcher.setActive(true);
    QSignalSpy offered(&console.watcher, &CallWatcher::callAwaitingAudio);
    QSignalSpy inCall(&console.watcher, &CallWatcher::inCallChanged);
    QTRY_VERIFY(console.events.connected());
    HttpClient colleague(m_backend->baseUrl());
    colleague.registerUser(u"colleague"_s);
    const HttpResult placed = colleague.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, u"+442079460974"_s}});
    QCOMPARE(placed.status, 200);
    QTest::qWait(1000);
    QCOMPARE(colleague.post(u"/api/calls/terminate"_s, {{u"call_id"_s, placed.json.value(u"call_id"_s).toString()}}).status, 200);
    QTest::qWait(500);
    QCOMPARE(offered.size(), 0);
    QCOMPARE(inCall.size(), 0);
}

QTEST_GUILESS_MAIN(tst_CallWatcher)
#include "tst_callwatcher.moc"
