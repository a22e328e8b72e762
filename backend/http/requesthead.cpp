#include "requesthead.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

bool isRequestLine(QByteArrayView line)
{
    static const QRegularExpression pattern(u"^[A-Z]+ [^\\s]+ HTTP/1\\.[01]$"_s);
    return pattern.match(QString::fromLatin1(line)).hasMatch();
}

/// RFC 9110's token: what a header name is made of. Anything else (a leading vertical tab, a NUL)
/// is where parsers disagree on which header a line is, so it is refused rather than guessed.
bool isToken(QByteArrayView name)
{
    static const QByteArrayView punctuation("!#$%&'*+-.^_`|~");
    return !name.isEmpty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || punctuation.contains(c);
    });
}

bool isDigits(QByteArrayView value)
{
    return !value.isEmpty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

ApiResponse badFraming(const QString &message)
{
    return ApiResponse::error(400, u"bad_request"_s, message);
}

HeadVerdict refused(ApiResponse response, QByteArray method = {})
{
    return HeadVerdict{RequestFraming{std::move(method), {}, 0, false}, std::move(response)};
}

} // namespace

HeadVerdict readRequestHead(QByteArrayView head, qint64 maxBodyBytes)
{
    const QList<QByteArray> lines = head.toByteArray().split('\n');
    const QByteArray requestLine = lines.first().trimmed();
    if (!isRequestLine(requestLine))
        return refused(badFraming(u"The request line is not HTTP/1.1"_s));
    const QByteArray method = requestLine.left(requestLine.indexOf(' '));
    const QByteArray target = requestLine.split(' ').value(1);

    QList<QByteArray> lengths;
    QList<QByteArray> encodings;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].endsWith('\r') ? lines[i].chopped(1) : lines[i];
        if (line.isEmpty())
            continue;
        if (line.startsWith(' ') || line.startsWith('\t'))
            return refused(badFraming(u"Header lines may not be folded"_s), method);
        if (line.contains('\r') || line.contains('\0'))
            return refused(badFraming(u"A header line holds a bare CR or a NUL"_s), method);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return refused(badFraming(u"A header line has no name"_s), method);
        const QByteArray name = line.left(colon);
        if (!isToken(name))
            return refused(badFraming(u"A header name may hold only letters, digits and !#$%&'*+-.^_`|~"_s), method);
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            lengths.append(value);
        else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0)
            encodings.append(value);
    }

    RequestFraming framing{method, target, 0, false};
    if (!encodings.isEmpty()) {
        if (!lengths.isEmpty())
            return refused(badFraming(u"Content-Length and Transfer-Encoding may not both be sent"_s), method);
        if (encodings.size() > 1 || encodings.first().compare("chunked", Qt::CaseInsensitive) != 0)
            return refused(badFraming(u"The only Transfer-Encoding understood is chunked"_s), method);
        framing.chunked = true;
        return HeadVerdict{framing, std::nullopt};
    }
    if (lengths.isEmpty())
        return HeadVerdict{framing, std::nullopt};
    if (lengths.size() > 1)
        return refused(badFraming(u"Content-Length may be sent once"_s), method);
    if (!isDigits(lengths.first()))
        return refused(badFraming(u"Content-Length must be a decimal number of bytes"_s), method);
    bool ok = false;
    framing.contentLength = lengths.first().toLongLong(&ok);
    if (!ok || framing.contentLength > maxBodyBytes) {
        return refused(payloadTooLarge(maxBodyBytes), method);
    }
    return HeadVerdict{framing, std::nullopt};
}

ApiResponse payloadTooLarge(qint64 maxBodyBytes)
{
    return ApiResponse::error(413, u"payload_too_large"_s, u"The request body exceeds %1 bytes"_s.arg(maxBodyBytes));
}

} // namespace Switchboard
