#include "webhookdestination.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::WebhookDestination {

namespace {

bool inSubnet(const QHostAddress &address, const char *subnet)
{
    return address.isInSubnet(QHostAddress::parseSubnet(QString::fromLatin1(subnet)));
}

} // namespace

bool isPublic(const QHostAddress &given)
{
    QHostAddress address = given;
    bool mapped = false;
    const quint32 v4 = given.toIPv4Address(&mapped); // ::ffff:a.b.c.d is a.b.c.d
    if (mapped)
        address = QHostAddress(v4);
    if (address.isNull() || address.isLoopback() || address.isMulticast() || address.isLinkLocal()
        || address.isSiteLocal() || address.isUniqueLocalUnicast() || address.isBroadcast()
        || address == QHostAddress::AnyIPv4 || address == QHostAddress::AnyIPv6)
        return false;
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        for (const char *subnet : {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16",
                                   "198.18.0.0/15", "240.0.0.0/4"}) {
            if (inSubnet(address, subnet))
                return false;
        }
    }
    return true;
}

Result<QUrl> parse(const QString &text, bool allowPrivate)
{
    const QUrl url(text, QUrl::StrictMode);
    if (text.size() > kMaxUrlLength || !url.isValid() || url.isRelative() || url.host().isEmpty())
        return Error::validation(u"url must be an absolute http or https URL of at most %1 characters"_s.arg(kMaxUrlLength));
    if (url.scheme() != u"https"_s && url.scheme() != u"http"_s)
        return Error::validation(u"url must use http or https"_s);
    if (!url.userInfo().isEmpty())
        return Error::validation(u"url must not carry a user name or password"_s);
    const QHostAddress literal(url.host());
    const bool local = url.host().compare(u"localhost"_s, Qt::CaseInsensitive) == 0
        || url.host().endsWith(u".localhost"_s, Qt::CaseInsensitive);
    if (!allowPrivate && (local || (!literal.isNull() && !isPublic(literal))))
        return Error::validation(u"url points to a loopback or private address; the server allows that only with "
                                 "WEBHOOK_ALLOW_PRIVATE=1"_s);
    return url;
}

} // namespace Switchboard::WebhookDestination
