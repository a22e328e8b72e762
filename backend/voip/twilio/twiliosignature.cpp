#include "twiliosignature.h"

#include <QMessageAuthenticationCode>
#include <QMap>

#include <sodium.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::TwilioSignature {

namespace {

/// The URL without its port, and with it (the scheme's default port when it names none): what
/// twilio-node's validateRequest tries, because Twilio's signing is not consistent about ports.
/// Edited as text, so that the rest of the URL stays byte for byte as Twilio signed it.
QStringList portVariants(const QString &url)
{
    const qsizetype schemeEnd = url.indexOf(u"://"_s);
    if (schemeEnd <= 0)
        return {url};
    const QString scheme = url.left(schemeEnd).toLower();
    const QString defaultPort = scheme == u"https"_s ? u"443"_s : scheme == u"http"_s ? u"80"_s : QString();
    if (defaultPort.isEmpty())
        return {url};
    const qsizetype hostStart = schemeEnd + 3;
    qsizetype hostEnd = url.size();
    for (const QChar end : {u'/', u'?', u'#'}) {
        const qsizetype at = url.indexOf(end, hostStart);
        if (at >= 0 && at < hostEnd)
            hostEnd = at;
    }
    const QString authority = url.mid(hostStart, hostEnd - hostStart);
    // The port follows the last colon after any IPv6 literal's closing bracket.
    const qsizetype colon = authority.lastIndexOf(u':');
    const bool hasPort = colon > authority.lastIndexOf(u']');
    const QString other = hasPort ? authority.left(colon) : authority + u':' + defaultPort;
    return {url, url.left(hostStart) + other + url.mid(hostEnd)};
}

bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    return a.size() == b.size() && sodium_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace

QByteArray compute(const QByteArray &authToken, const QString &url, const Parameters &parameters)
{
    // Sorted by name (QMap compares UTF-16, which orders ASCII names as bytes do), then each
    // name's distinct values in order.
    QMap<QString, QStringList> byName;
    for (const auto &[name, value] : parameters) {
        QStringList &values = byName[name];
        if (!values.contains(value))
            values.append(value);
    }
    QByteArray data = url.toUtf8();
    for (auto it = byName.begin(); it != byName.end(); ++it) {
        it.value().sort();
        for (const QString &value : std::as_const(it.value()))
            data += it.key().toUtf8() + value.toUtf8();
    }
    return QMessageAuthenticationCode::hash(data, authToken, QCryptographicHash::Sha1).toBase64();
}

bool isValid(const QByteArray &authToken, const QString &url, const Parameters &parameters,
             const QByteArray &signature)
{
    if (authToken.isEmpty() || signature.isEmpty())
        return false;
    bool valid = false;
    for (const QString &variant : portVariants(url))
        valid = sameBytes(compute(authToken, variant, parameters), signature) || valid;
    return valid;
}

} // namespace Switchboard::TwilioSignature
