// Request heads through the request guard's framing rules (http/requesthead), checked against
// how QHttpServer 6.4 frames the same head: whatever the guard lets through, QHttpServer must read
// with the same body length, or a request could be smuggled past the guard's limits.
#include "http/requesthead.h"

#include <QByteArray>
#include <QList>

#include <cstddef>
#include <cstdint>

namespace {

/// QHttpServer 6.4: the first Content-Length's value through QByteArray::toULongLong (after
/// QHttpHeaderParser trimmed it), -1 when it does not parse; chunked when any Transfer-Encoding
/// contains "chunked".
struct QtFraming
{
    qint64 contentLength = -1;
    bool chunked = false;
};

QtFraming qtFraming(const QByteArray &head)
{
    QtFraming framing;
    bool seenLength = false;
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = lines[i].left(colon).trimmed().toLower();
        const QByteArray value = lines[i].mid(colon + 1).trimmed();
        if (name == "content-length" && !seenLength) {
            seenLength = true;
            bool ok = false;
            const qulonglong length = value.toULongLong(&ok);
            framing.contentLength = ok ? qint64(length) : -1;
        } else if (name == "transfer-encoding" && value.toLower().contains("chunked")) {
            framing.chunked = true;
        }
    }
    return framing;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray head(reinterpret_cast<const char *>(data), qsizetype(size));
    constexpr qint64 kMaxBody = 64 * 1024;
    const Switchboard::HeadVerdict verdict = Switchboard::readRequestHead(head, kMaxBody);
    if (verdict.refusal) {
        const int status = verdict.refusal->status;
        if (status != 400 && status != 413)
            __builtin_trap();
        return 0;
    }
    const QtFraming qt = qtFraming(head);
    if (verdict.framing.chunked != qt.chunked)
        __builtin_trap();
    if (!verdict.framing.chunked && verdict.framing.contentLength != qMax<qint64>(0, qt.contentLength))
        __builtin_trap();
    if (verdict.framing.contentLength < 0 || verdict.framing.contentLength > kMaxBody)
        __builtin_trap();
    return 0;
}
