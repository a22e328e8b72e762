#pragma once

#include "httpclient.h"
#include "storage/databaseurl.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QStringList>
#include <QString>
#include <QTcpSocket>

/// Helpers shared by the integration tests: forged JWTs, raw HTTP over a QTcpSocket, Prometheus
/// text, and small conveniences around the call API.
namespace Integration {

// Checks an error answer: status, the `{error, message}` format and the error type. `result` is
// evaluated once, so it may be the request itself.
#define VERIFY_ERROR(result, expectedStatus, expectedType)                                                             \
    do {                                                                                                               \
        const HttpResult verified_ = (result);                                                                         \
        QVERIFY2(verified_.status == (expectedStatus),                                                                 \
                 qPrintable(u"status %1, expected %2: "_s.arg(verified_.status).arg(expectedStatus)                    \
                            + QString::fromUtf8(verified_.body)));                                                     \
        QVERIFY2(verified_.isErrorFormat(), verified_.body.constData());                                               \
        QCOMPARE(verified_.errorType(), QString(expectedType));                                                        \
    } while (false)

// --- The log ---

/// A message of `type` matching `pattern` is expected (and not printed).
void expectLog(QtMsgType type, const QString &pattern);

/// Keeps every message the process logs while it exists (and passes each on), so that a test can
/// check that no secret ever reaches the log. One at a time.
class LogCapture
{
public:
    LogCapture();
    ~LogCapture();
    LogCapture(const LogCapture &) = delete;
    LogCapture &operator=(const LogCapture &) = delete;

    QStringList messages() const;
    void clear();
    /// The first message that contains one of `secrets`, or an empty string.
    QString firstContaining(const QStringList &secrets) const;
};

// --- JSON Web Tokens, built by hand so that tests can forge what an attacker would send ---

QByteArray base64Url(const QByteArray &data);
/// The JSON object in part `index` (0 header, 1 payload) of a compact JWT.
QJsonObject jwtPart(const QString &token, int index);
/// `header.payload.signature`, the signature an HMAC of `algorithm` with `key`.
QString signJwt(const QJsonObject &header, const QJsonObject &payload, const QByteArray &key,
                QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256);
/// `header.payload.` with the given raw signature part.
QString unsignedJwt(const QJsonObject &header, const QJsonObject &payload, const QByteArray &signaturePart = {});

// --- Raw HTTP/1.1 ---

struct RawResponse
{
    int status = 0;
    QByteArray statusLine;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    QJsonObject json() const;
    /// The API's error format: exactly `error` and `message`, non-empty strings, JSON content type.
    bool isErrorFormat() const;
};

/// One request as bytes. Adds Host and, when `body` is not empty, Content-Length.
QByteArray rawRequest(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                      const QList<std::pair<QByteArray, QByteArray>> &headers = {});

/// Removes the complete responses at the front of `buffer` and returns them; a partial one stays.
QList<RawResponse> takeResponses(QByteArray *buffer);

/// A client connection that collects every response the server writes.
class RawConnection
{
public:
    RawConnection();
    bool connectTo(quint16 port, int timeoutMs = 5000);
    void send(const QByteArray &bytes);
    QTcpSocket &socket() { return m_socket; }
    /// Responses received so far, in order.
    const QList<RawResponse> &responses() const { return m_responses; }
    /// Spins the event loop until `count` responses have come (or the timeout).
    bool waitForResponses(int count, int timeoutMs = 10000);
    /// Spins the event loop until the server has closed the connection (or the timeout).
    bool waitForClose(int timeoutMs = 5000);
    bool closedByServer() const { return m_closed; }
    QByteArray unparsed() const { return m_buffer; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
    QList<RawResponse> m_responses;
    bool m_closed = false;
};

// --- Prometheus text format ---

/// Every sample of an exposition as `name{labels}` → value; labels exactly as written.
QHash<QString, double> parseMetrics(const QByteArray &text);
/// The value of the first sample whose series starts with `name` and contains every `labels` part.
double metricValue(const QHash<QString, double> &samples, const QString &name, const QStringList &labels = {});

// --- The call API ---

/// A softphone's SDP answer, as the API accepts it.
QString sdpAnswer();
/// GET /api/calls/{id}; an empty object when it failed.
QJsonObject fetchCall(HttpClient &client, const QString &callId);
QString callStatus(HttpClient &client, const QString &callId);
/// POST /api/calls/initiate; the call id, or empty (with a warning) on failure.
QString initiateCall(HttpClient &client, const QString &phoneNumber);
/// Places a call (signalling only: the mock's far end picks up after its ringback) and hangs up
/// once it is active: placed, ringing, picked up, completed. The call id, or empty (with a
/// warning) when it never became active within 10 s.
QString placeAndComplete(HttpClient &client);
/// An RFC 3339 UTC time as the API writes it: `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
bool isRfc3339Utc(const QString &text);

/// A TCP port that nothing listened on a moment ago.
quint16 freePort();

/// `database` as the executable's `--database` takes it (with the password, unlike redacted()).
QString databaseArgument(const Switchboard::DatabaseUrl &database);

} // namespace Integration
