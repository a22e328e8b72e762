// The softphone page inside QtWebEngine (Chromium 102) against the real `switchboard --headless`.
//
// The host (this test, as the desktop app would) decides the microphone permission itself through
// QWebEnginePage::featurePermissionRequested: granted to the server's own origin, denied to anything
// else. With the grant, a call to a normal number reaches `active` over real WebRTC (the mock far
// end is a GStreamer webrtcbin), audio flows both ways, and hanging up records the call as completed
// with its duration.
//
// Chromium gets --use-fake-device-for-media-stream (a synthetic microphone), never
// --use-fake-ui-for-media-stream: that one would grant every request without asking Qt, which is
// exactly the path this test exists to prove.

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <QWebEnginePage>
#include <QWebEngineProfile>

#include <memory>
#include <optional>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {

/// The Chromium switches this test needs: a synthetic microphone (and camera).
constexpr const char *kChromiumSwitches[] = {"--use-fake-device-for-media-stream"};

constexpr auto kPassword = "correct horse battery";
constexpr auto kNumber = "+4915123456789"; // a normal number: the mock far end answers

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

/// `text` as a JavaScript string literal.
QString jsString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QString featureName(QWebEnginePage::Feature feature)
{
    const char *key = QMetaEnum::fromType<QWebEnginePage::Feature>().valueToKey(feature);
    return key ? QString::fromLatin1(key) : QString::number(int(feature));
}

QString describe(const QVariant &value)
{
    return QString::fromUtf8(QJsonDocument::fromVariant(value).toJson(QJsonDocument::Compact));
}

/// True when `origin` (as QtWebEngine reports a security origin) is exactly `expected`:
/// same scheme, host and port, and nothing else.
bool sameOrigin(const QUrl &origin, const QUrl &expected)
{
    return origin.isValid() && expected.isValid() && origin.scheme() == expected.scheme()
        && origin.host() == expected.host() && origin.port(-1) == expected.port(-1) && origin.userInfo().isEmpty()
        && (origin.path().isEmpty() || origin.path() == u"/"_s) && !origin.hasQuery() && !origin.hasFragment();
}

/// What a host of the softphone allows: the microphone, to the server's own origin, and nothing else.
class PermissionGate : public QObject
{
    Q_OBJECT

public:
    struct Decision
    {
        QUrl origin;
        QWebEnginePage::Feature feature;
        bool granted;
    };

    void setTrustedOrigin(const QUrl &origin) { m_trusted = origin; }
    const QList<Decision> &decisions() const { return m_decisions; }

    void attach(QWebEnginePage *page)
    {
        connect(page, &QWebEnginePage::featurePermissionRequested, this,
                [this, page](const QUrl &origin, QWebEnginePage::Feature feature) {
                    const bool grant = feature == QWebEnginePage::MediaAudioCapture && sameOrigin(origin, m_trusted);
                    m_decisions.append({origin, feature, grant});
                    qInfo().noquote() << (grant ? "granted" : "denied") << featureName(feature) << "to"
                                      << origin.toString();
                    page->setFeaturePermission(origin, feature,
                                               grant ? QWebEnginePage::PermissionGrantedByUser
                                                     : QWebEnginePage::PermissionDeniedByUser);
                });
    }

private:
    QUrl m_trusted;
    QList<Decision> m_decisions;
};

/// A page without a view, with the helpers the test drives it by.
class SoftphonePage : public QWebEnginePage
{
public:
    using QWebEnginePage::QWebEnginePage;

    /// The value of `script` in the page's main world (where page.js put window.softphone).
    /// runJavaScript does not await promises: see start() for those.
    QVariant evaluate(const QString &script, int timeoutMs = 10000)
    {
        auto result = std::make_shared<std::optional<QVariant>>();
        runJavaScript(script, [result](const QVariant &value) { *result = value; });
        if (!QTest::qWaitFor([&result] { return result->has_value(); }, timeoutMs)) {
            qWarning().noquote() << "the page did not answer within" << timeoutMs << "ms:" << script;
            return {};
        }
        return **result;
    }

    /// Starts `expression` (a promise or a plain value); its outcome lands in window.__outcomes[name]
    /// as {state: pending|fulfilled|rejected, value | name, type, message}.
    void start(const QString &name, const QString &expression)
    {
        const QString script = uR"((() => {
  const outcomes = (window.__outcomes ??= {});
  const key = %1;
  outcomes[key] = { state: 'pending' };
  Promise.resolve().then(() => %2).then(
    (value) => { outcomes[key] = { state: 'fulfilled', value: value ?? null }; },
    (error) => { outcomes[key] = { state: 'rejected', name: String(error?.name), type: String(error?.type),
                                   message: String(error?.message ?? error) }; });
  return true;
})())"_s.arg(jsString(name), expression);
        evaluate(script);
    }

    QVariantMap outcome(const QString &name)
    {
        return evaluate(u"window.__outcomes?.[%1] ?? null"_s.arg(jsString(name))).toMap();
    }

    bool settled(const QString &name)
    {
        const QString state = outcome(name).value(u"state"_s).toString();
        return state == u"fulfilled"_s || state == u"rejected"_s;
    }

    /// softphone.mediaStats() once it has answered (an empty map while there is no call).
    QVariantMap mediaStats()
    {
        start(u"mediaStats"_s, u"softphone.mediaStats()"_s);
        if (!QTest::qWaitFor([this] { return settled(u"mediaStats"_s); }, 10000))
            return {};
        return outcome(u"mediaStats"_s).value(u"value"_s).toMap();
    }

    QString callStatus() { return evaluate(u"window.softphone?.call?.status ?? ''"_s).toString(); }

protected:
    void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel, const QString &message, int line,
                                  const QString &source) override
    {
        qInfo().noquote() << "console:" << message << u"(%1:%2)"_s.arg(source).arg(line);
    }
};

struct HttpAnswer
{
    int status = 0;
    QJsonObject json;
    QByteArray body;
};

} // namespace

/// Waits for the promise started as `name` and fails the test unless it was fulfilled; its value goes to `into`.
#define AWAIT_FULFILLED(page, name, timeoutMs, into)                                                                   \
    do {                                                                                                               \
        QTRY_VERIFY2_WITH_TIMEOUT((page).settled(name), qPrintable(u"%1 still pending"_s.arg(name)), timeoutMs);      \
        const QVariantMap outcome_ = (page).outcome(name);                                                             \
        QVERIFY2(outcome_.value(u"state"_s) == u"fulfilled"_s,                                                         \
                 qPrintable(u"%1: %2\n%3"_s.arg(name, describe(outcome_), serverOutputTail())));                      \
        into = outcome_.value(u"value"_s);                                                                             \
    } while (false)

class tst_SoftphoneWebEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void call_microphoneGrantedToOwnOrigin_audioFlowsAndCompletes();
    void page_oneFontAndReadable();
    void otherOrigin_permissionDenied_data();
    void otherOrigin_permissionDenied();

private:
    std::unique_ptr<SoftphonePage> newPage();
    HttpAnswer get(const QString &path, const QString &token);
    QString serverOutputTail() const;

    QTemporaryDir m_dir;
    QProcess m_server;
    bool m_serverStarted = false;
    QByteArray m_serverOutput;
    QUrl m_origin;
    QNetworkAccessManager m_network;
    QWebEngineProfile *m_profile = nullptr;
    PermissionGate m_gate;
};

void tst_SoftphoneWebEngine::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(SWITCHBOARD_BINARY)), SWITCHBOARD_BINARY);
    QVERIFY(m_dir.isValid());
    m_network.setProxy(QNetworkProxy::NoProxy);

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Nothing of the caller's configuration leaks in: the mock provider with real media, defaults otherwise.
    for (const QString &name : env.keys()) {
        if (name.startsWith(u"SERVER_"_s) || name.startsWith(u"VOIP_"_s) || name.startsWith(u"JWT_"_s)
            || name.startsWith(u"SESSION_"_s) || name == u"DATABASE_URL"_s || name == u"DATA_DIR"_s
            || name == u"INSTANCE_ID"_s || name.endsWith(u"_RATE_LIMIT"_s) || name == u"CALL_SETUP_TIMEOUT"_s) {
            env.remove(name);
        }
    }
    env.insert(u"DATA_DIR"_s, m_dir.filePath(u"data"_s));
    env.insert(u"VOIP_MOCK_RINGBACK_MS"_s, u"300"_s);
    // The server is built with AddressSanitizer; what Qt, GLib and GStreamer keep for the life of the
    // process must not turn a clean exit into a failure; use_tls=0 as in tests/browser/harness.mjs.
    env.insert(u"LSAN_OPTIONS"_s, u"suppressions="_s + QStringLiteral(SWITCHBOARD_LSAN_SUPPRESSIONS) + u":use_tls=0"_s);

    const quint16 port = freePort();
    QVERIFY(port != 0);
    m_origin = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    m_server.setProcessEnvironment(env);
    m_server.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_server, &QProcess::readyRead, this, [this] { m_serverOutput += m_server.readAll(); });
    m_server.start(QStringLiteral(SWITCHBOARD_BINARY),
                   {u"--headless"_s, u"--port"_s, QString::number(port), u"--database"_s,
                    m_dir.filePath(u"switchboard.db"_s)});
    QVERIFY2(m_server.waitForStarted(10000), qPrintable(m_server.errorString()));
    m_serverStarted = true;

    const auto healthy = [this] {
        return m_server.state() != QProcess::Running
            || get(u"/system/health"_s, {}).json.value(u"status"_s).toString() == u"ok"_s;
    };
    QTRY_VERIFY_WITH_TIMEOUT(healthy(), 60000);
    QVERIFY2(m_server.state() == QProcess::Running, qPrintable(serverOutputTail()));
    const HttpAnswer health = get(u"/system/health"_s, {});
    QCOMPARE(health.json.value(u"provider"_s).toString(), u"mock"_s);

    m_gate.setTrustedOrigin(m_origin);
    m_profile = new QWebEngineProfile(this); // off the record: nothing is kept on disk
}

void tst_SoftphoneWebEngine::cleanupTestCase()
{
    delete m_profile; // after every page (each test's page is gone by now)
    m_profile = nullptr;
    if (!m_serverStarted)
        return; // initTestCase said why
    // Still running here, or it died during the tests: either way its end is checked below.
    QVERIFY2(m_server.state() == QProcess::Running,
             qPrintable(u"the server stopped on its own\n"_s + serverOutputTail()));
    m_server.terminate(); // SIGTERM
    QVERIFY2(m_server.waitForFinished(20000), qPrintable(serverOutputTail()));
    m_serverOutput += m_server.readAll();
    const QString output = QString::fromUtf8(m_serverOutput);
    for (const QString &marker : {u"AddressSanitizer"_s, u"LeakSanitizer"_s, u"runtime error:"_s})
        QVERIFY2(!output.contains(marker), qPrintable(output.mid(output.indexOf(marker) - 200)));
    QCOMPARE(m_server.exitStatus(), QProcess::NormalExit);
    QVERIFY2(m_server.exitCode() == 0,
             qPrintable(u"exit code %1\n%2"_s.arg(m_server.exitCode()).arg(serverOutputTail())));
}

std::unique_ptr<SoftphonePage> tst_SoftphoneWebEngine::newPage()
{
    auto page = std::make_unique<SoftphonePage>(m_profile);
    m_gate.attach(page.get());
    return page;
}

HttpAnswer tst_SoftphoneWebEngine::get(const QString &path, const QString &token)
{
    QNetworkRequest request(m_origin.resolved(QUrl(path)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    std::unique_ptr<QNetworkReply> reply(m_network.get(request));
    HttpAnswer answer;
    if (!QTest::qWaitFor([&reply] { return reply->isFinished(); }, 15000)) {
        reply->abort();
        return answer;
    }
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.json = QJsonDocument::fromJson(answer.body).object();
    return answer;
}

QString tst_SoftphoneWebEngine::serverOutputTail() const
{
    return u"--- server output (tail) ---\n"_s + QString::fromUtf8(m_serverOutput.right(6000));
}

void tst_SoftphoneWebEngine::call_microphoneGrantedToOwnOrigin_audioFlowsAndCompletes()
{
    auto page = newPage();
    QSignalSpy loaded(page.get(), &QWebEnginePage::loadFinished);
    QSignalSpy requested(page.get(), &QWebEnginePage::featurePermissionRequested);
    const qsizetype decisionsBefore = m_gate.decisions().size();

    page->load(m_origin.resolved(QUrl(u"/softphone/"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 30000);
    QVERIFY(loaded.first().first().toBool());
    QTRY_COMPARE_WITH_TIMEOUT(page->evaluate(u"typeof window.softphone?.dial"_s).toString(), u"function"_s, 10000);
    QCOMPARE(requested.size(), 0); // nothing is asked for before a call

    const QString email = u"webengine-%1@example.com"_s.arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
    page->start(u"register"_s,
                u"softphone.register(%1, %2)"_s.arg(jsString(email), jsString(QString::fromLatin1(kPassword))));
    QVariant session;
    AWAIT_FULFILLED(*page, u"register"_s, 30000, session);
    const QString token = page->evaluate(u"softphone.token"_s).toString();
    QVERIFY2(!token.isEmpty(), qPrintable(describe(session)));
    QCOMPARE(session.toMap().value(u"user"_s).toMap().value(u"email"_s).toString(), email);

    page->start(u"dial"_s, u"softphone.dial(%1)"_s.arg(jsString(QString::fromLatin1(kNumber))));
    QVariant dialled;
    AWAIT_FULFILLED(*page, u"dial"_s, 30000, dialled);
    const QString callId = dialled.toString();
    QVERIFY(!callId.isEmpty());

    // The page asked for the microphone once, from the server's own origin, and the host's handler granted it.
    QCOMPARE(requested.size(), 1);
    const QUrl requestOrigin = requested.first().at(0).toUrl();
    QVERIFY2(sameOrigin(requestOrigin, m_origin), qPrintable(requestOrigin.toString()));
    QCOMPARE(requested.first().at(1).value<QWebEnginePage::Feature>(), QWebEnginePage::MediaAudioCapture);
    QCOMPARE(m_gate.decisions().size(), decisionsBefore + 1);
    QVERIFY(m_gate.decisions().last().granted);
    // …and the grant reached the page: a live track from the fake capture device.
    QCOMPARE(page->evaluate(u"softphone.localStream?.getAudioTracks().map((t) => t.readyState).join() ?? ''"_s)
                 .toString(),
             u"live"_s);
    qInfo().noquote() << "microphone:"
                      << page->evaluate(u"softphone.localStream.getAudioTracks()[0].label"_s).toString();

    // ICE/DTLS connect, the far end rings (300 ms) and answers.
    QTRY_VERIFY2_WITH_TIMEOUT(page->callStatus() != u"connecting"_s, qPrintable(serverOutputTail()), 30000);
    QVERIFY2(page->callStatus() == u"active"_s,
             qPrintable(describe(page->evaluate(u"softphone.call"_s)) + u"\n"_s + serverOutputTail()));
    QElapsedTimer active;
    active.start();
    QCOMPARE(page->evaluate(u"softphone.call.id"_s).toString(), callId);

    // Audio flows both ways, and keeps flowing: 100 more packets each way is two seconds of 20 ms Opus frames.
    QVariantMap first;
    QTRY_VERIFY2_WITH_TIMEOUT((first = page->mediaStats()).value(u"packetsReceived"_s).toDouble() > 0
                                  && first.value(u"packetsSent"_s).toDouble() > 0,
                              qPrintable(describe(first)), 15000);
    QCOMPARE(first.value(u"connectionState"_s).toString(), u"connected"_s);
    QVariantMap later;
    QTRY_VERIFY2_WITH_TIMEOUT(
        (later = page->mediaStats()).value(u"packetsReceived"_s).toDouble()
                >= first.value(u"packetsReceived"_s).toDouble() + 100
            && later.value(u"packetsSent"_s).toDouble() >= first.value(u"packetsSent"_s).toDouble() + 100,
        qPrintable(describe(first) + u" → "_s + describe(later)), 15000);
    QCOMPARE(later.value(u"connectionState"_s).toString(), u"connected"_s);

    // The far end hears the softphone too: the server's own view of the call.
    HttpAnswer live;
    const auto serverPacketsReceived = [](const HttpAnswer &answer) {
        return answer.json.value(u"quality"_s).toObject().value(u"packets_received"_s).toDouble();
    };
    QTRY_VERIFY2_WITH_TIMEOUT(
        serverPacketsReceived(live = get(u"/api/calls/"_s + callId, token)) > 0,
        qPrintable(u"%1 %2"_s.arg(live.status).arg(QString::fromUtf8(live.body))), 15000);
    QCOMPARE(live.status, 200);
    QCOMPARE(live.json.value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(live.json.value(u"phone_number"_s).toString(), QString::fromLatin1(kNumber));

    const qint64 activeMs = active.elapsed();
    page->start(u"hangUp"_s, u"softphone.hangUp()"_s);
    QVariant hungUp;
    AWAIT_FULFILLED(*page, u"hangUp"_s, 30000, hungUp);
    const QVariantMap result = hungUp.toMap();
    QCOMPARE(result.value(u"call_id"_s).toString(), callId);
    QCOMPARE(result.value(u"status"_s).toString(), u"completed"_s);
    // The call was active at least from when the page saw it until the hang-up was sent (and the packet
    // counts above take two seconds), so the recorded whole seconds can be no fewer.
    const int duration = result.value(u"duration"_s).toInt();
    QVERIFY2(duration >= activeMs / 1000 && duration >= 2 && duration <= activeMs / 1000 + 3,
             qPrintable(u"duration %1 s after %2 ms seen active"_s.arg(duration).arg(activeMs)));
    QCOMPARE(page->callStatus(), u"completed"_s);
    QCOMPARE(page->evaluate(u"softphone.pc === null"_s).toBool(), true);
    qInfo().noquote() << u"active %1 ms, duration %2 s; softphone received %3 and sent %4 packets, server received %5"_s
                             .arg(activeMs)
                             .arg(duration)
                             .arg(later.value(u"packetsReceived"_s).toLongLong())
                             .arg(later.value(u"packetsSent"_s).toLongLong())
                             .arg(qint64(serverPacketsReceived(live)));

    const HttpAnswer ended = get(u"/api/calls/"_s + callId, token);
    QCOMPARE(ended.status, 200);
    QCOMPARE(ended.json.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(ended.json.value(u"duration"_s).toInt(-1), duration);
    QVERIFY2(serverPacketsReceived(ended) > 0, ended.body.constData()); // the quality was stored with the call

    QCOMPARE(requested.size(), 1); // nothing more was asked for
}

// Chromium 102 gives controls fonts of their own (a serif face under Xvfb): the page's controls
// take its sans-serif, and its texts pass WCAG AA, on the login form and on the phone. The same
// checks (tests/browser/pagechecks.js) as in Chromium and in the console.
void tst_SoftphoneWebEngine::page_oneFontAndReadable()
{
    QFile checks(QStringLiteral(SWITCHBOARD_PAGECHECKS));
    QVERIFY(checks.open(QIODevice::ReadOnly));
    auto page = newPage();
    QSignalSpy loaded(page.get(), &QWebEnginePage::loadFinished);
    page->load(m_origin.resolved(QUrl(u"/softphone/"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(page->evaluate(u"typeof window.softphoneUi"_s).toString(), u"object"_s, 10000);
    page->evaluate(QString::fromUtf8(checks.readAll()));

    const auto verifyLooks = [&page](const QString &where) {
        for (const QString &check : {u"fonts"_s, u"contrast"_s}) {
            const QStringList problems = page->evaluate(u"window.pageChecks.%1()"_s.arg(check)).toStringList();
            QVERIFY2(problems.isEmpty(), qPrintable(u"%1, %2:\n"_s.arg(where, check) + problems.join(u'\n')));
        }
    };
    verifyLooks(u"login form"_s);
    if (QTest::currentTestFailed())
        return;

    // Registered through the form: the phone with its dialer, lists and controls.
    page->evaluate(u"document.getElementById('email').value = 'look-%1@example.com';"
                   "document.getElementById('password').value = 'correct horse battery';"
                   "document.getElementById('register').click(); true"_s.arg(QCoreApplication::applicationPid()));
    QTRY_COMPARE_WITH_TIMEOUT(page->evaluate(u"document.getElementById('phone').hidden"_s).toBool(), false, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(page->evaluate(u"document.querySelectorAll('#country option').length"_s).toInt() > 200, 15000);
    // A page without a view still lays out: the checks see the rendered dialer.
    QVERIFY(page->evaluate(u"document.getElementById('call').getClientRects().length"_s).toInt() > 0);
    verifyLooks(u"phone"_s);
}

void tst_SoftphoneWebEngine::otherOrigin_permissionDenied_data()
{
    QTest::addColumn<QUrl>("url");         // loaded from the server …
    QTest::addColumn<QString>("html");     // … or, when set, this content with `url` as its base (and origin)
    QTest::addColumn<QString>("request");  // the promise that asks for a device
    QTest::addColumn<QString>("errorKey"); // what it must be rejected with
    QTest::addColumn<QString>("errorValue");
    QTest::addColumn<QUrl>("origin");
    QTest::addColumn<QWebEnginePage::Feature>("feature");

    const quint16 port = quint16(m_origin.port());
    const QUrl localhost(u"http://localhost:%1"_s.arg(port));
    QTest::addRow("the softphone itself, served under another host name")
        << localhost.resolved(QUrl(u"/softphone/"_s)) << QString() << u"softphone.openMicrophone()"_s << u"type"_s
        << u"microphone_denied"_s << localhost << QWebEnginePage::MediaAudioCapture;

    const QUrl elsewhere(u"https://elsewhere.example"_s);
    QTest::addRow("a page of another site")
        << elsewhere.resolved(QUrl(u"/"_s)) << u"<!doctype html><title>elsewhere</title><p>hello</p>"_s
        << u"navigator.mediaDevices.getUserMedia({ audio: true })"_s << u"name"_s << u"NotAllowedError"_s
        << elsewhere << QWebEnginePage::MediaAudioCapture;

    QTest::addRow("the server's own origin, asking for the camera")
        << m_origin.resolved(QUrl(u"/softphone/"_s)) << QString()
        << u"navigator.mediaDevices.getUserMedia({ video: true })"_s << u"name"_s << u"NotAllowedError"_s << m_origin
        << QWebEnginePage::MediaVideoCapture;
}

void tst_SoftphoneWebEngine::otherOrigin_permissionDenied()
{
    QFETCH(QUrl, url);
    QFETCH(QString, html);
    QFETCH(QString, request);
    QFETCH(QString, errorKey);
    QFETCH(QString, errorValue);
    QFETCH(QUrl, origin);
    QFETCH(QWebEnginePage::Feature, feature);

    auto page = newPage();
    QSignalSpy loaded(page.get(), &QWebEnginePage::loadFinished);
    QSignalSpy requested(page.get(), &QWebEnginePage::featurePermissionRequested);
    const qsizetype decisionsBefore = m_gate.decisions().size();
    if (html.isEmpty())
        page->load(url);
    else
        page->setHtml(html, url);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 30000);
    QVERIFY(loaded.first().first().toBool());
    if (html.isEmpty())
        QTRY_COMPARE_WITH_TIMEOUT(page->evaluate(u"typeof window.softphone?.dial"_s).toString(), u"function"_s, 10000);
    // A context where the device API exists at all: otherwise nothing would be asked, and nothing proven.
    QCOMPARE(page->evaluate(u"window.isSecureContext && typeof navigator.mediaDevices?.getUserMedia"_s).toString(),
             u"function"_s);

    page->start(u"request"_s, request);
    QTRY_VERIFY_WITH_TIMEOUT(page->settled(u"request"_s), 30000);
    const QVariantMap outcome = page->outcome(u"request"_s);
    QVERIFY2(outcome.value(u"state"_s) == u"rejected"_s, qPrintable(describe(outcome)));
    QVERIFY2(outcome.value(errorKey).toString() == errorValue, qPrintable(describe(outcome)));

    // The host was asked, by that origin, for that device, and said no.
    QCOMPARE(requested.size(), 1);
    const QUrl requestOrigin = requested.first().at(0).toUrl();
    QVERIFY2(sameOrigin(requestOrigin, origin), qPrintable(requestOrigin.toString()));
    QCOMPARE(requested.first().at(1).value<QWebEnginePage::Feature>(), feature);
    QCOMPARE(m_gate.decisions().size(), decisionsBefore + 1);
    QVERIFY(!m_gate.decisions().last().granted);
}

int main(int argc, char *argv[])
{
    // How the switches reach Chromium in QtWebEngine 6.4: if QTWEBENGINE_CHROMIUM_FLAGS is set, it
    // replaces the application's Chromium arguments, so ours go into it; otherwise only arguments
    // after --webEngineArgs reach Chromium, so ours go there. Either way before QtWebEngine starts.
    std::vector<char *> appArguments(argv, argv + argc);
    QByteArray webEngineArgs = "--webEngineArgs";
    std::vector<QByteArray> switches(std::begin(kChromiumSwitches), std::end(kChromiumSwitches));
    if (qEnvironmentVariableIsSet("QTWEBENGINE_CHROMIUM_FLAGS")) {
        QByteArray flags = qgetenv("QTWEBENGINE_CHROMIUM_FLAGS");
        for (const QByteArray &chromiumSwitch : switches)
            flags += ' ' + chromiumSwitch;
        qputenv("QTWEBENGINE_CHROMIUM_FLAGS", flags);
    } else {
        appArguments.push_back(webEngineArgs.data());
        for (QByteArray &chromiumSwitch : switches)
            appArguments.push_back(chromiumSwitch.data());
    }
    int appArgc = int(appArguments.size());
    appArguments.push_back(nullptr);

    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QGuiApplication app(appArgc, appArguments.data());
    tst_SoftphoneWebEngine test;
    // QtTest parses the original arguments: the Chromium ones are not its business.
    return QTest::qExec(&test, argc, argv);
}

#include "tst_softphone_webengine.moc"
