#include "integrationsupport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace Integration {

namespace {

QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

void expectLog(QtMsgType type, const QString &pattern)
{
    QTest::ignoreMessage(type, QRegularExpression(pattern));
}

LogCapture::LogCapture()
{
    g_previousHandler = qInstallMessageHandler(captureLog);
}

LogCapture::~LogCapture()
{
    qInstallMessageHandler(g_previousHandler);
    clear();
}

QStringList LogCapture::messages() const
{
    QMutexLocker lock(&g_logMutex);
    return g_log;
}

void LogCapture::clear()
{
    QMutexLocker lock(&g_logMutex);
    g_log.clear();
}

QString LogCapture::firstContaining(const QStringList &secrets) const
{
    for (const QString &message : messages()) {
        for (const QString &secret : secrets) {
            if (message.contains(secret))
                return message;
        }
    }
    return {};
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QJsonObject jwtPart(const QString &token, int index)
{
    const QByteArray part = token.toLatin1().split('.').value(index);
    const QByteArray json = QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding);
    return QJsonDocument::fromJson(json).object();
}

static QByteArray compact(const QJsonObject &object)
{
    return base64Url(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString signJwt(const QJsonObject &header, const QJsonObject &payload, const QByteArray &key,
                QCryptographicHash::Algorithm algorithm)
{
    const QByteArray signingInput = compact(header) + '.' + compact(payload);
    const QByteArray mac = QMessageAuthenticationCode::hash(signingInput, key, algorithm);
    return QString::fromLatin1(signingInput + '.' + base64Url(mac));
}

QString unsignedJwt(const QJsonObject &header, const QJsonObject &payload, const QByteArray &signaturePart)
{
    return QString::fromLatin1(compact(header) + '.' + compact(payload) + '.' + signaturePart);
}

QByteArray RawResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool RawResponse::hasHeader(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QJsonObject RawResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

bool RawResponse::isErrorFormat() const
{
    const QJsonObject object = json();
    return object.size() == 2 && object.value(u"error"_s).isString() && !object.value(u"error"_s).toString().isEmpty()
        && object.value(u"message"_s).isString() && !object.value(u"message"_s).toString().isEmpty()
        && header("Content-Type").startsWith("application/json");
}

QByteArray rawRequest(const QByteArray &method, const QByteArray &target, const QByteArray &body,
                      const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    bool hasLength = false;
    for (const auto &[name, value] : headers) {
        request += name + ": " + value + "\r\n";
        hasLength = hasLength || name.compare("Content-Length", Qt::CaseInsensitive) == 0
            || name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0;
    }
    if (!body.isEmpty() && !hasLength)
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return request + "\r\n" + body;
}

QList<RawResponse> takeResponses(QByteArray *buffer)
{
    QList<RawResponse> result;
    for (;;) {
        const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
        if (headEnd < 0)
            return result;
        const QList<QByteArray> lines = buffer->left(headEnd).split('\n');
        RawResponse response;
        response.statusLine = lines.value(0).trimmed();
        response.status = response.statusLine.split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                response.headers.emplaceBack(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
        }
        const qsizetype length = response.header("Content-Length").toLongLong();
        if (buffer->size() < headEnd + 4 + length)
            return result;
        response.body = buffer->mid(headEnd + 4, length);
        buffer->remove(0, headEnd + 4 + length);
        result.append(response);
    }
}

RawConnection::RawConnection()
{
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this]() {
        m_buffer += m_socket.readAll();
        m_responses += takeResponses(&m_buffer);
    });
    QObject::connect(&m_socket, &QTcpSocket::disconnected, &m_socket, [this]() { m_closed = true; });
}

bool RawConnection::connectTo(quint16 port, int timeoutMs)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return m_socket.waitForConnected(timeoutMs);
}

void RawConnection::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

bool RawConnection::waitForResponses(int count, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_responses.size() < count && !deadline.hasExpired())
        QTest::qWait(10);
    return m_responses.size() >= count;
}

bool RawConnection::waitForClose(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_closed && m_socket.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired())
        QTest::qWait(10);
    return m_closed || m_socket.state() == QAbstractSocket::UnconnectedState;
}

QHash<QString, double> parseMetrics(const QByteArray &text)
{
    QHash<QString, double> samples;
    for (const QByteArray &rawLine : text.split('\n')) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype space = line.lastIndexOf(u' ');
        if (space <= 0)
            continue;
        bool ok = false;
        const double value = line.mid(space + 1).toDouble(&ok);
        if (ok)
            samples.insert(line.left(space), value);
    }
    return samples;
}

double metricValue(const QHash<QString, double> &samples, const QString &name, const QStringList &labels)
{
    for (auto it = samples.cbegin(); it != samples.cend(); ++it) {
        const QString &series = it.key();
        if (series != name && !series.startsWith(name + u'{'))
            continue;
        bool all = true;
        for (const QString &label : labels)
            all = all && series.contains(label);
        if (all)
            return it.value();
    }
    return 0.0;
}

QString sdpAnswer()
{
    return u"v=0\r\n"
           "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
           "s=-\r\n"
           "t=0 0\r\n"
           "a=group:BUNDLE audio0\r\n"
           "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
           "c=IN IP4 0.0.0.0\r\n"
           "a=rtcp-mux\r\n"
           "a=mid:audio0\r\n"
           "a=sendrecv\r\n"
           "a=rtpmap:111 opus/48000/2\r\n"
           "a=ice-ufrag:abcd\r\n"
           "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
           "a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n"
           "a=setup:active\r\n"_s;
}

QJsonObject fetchCall(HttpClient &client, const QString &callId)
{
    const HttpResult result = client.get(u"/api/calls/"_s + callId);
    return result.status == 200 ? result.json : QJsonObject();
}

QString callStatus(HttpClient &client, const QString &callId)
{
    return fetchCall(client, callId).value(u"status"_s).toString();
}

QString initiateCall(HttpClient &client, const QString &phoneNumber)
{
    const HttpResult result = client.post(u"/api/calls/initiate"_s, {{u"phone_number"_s, phoneNumber}});
    if (result.status != 200) {
        qWarning("initiate %s failed: %d %s", qPrintable(phoneNumber), result.status, result.body.constData());
        return {};
    }
    return result.json.value(u"call_id"_s).toString();
}

QString placeAndComplete(HttpClient &client)
{
    const QString callId = initiateCall(client, u"+4915123456789"_s);
    for (int waited = 0; !callId.isEmpty() && waited < 10000; waited += 50) {
        if (callStatus(client, callId) == u"active"_s) {
            client.post(u"/api/calls/terminate"_s, {{u"call_id"_s, callId}});
            return callId;
        }
        QTest::qWait(50);
    }
    qWarning("the call %s never became active", qPrintable(callId));
    return {};
}

bool isRfc3339Utc(const QString &text)
{
    static const QRegularExpression pattern(u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$"_s);
    return pattern.match(text).hasMatch() && QDateTime::fromString(text, Qt::ISODateWithMs).isValid();
}

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

QString databaseArgument(const Switchboard::DatabaseUrl &database)
{
    if (database.engine == Switchboard::DatabaseUrl::Engine::Sqlite)
        return database.sqlitePath;
    return u"postgres://%1:%2@%3:%4/%5"_s.arg(database.user, database.password, database.host)
        .arg(database.port)
        .arg(database.databaseName);
}

} // namespace Integration
