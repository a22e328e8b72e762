#pragma once

#include "apiresponse.h"

#include <QByteArray>

#include <optional>

namespace Switchboard {

/// How a request's body is framed, read from its head before a byte of the body.
struct RequestFraming
{
    QByteArray method;
    QByteArray target; ///< the request line's target (path and query)
    qint64 contentLength = 0; ///< 0 when the request has no Content-Length
    bool chunked = false;
};

/// A request head the server reads, or the answer that refuses it.
struct HeadVerdict
{
    RequestFraming framing;
    std::optional<ApiResponse> refusal;
};

/// Reads the request line and header lines of `head` (everything before the blank line) the way
/// RFC 9112 asks a server to, and strictly where QHttpServer 6.4 is lenient: it takes the first
/// Content-Length through toULongLong (so "+4000000" and " 12 " pass) and any Transfer-Encoding
/// that contains "chunked". Refused: a request line that is not HTTP/1.x (400); a Content-Length
/// that is not 1*DIGIT, repeated, or a list (400); Content-Length beside Transfer-Encoding, a
/// Transfer-Encoding other than "chunked", obsolete line folding, a header name that is not a
/// token (a space before the colon, a control character), a bare CR or NUL in a line (400, the
/// request-smuggling shapes); a declared length over `maxBodyBytes` (413).
HeadVerdict readRequestHead(QByteArrayView head, qint64 maxBodyBytes);

/// The answer to a body over `maxBodyBytes`, whether the head or the body shows it.
ApiResponse payloadTooLarge(qint64 maxBodyBytes);

} // namespace Switchboard
