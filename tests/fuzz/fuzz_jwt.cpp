// Bearer tokens: verifying arbitrary bytes never crashes, and nothing verifies but the one token
// this codec signed (a forged, re-encoded or algorithm-swapped variant of it must not).
#include "auth/jwtcodec.h"

#include <QDateTime>

#include <cstddef>
#include <cstdint>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    static const JwtCodec codec(QByteArray(48, 'k'), 3600);
    static const QByteArray issued = codec.issue(u"user-1"_s, u"op@example.com"_s, now).token.toLatin1();
    const QByteArray token(reinterpret_cast<const char *>(data), qsizetype(size));
    if (codec.verify(token, now) && token != issued)
        __builtin_trap();
    return 0;
}
