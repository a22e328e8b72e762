#include "faketwilio.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace {

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
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
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

FakeTwilio::FakeTwilio(QObject *parent) : QObject(parent)
{
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

void FakeTwilio::setCallStatus(const QString &sid, const QString &status, std::optional<int> durationSeconds)
{
    m_calls[sid].status = status;
    m_calls[sid].durationSeconds = durationSeconds;
}

void FakeTwilio::failNext(int httpStatus, int code, const QString &message, int times)
{
    for (int i = 0; i < times; ++i)
        m_script.push_back({httpStatus, code, message});
}

void FakeTwilio::hangNext(int times)
{
    for (int i = 0; i < times; ++i)
        m_script.push_back({});
}

void FakeTwilio::dropNext(int times)
{
    for (int i = 0; i < times; ++i)
        m_script.push_back({-1, 0, {}});
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
        request.path = QString::fromUtf8(requestLine[1]);
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

void FakeTwilio::handle(QTcpSocket *socket, Request request)
{
    m_requests.append(request);
    if (!m_script.empty()) {
        const Scripted next = m_script.front();
        m_script.pop_front();
        if (next.status == 0)
            return; // never answered
        if (next.status < 0)
            return socket->abort();
        return answerError(socket, next.status, next.code, next.message);
    }

    const QByteArray authorization = request.header("Authorization");
    const QByteArray withToken = "Basic " + (QByteArray(kAccountSid) + ':' + kAuthToken).toBase64();
    const QByteArray withKey = "Basic " + (QByteArray(kApiKey) + ':' + kApiSecret).toBase64();
    if (authorization != withToken && authorization != withKey)
        return answerError(socket, 401, 20003, u"Authenticate"_s);

    static const QRegularExpression callsPath(u"^/2010-04-01/Accounts/([^/]+)/Calls\\.json$"_s);
    static const QRegularExpression callPath(u"^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\\.json$"_s);
    const QRegularExpressionMatch many = callsPath.match(request.path);
    const QRegularExpressionMatch one = callPath.match(request.path);
    const QString account = many.hasMatch() ? many.captured(1) : one.captured(1);
    if ((!many.hasMatch() && !one.hasMatch()) || account != QLatin1StringView(kAccountSid))
        return answerError(socket, 404, 20404, u"The requested resource %1 was not found"_s.arg(request.path));

    if (many.hasMatch()) {
        if (request.method != "POST")
            return answerError(socket, 405, 20004, u"Method not allowed"_s);
        if (request.formValue(u"To"_s).isEmpty())
            return answerError(socket, 400, 21201, u"No 'To' number is specified"_s);
        if (request.formValue(u"From"_s).isEmpty())
            return answerError(socket, 400, 21603, u"A 'From' phone number is required."_s);
        if (request.formValue(u"Twiml"_s).isEmpty() && request.formValue(u"Url"_s).isEmpty())
            return answerError(socket, 400, 21205, u"Url parameter is required."_s);
        Call created;
        created.sid = u"CA"_s + QUuid::createUuid().toString(QUuid::Id128);
        created.to = request.formValue(u"To"_s);
        created.from = request.formValue(u"From"_s);
        m_calls.insert(created.sid, created);
        m_order.append(created.sid);
        return answer(socket, 201, callJson(created));
    }

    const auto it = m_calls.find(one.captured(2));
    if (it == m_calls.end())
        return answerError(socket, 404, 20404, u"The requested resource %1 was not found"_s.arg(request.path));
    if (request.method == "GET")
        return answer(socket, 200, callJson(*it));
    if (request.method != "POST")
        return answerError(socket, 405, 20004, u"Method not allowed"_s);
    const QString status = request.formValue(u"Status"_s);
    const bool live = it->status == u"queued"_s || it->status == u"ringing"_s || it->status == u"in-progress"_s;
    if (status == u"canceled"_s) {
        // Cancel withdraws a call that is queued or ringing and leaves an answered one up.
        if (it->status == u"queued"_s || it->status == u"ringing"_s)
            it->status = u"canceled"_s;
    } else if (status == u"completed"_s) {
        if (live)
            it->status = u"completed"_s;
    } else {
        return answerError(socket, 400, 21218, u"Invalid Status"_s);
    }
    answer(socket, 200, callJson(*it));
}

QByteArray FakeTwilio::callJson(const Call &call) const
{
    const QString base = u"/2010-04-01/Accounts/%1/Calls/%2"_s.arg(QLatin1StringView(kAccountSid), call.sid);
    QJsonObject json{
        {u"sid"_s, call.sid},
        {u"account_sid"_s, QLatin1StringView(kAccountSid)},
        {u"to"_s, call.to},
        {u"from"_s, call.from},
        {u"status"_s, call.status},
        {u"direction"_s, u"outbound-api"_s},
        {u"api_version"_s, u"2010-04-01"_s},
        {u"uri"_s, base + u".json"_s},
        {u"duration"_s, call.durationSeconds ? QJsonValue(QString::number(*call.durationSeconds)) : QJsonValue()},
    };
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
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
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status)
                  + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
}
