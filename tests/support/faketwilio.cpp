#include "faketwilio.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>
#include <QUuid>
#include <QXmlStreamReader>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kMaxTwimlLength = 4000;
const QString kApiVersion = u"2010-04-01"_s;

QList<std::pair<QString, QString>> decodeForm(const QByteArray &body)
{
    QList<std::pair<QString, QString>> form;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        auto decode = [](QByteArray part) {
            return QString::fromUtf8(QByteArray::fromPercentEncoding(part.replace('+', ' ')));
        };
        form.append({decode(pair.left(equals < 0 ? pair.size() : equals)),
                     equals < 0 ? QString() : decode(pair.mid(equals + 1))});
    }
    return form;
}

QByteArray reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

QString rfc2822(const QDateTime &time)
{
    return time.isValid() ? QLocale::c().toString(time.toUTC(), u"ddd, dd MMM yyyy hh:mm:ss +0000"_s) : QString();
}

bool isLive(const QString &status)
{
    return status == u"queued"_s || status == u"ringing"_s || status == u"in-progress"_s;
}

/// The StatusCallbackEvent a status belongs to.
QString eventOf(const QString &status)
{
    if (status == u"initiated"_s || status == u"ringing"_s)
        return status;
    return status == u"in-progress"_s ? u"answered"_s : u"completed"_s;
}

/// The SIP code Twilio reports for an ended call.
QString sipCodeOf(const QString &status)
{
    if (status == u"busy"_s)
        return u"486"_s;
    if (status == u"no-answer"_s || status == u"canceled"_s)
        return u"487"_s;
    return status == u"failed"_s ? u"500"_s : u"200"_s;
}

/// What a TwiML document dials first: <Client> (with its status callback) or <Number>.
struct Dialled
{
    QString kind; ///< Client, Number, Play, or empty
    QString target; ///< the identity or the number
    QString statusCallback;
    QStringList events;
    bool goesOn = false; ///< verbs follow the Dial (the message after a missed operator)
};

Dialled readTwiml(const QString &twiml)
{
    Dialled dialled;
    QXmlStreamReader xml(twiml);
    bool inDial = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == u"Dial"_s)
            inDial = false;
        if (!xml.isStartElement())
            continue;
        const QStringView name = xml.name();
        if (!dialled.kind.isEmpty() && !inDial && name != u"Response"_s) {
            dialled.goesOn = true;
        } else if (name == u"Dial"_s) {
            inDial = true;
        } else if (name == u"Play"_s && dialled.kind.isEmpty()) {
            dialled.kind = u"Play"_s;
        } else if ((name == u"Client"_s || name == u"Number"_s) && dialled.kind.isEmpty()) {
            dialled.kind = name.toString();
            dialled.statusCallback = xml.attributes().value(u"statusCallback"_s).toString();
            dialled.events = xml.attributes().value(u"statusCallbackEvent"_s).toString().split(u' ', Qt::SkipEmptyParts);
            if (name == u"Number"_s)
                dialled.target = xml.readElementText();
        } else if (name == u"Identity"_s) {
            dialled.target = xml.readElementText();
        }
    }
    return dialled;
}

} // namespace

QByteArray FakeTwilio::Request::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString FakeTwilio::Request::formValue(const QString &name) const
{
    const QStringList values = formValues(name);
    return values.isEmpty() ? QString() : values.first();
}

QStringList FakeTwilio::Request::formValues(const QString &name) const
{
    QStringList values;
    for (const auto &[key, value] : form) {
        if (key == name)
            values.append(value);
    }
    return values;
}

QStringList FakeTwilio::Request::formNames() const
{
    QStringList names;
    for (const auto &[key, value] : form) {
        if (!names.contains(key))
            names.append(key);
    }
    return names;
}

FakeTwilio::FakeTwilio(QObject *parent) : QObject(parent), m_callbacks(kAuthToken)
{
    m_clock.start();
    connect(&m_server, &QTcpServer::newConnection, this, [this]() {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket]() { onReadyRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket]() {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    });
}

bool FakeTwilio::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl FakeTwilio::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort()));
}

QList<FakeTwilio::Request> FakeTwilio::requests(const QByteArray &method) const
{
    QList<Request> matching;
    for (const Request &request : m_requests) {
        if (request.method == method)
            matching.append(request);
    }
    return matching;
}

std::optional<FakeTwilio::Call> FakeTwilio::call(const QString &sid) const
{
    const auto it = m_calls.constFind(sid);
    return it == m_calls.cend() ? std::nullopt : std::optional<Call>(*it);
}

QStringList FakeTwilio::legsOf(const QString &parentSid) const
{
    QList<const Call *> legs;
    for (const Call &call : m_calls) {
        if (call.parentCallSid == parentSid)
            legs.append(&call);
    }
    std::sort(legs.begin(), legs.end(), [](const Call *a, const Call *b) { return a->created < b->created; });
    QStringList sids;
    for (const Call *leg : std::as_const(legs))
        sids.append(leg->sid);
    return sids;
}

QString FakeTwilio::addCall(const QString &to, const QString &from)
{
    Call added;
    added.sid = u"CA"_s + QUuid::createUuid().toString(QUuid::Id128);
    added.to = to;
    added.from = from;
    added.created = now();
    m_calls.insert(added.sid, added);
    m_order.append(added.sid);
    return added.sid;
}

void FakeTwilio::setCallStatus(const QString &sid, const QString &status, std::optional<int> durationSeconds)
{
    Call &call = m_calls[sid];
    call.durationSeconds = durationSeconds;
    moveTo(call, status);
}

void FakeTwilio::setFarEnd(const QString &number, const FarEnd &farEnd)
{
    m_farEnds.insert(number, farEnd);
}

void FakeTwilio::setOperatorLeg(const QString &outcome)
{
    m_operatorLeg = outcome;
}

void FakeTwilio::setCallsPerSecond(int callsPerSecond)
{
    m_callsPerSecond = callsPerSecond;
}

void FakeTwilio::setClockOffset(qint64 offsetMs)
{
    m_clockOffsetMs = offsetMs;
}

void FakeTwilio::setTrialAccount(const QStringList &verifiedNumbers)
{
    m_trialVerified = verifiedNumbers;
}

void FakeTwilio::setBlockedPrefixes(const QStringList &prefixes)
{
    m_blockedPrefixes = prefixes;
}

void FakeTwilio::deliverCallbacksTo(const QUrl &server)
{
    m_callbacks.setServer(server);
}

void FakeTwilio::failNext(int httpStatus, int code, const QString &message, int times)
{
    for (int i = 0; i < times; ++i)
        m_script.push_back({Scripted::When::Instead, httpStatus, code, message});
}

void FakeTwilio::hangNext(int times)
{
    for (int i = 0; i < times; ++i)
        m_script.push_back({});
}

void FakeTwilio::dropNext(int times)
{
    for (int i = 0; i < times; ++i)
        m_script.push_back({Scripted::When::Instead, -1, 0, {}});
}

void FakeTwilio::failAfterCreate(int httpStatus, int code, const QString &message)
{
    m_script.push_back({Scripted::When::AfterCreate, httpStatus, code, message});
}

void FakeTwilio::hangAfterCreate()
{
    m_script.push_back({Scripted::When::AfterCreate, 0, 0, {}});
}

void FakeTwilio::dropAfterCreate()
{
    m_script.push_back({Scripted::When::AfterCreate, -1, 0, {}});
}

QDateTime FakeTwilio::now() const
{
    return QDateTime::currentDateTimeUtc().addMSecs(m_clockOffsetMs);
}

void FakeTwilio::later(int ms, std::function<void()> work)
{
    QTimer::singleShot(ms, this, std::move(work));
}

void FakeTwilio::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() < 3)
            return socket->abort();
        Request request;
        request.method = requestLine[0];
        const QString target = QString::fromUtf8(requestLine[1]);
        request.path = target.section(u'?', 0, 0);
        request.query = target.section(u'?', 1);
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = lines[i].left(colon).trimmed();
            const QByteArray value = lines[i].mid(colon + 1).trimmed();
            request.headers.append({name, value});
            if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
                length = value.toLongLong();
        }
        if (buffer.size() < headEnd + 4 + length)
            return;
        request.body = buffer.mid(headEnd + 4, length);
        buffer.remove(0, headEnd + 4 + length);
        if (request.header("Content-Type").startsWith("application/x-www-form-urlencoded"))
            request.form = decodeForm(request.body);
        handle(socket, std::move(request));
    }
}

bool FakeTwilio::scripted(QTcpSocket *socket, Scripted::When when)
{
    if (m_script.empty() || m_script.front().when != when)
        return false;
    const Scripted next = m_script.front();
    m_script.pop_front();
    if (next.status < 0)
        socket->abort();
    else if (next.status > 0)
        answerError(socket, next.status, next.code, next.message);
    return true; // status 0: read, and never answered
}

void FakeTwilio::handle(QTcpSocket *socket, Request request)
{
    m_requests.append(request);
    if (scripted(socket, Scripted::When::Instead))
        return;

    const QByteArray authorization = request.header("Authorization");
    auto basic = [](const char *user, const char *password) {
        return "Basic " + (QByteArray(user) + ':' + password).toBase64();
    };
    const bool testAccount = authorization == basic(kTestAccountSid, kTestAuthToken);
    if (authorization != basic(kAccountSid, kAuthToken) && authorization != basic(kApiKey, kApiSecret) && !testAccount)
        return answerError(socket, 401, 20003, u"Authenticate"_s);

    static const QRegularExpression callsPath(u"^/2010-04-01/Accounts/([^/]+)/Calls\\.json$"_s);
    static const QRegularExpression callPath(u"^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\\.json$"_s);
    const QRegularExpressionMatch many = callsPath.match(request.path);
    const QRegularExpressionMatch one = callPath.match(request.path);
    const QString account = many.hasMatch() ? many.captured(1) : one.captured(1);
    const QLatin1StringView expected(testAccount ? kTestAccountSid : kAccountSid);
    if ((!many.hasMatch() && !one.hasMatch()) || account != expected)
        return answerError(socket, 404, 20404, u"The requested resource %1 was not found"_s.arg(request.path));
    if (many.hasMatch() && request.method == "POST")
        return create(socket, request, testAccount);
    // Test credentials reach nothing but the creation of calls.
    if (testAccount)
        return answerError(socket, 403, 20008, u"Resource not accessible with Test Account Credentials"_s);
    if (many.hasMatch())
        return request.method == "GET" ? list(socket, request) : answerError(socket, 405, 20004, u"Method not allowed"_s);

    const auto it = m_calls.find(one.captured(2));
    if (it == m_calls.end())
        return answerError(socket, 404, 20404, u"The requested resource %1 was not found"_s.arg(request.path));
    if (request.method == "GET")
        return answer(socket, 200, QJsonDocument(callJson(*it)).toJson(QJsonDocument::Compact));
    if (request.method != "POST")
        return answerError(socket, 405, 20004, u"Method not allowed"_s);
    update(socket, *it, request);
}

std::optional<FakeTwilio::Refusal> FakeTwilio::refusal(const Request &request, bool testAccount) const
{
    static const QRegularExpression e164(u"^\\+[1-9][0-9]{6,14}$"_s);
    const QString to = request.formValue(u"To"_s);
    const QString from = request.formValue(u"From"_s);
    if (to.isEmpty())
        return Refusal{400, 21201, u"No 'To' number is specified"_s};
    if (from.isEmpty())
        return Refusal{400, 21603, u"A 'From' phone number is required."_s};
    if (request.formValue(u"Twiml"_s).isEmpty() && request.formValue(u"Url"_s).isEmpty())
        return Refusal{400, 21205, u"Url parameter is required."_s};
    if (request.formValue(u"Twiml"_s).size() > kMaxTwimlLength)
        return Refusal{400, 32018, u"Twiml size exceeded maximum allowed value of 4000 characters"_s};
    const QString callback = request.formValue(u"StatusCallback"_s);
    const QUrl callbackUrl(callback, QUrl::StrictMode);
    if (!callback.isEmpty() && (!callbackUrl.isValid() || !callbackUrl.scheme().startsWith(u"http"_s)
                                || callbackUrl.host().isEmpty() || callbackUrl.host().contains(u'_'))) {
        return Refusal{400, 21609, u"The StatusCallback URL %1 is not a valid URL."_s.arg(callback)};
    }
    const QStringList events{u"initiated"_s, u"ringing"_s, u"answered"_s, u"completed"_s};
    for (const QString &event : request.formValues(u"StatusCallbackEvent"_s)) {
        if (!events.contains(event))
            return Refusal{400, 21626, u"Invalid 'StatusCallbackEvent'"_s};
    }
    if (testAccount)
        return refusalForTestAccount(request);
    if (!e164.match(to).hasMatch())
        return Refusal{400, 21211, u"Invalid 'To' Phone Number: %1"_s.arg(to)};
    if (from != QLatin1StringView(kFromNumber))
        return Refusal{400, 21210, u"The source phone number provided, %1, is not yet verified for your account."_s.arg(from)};
    for (const QString &prefix : m_blockedPrefixes) {
        if (to.startsWith(prefix))
            return Refusal{400, 21215, u"Account not authorized to call %1. Perhaps you need to enable some "
                                        "international permissions"_s.arg(to)};
    }
    if (m_trialVerified && !m_trialVerified->contains(to))
        return Refusal{400, 21219, u"The number %1 is unverified. Trial accounts may only make calls to verified "
                                    "numbers."_s.arg(to)};
    return std::nullopt;
}

std::optional<FakeTwilio::Refusal> FakeTwilio::refusalForTestAccount(const Request &request) const
{
    // https://www.twilio.com/docs/iam/test-credentials: the magic numbers for calls.
    const QString to = request.formValue(u"To"_s);
    const QString from = request.formValue(u"From"_s);
    if (from == u"+15005550001"_s)
        return Refusal{400, 21212, u"The 'From' number %1 is not a valid phone number"_s.arg(from)};
    if (from != u"+15005550006"_s)
        return Refusal{400, 21210, u"The source phone number provided, %1, is not yet verified for your account."_s.arg(from)};
    if (to == u"+15005550001"_s)
        return Refusal{400, 21217, u"Phone number does not appear to be valid"_s};
    if (to == u"+15005550002"_s)
        return Refusal{400, 21214, u"'To' phone number cannot be reached"_s};
    if (to == u"+15005550003"_s)
        return Refusal{400, 21215, u"Account not authorized to call %1."_s.arg(to)};
    if (to == u"+15005550004"_s)
        return Refusal{400, 21216, u"Account not allowed to call %1"_s.arg(to)};
    return std::nullopt;
}

void FakeTwilio::create(QTcpSocket *socket, const Request &request, bool testAccount)
{
    if (std::optional<Refusal> refused = refusal(request, testAccount))
        return answerError(socket, refused->status, refused->code, refused->message);
    Call created;
    created.sid = u"CA"_s + QUuid::createUuid().toString(QUuid::Id128);
    created.to = request.formValue(u"To"_s);
    created.from = request.formValue(u"From"_s);
    created.twiml = request.formValue(u"Twiml"_s);
    created.ringSeconds = request.formValue(u"Timeout"_s).toInt();
    created.created = now();
    // Test calls are never placed, and never report on themselves.
    if (!testAccount) {
        created.statusCallback = request.formValue(u"StatusCallback"_s);
        created.callbackEvents = request.formValues(u"StatusCallbackEvent"_s);
        if (!created.statusCallback.isEmpty() && created.callbackEvents.isEmpty())
            created.callbackEvents = QStringList{u"completed"_s}; // the documented default
        // Placed at the account's rate; the rest wait in the queue.
        const qint64 at = m_clock.elapsed();
        const qint64 slot = qMax(at, m_queueFreeAtMs);
        m_queueFreeAtMs = slot + 1000 / qMax(1, m_callsPerSecond);
        created.queueTimeMs = int(slot - at);
        if (m_farEnds.contains(created.to))
            later(created.queueTimeMs, [this, sid = created.sid]() { place(sid); });
    }
    m_calls.insert(created.sid, created);
    m_order.append(created.sid);
    if (scripted(socket, Scripted::When::AfterCreate))
        return;
    answer(socket, 201, QJsonDocument(callJson(created)).toJson(QJsonDocument::Compact));
}

void FakeTwilio::update(QTcpSocket *socket, Call &call, const Request &request)
{
    const QString status = request.formValue(u"Status"_s);
    const QString twiml = request.formValue(u"Twiml"_s);
    if (!status.isEmpty()) {
        const bool unanswered = call.status == u"queued"_s || call.status == u"ringing"_s;
        if (status != u"canceled"_s && status != u"completed"_s)
            return answerError(socket, 400, 21218, u"Invalid Status"_s);
        // canceled withdraws a call not yet answered; completed hangs up any live call. An
        // ended call stays as it is (the documentation is silent: answered 200, unchanged).
        if (unanswered) {
            moveTo(call, u"canceled"_s);
        } else if (status == u"completed"_s && call.status == u"in-progress"_s) {
            endLegs(call.sid);
            moveTo(call, u"completed"_s);
        }
        return answer(socket, 200, QJsonDocument(callJson(call)).toJson(QJsonDocument::Compact));
    }
    if (twiml.isEmpty())
        return answerError(socket, 400, 21205, u"Url parameter is required."_s);
    if (twiml.size() > kMaxTwimlLength)
        return answerError(socket, 400, 32018, u"Twiml size exceeded maximum allowed value of 4000 characters"_s);
    if (call.status != u"in-progress"_s)
        return answerError(socket, 400, 21220, u"Call is not in-progress. Cannot redirect."_s);
    // The document running now (a Dial, music) stops, and its legs end.
    endLegs(call.sid);
    call.twiml = twiml;
    answer(socket, 200, QJsonDocument(callJson(call)).toJson(QJsonDocument::Compact));
    later(0, [this, sid = call.sid]() { execute(sid); });
}

void FakeTwilio::list(QTcpSocket *socket, const Request &request)
{
    const QList<std::pair<QString, QString>> filters = decodeForm(request.query.toUtf8());
    auto filter = [&](const QString &name) {
        for (const auto &[key, value] : filters) {
            if (key == name)
                return value;
        }
        return QString();
    };
    QList<const Call *> matching;
    for (const Call &call : std::as_const(m_calls)) {
        const bool matches = (filter(u"To"_s).isEmpty() || call.to == filter(u"To"_s))
            && (filter(u"From"_s).isEmpty() || call.from == filter(u"From"_s))
            && (filter(u"ParentCallSid"_s).isEmpty() || call.parentCallSid == filter(u"ParentCallSid"_s))
            && (filter(u"Status"_s).isEmpty() || call.status == filter(u"Status"_s));
        if (matches)
            matching.append(&call);
    }
    std::sort(matching.begin(), matching.end(), [](const Call *a, const Call *b) { return a->created > b->created; });
    const int pageSize = filter(u"PageSize"_s).isEmpty() ? 50 : filter(u"PageSize"_s).toInt();
    QJsonArray calls;
    for (const Call *call : matching.first(qMin(qsizetype(pageSize), matching.size())))
        calls.append(callJson(*call));
    const QString uri = request.path + (request.query.isEmpty() ? QString() : u"?"_s + request.query);
    const QJsonObject page{
        {u"calls"_s, calls}, {u"end"_s, qMax(0, int(calls.size()) - 1)}, {u"first_page_uri"_s, uri},
        {u"next_page_uri"_s, QJsonValue()}, {u"page"_s, 0}, {u"page_size"_s, pageSize},
        {u"previous_page_uri"_s, QJsonValue()}, {u"start"_s, 0}, {u"uri"_s, uri},
    };
    answer(socket, 200, QJsonDocument(page).toJson(QJsonDocument::Compact));
}

void FakeTwilio::place(const QString &sid)
{
    const auto it = m_calls.find(sid);
    if (it == m_calls.end() || it->status != u"queued"_s)
        return; // canceled while it waited
    // Leaving the queue is reported as `initiated`; the resource then rings.
    moveTo(*it, u"initiated"_s);
    later(10, [this, sid]() { ring(sid); });
}

void FakeTwilio::ring(const QString &sid)
{
    const auto it = m_calls.find(sid);
    if (it == m_calls.end() || !isLive(it->status))
        return;
    moveTo(*it, u"ringing"_s);
    const FarEnd farEnd = m_farEnds.value(it->to);
    later(farEnd.ringMs, [this, sid, outcome = farEnd.outcome]() { pickUp(sid, outcome); });
}

void FakeTwilio::pickUp(const QString &sid, const QString &outcome)
{
    const auto it = m_calls.find(sid);
    if (it == m_calls.end() || it->status != u"ringing"_s)
        return;
    if (outcome != u"in-progress"_s)
        return moveTo(*it, outcome);
    it->answeredAt = now();
    moveTo(*it, u"in-progress"_s);
    execute(sid);
    const int talkMs = m_farEnds.value(it->to).talkMs;
    if (talkMs < 0)
        return;
    later(talkMs, [this, sid]() {
        const auto it = m_calls.find(sid);
        if (it == m_calls.end() || it->status != u"in-progress"_s)
            return;
        endLegs(sid);
        moveTo(*it, u"completed"_s);
    });
}

void FakeTwilio::execute(const QString &sid)
{
    const auto it = m_calls.find(sid);
    if (it == m_calls.end() || it->status != u"in-progress"_s)
        return;
    const Dialled dialled = readTwiml(it->twiml);
    if (dialled.kind == u"Client"_s)
        return dialOperator(sid, it->twiml);
    if (dialled.kind == u"Number"_s) {
        Call leg;
        leg.sid = u"CA"_s + QUuid::createUuid().toString(QUuid::Id128);
        leg.parentCallSid = sid;
        leg.direction = u"outbound-dial"_s;
        leg.to = dialled.target;
        leg.from = it->from;
        leg.created = now();
        leg.answeredAt = now();
        leg.status = u"in-progress"_s;
        m_calls.insert(leg.sid, leg);
        return;
    }
    if (dialled.kind.isEmpty())
        moveTo(*it, u"completed"_s); // nothing to do: Twilio hangs up
}

void FakeTwilio::dialOperator(const QString &parentSid, const QString &twiml)
{
    const Dialled dialled = readTwiml(twiml);
    const Call &parent = m_calls[parentSid];
    Call leg;
    leg.sid = u"CA"_s + QUuid::createUuid().toString(QUuid::Id128);
    leg.parentCallSid = parentSid;
    leg.direction = u"outbound-dial"_s;
    leg.to = u"client:"_s + dialled.target;
    leg.from = parent.from;
    leg.created = now();
    leg.status = u"ringing"_s;
    leg.statusCallback = dialled.statusCallback;
    leg.callbackEvents = dialled.events;
    m_calls.insert(leg.sid, leg);
    later(20, [this, legSid = leg.sid, parentSid, goesOn = dialled.goesOn]() {
        const auto it = m_calls.find(legSid);
        if (it == m_calls.end() || it->status != u"ringing"_s)
            return;
        if (m_operatorLeg == u"in-progress"_s)
            it->answeredAt = now();
        moveTo(*it, m_operatorLeg);
        // A missed operator: the document goes on after the Dial (a message), then ends.
        if (m_operatorLeg != u"in-progress"_s) {
            later(goesOn ? 30 : 0, [this, parentSid]() {
                const auto parent = m_calls.find(parentSid);
                if (parent != m_calls.end() && parent->status == u"in-progress"_s)
                    moveTo(*parent, u"completed"_s);
            });
        }
    });
}

void FakeTwilio::endLegs(const QString &parentSid)
{
    for (Call &leg : m_calls) {
        if (leg.parentCallSid == parentSid && isLive(leg.status))
            moveTo(leg, leg.status == u"in-progress"_s ? u"completed"_s : u"canceled"_s);
    }
}

void FakeTwilio::moveTo(Call &call, const QString &status)
{
    // `initiated` is an event, not a status of the resource, which stays queued until it rings.
    if (status != u"initiated"_s)
        call.status = status;
    if (!isLive(status) && status != u"initiated"_s && call.answeredAt.isValid() && !call.durationSeconds)
        call.durationSeconds = int(call.answeredAt.secsTo(now()));
    if (call.statusCallback.isEmpty() || !call.callbackEvents.contains(eventOf(status)))
        return;
    const bool ended = !isLive(status) && status != u"initiated"_s;
    FakeTwilioCallbacks::Parameters parameters{
        {u"AccountSid"_s, QString::fromLatin1(kAccountSid)}, {u"ApiVersion"_s, kApiVersion},
        {u"CallSid"_s, call.sid}, {u"CallStatus"_s, status}, {u"Direction"_s, call.direction},
        {u"From"_s, call.from}, {u"To"_s, call.to}, {u"Caller"_s, call.from}, {u"Called"_s, call.to},
        {u"FromCity"_s, u"SAN FRANCISCO"_s}, {u"FromState"_s, u"CA"_s}, {u"FromZip"_s, u"94103"_s},
        {u"FromCountry"_s, u"US"_s}, {u"CallerCity"_s, u"SAN FRANCISCO"_s}, {u"CallerState"_s, u"CA"_s},
        {u"CallerZip"_s, u"94103"_s}, {u"CallerCountry"_s, u"US"_s}, {u"ToCity"_s, QString()},
        {u"ToState"_s, QString()}, {u"ToZip"_s, QString()}, {u"ToCountry"_s, u"DE"_s}, {u"CalledCity"_s, QString()},
        {u"CalledState"_s, QString()}, {u"CalledZip"_s, QString()}, {u"CalledCountry"_s, u"DE"_s},
        {u"CallbackSource"_s, u"call-progress-events"_s}, {u"SequenceNumber"_s, QString::number(call.sequence++)},
        {u"Timestamp"_s, rfc2822(now())},
        // One Twilio has not documented yet: the signature covers it, and nothing else may mind it.
        {u"FutureInsightsFlag"_s, u"on"_s},
    };
    if (!call.parentCallSid.isEmpty())
        parameters.append({u"ParentCallSid"_s, call.parentCallSid});
    if (ended) {
        parameters.append({u"CallDuration"_s, QString::number(call.durationSeconds.value_or(0))});
        parameters.append({u"Duration"_s, QString::number((call.durationSeconds.value_or(0) + 59) / 60)});
        parameters.append({u"SipResponseCode"_s, sipCodeOf(status)});
    }
    m_callbacks.post(call.statusCallback, parameters);
}

QJsonObject FakeTwilio::callJson(const Call &call) const
{
    const QString base = u"/2010-04-01/Accounts/%1/Calls/%2"_s.arg(QLatin1StringView(kAccountSid), call.sid);
    const bool ended = !isLive(call.status);
    return QJsonObject{
        {u"sid"_s, call.sid},
        {u"account_sid"_s, QLatin1StringView(kAccountSid)},
        {u"date_created"_s, rfc2822(call.created)},
        {u"date_updated"_s, rfc2822(now())},
        {u"parent_call_sid"_s, call.parentCallSid.isEmpty() ? QJsonValue() : QJsonValue(call.parentCallSid)},
        {u"to"_s, call.to},
        {u"to_formatted"_s, call.to},
        {u"from"_s, call.from},
        {u"from_formatted"_s, call.from},
        {u"phone_number_sid"_s, QJsonValue()},
        {u"status"_s, call.status},
        {u"start_time"_s, call.status == u"queued"_s ? QJsonValue() : QJsonValue(rfc2822(call.created))},
        {u"end_time"_s, ended ? QJsonValue(rfc2822(now())) : QJsonValue()},
        {u"duration"_s, call.durationSeconds ? QJsonValue(QString::number(*call.durationSeconds)) : QJsonValue()},
        {u"price"_s, QJsonValue()},
        {u"price_unit"_s, u"USD"_s},
        {u"direction"_s, call.direction},
        {u"answered_by"_s, QJsonValue()},
        {u"api_version"_s, kApiVersion},
        {u"forwarded_from"_s, QJsonValue()},
        {u"group_sid"_s, QJsonValue()},
        {u"caller_name"_s, QJsonValue()},
        {u"queue_time"_s, QString::number(call.queueTimeMs)},
        {u"trunk_sid"_s, QJsonValue()},
        {u"uri"_s, base + u".json"_s},
        {u"subresource_uris"_s, QJsonObject{{u"notifications"_s, base + u"/Notifications.json"_s},
                                            {u"recordings"_s, base + u"/Recordings.json"_s},
                                            {u"events"_s, base + u"/Events.json"_s}}},
    };
}

void FakeTwilio::answerError(QTcpSocket *socket, int status, int code, const QString &message)
{
    const QJsonObject json{
        {u"code"_s, code},
        {u"message"_s, message},
        {u"more_info"_s, u"https://www.twilio.com/docs/errors/%1"_s.arg(code)},
        {u"status"_s, status},
    };
    answer(socket, status, QJsonDocument(json).toJson(QJsonDocument::Compact));
}

void FakeTwilio::answer(QTcpSocket *socket, int status, const QByteArray &body)
{
    const QByteArray date = QLocale::c().toString(now(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1();
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\nDate: " + date
                  + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
}
