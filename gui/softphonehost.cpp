#include "softphonehost.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QJSValue>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

/// `value` as a JavaScript literal (JSON's escaping; '<' too, so it can never end a script).
QString jsLiteral(const QVariant &value)
{
    // QML hands a JavaScript object to a QVariant parameter wrapped in a QJSValue.
    const QVariant data = value.metaType() == QMetaType::fromType<QJSValue>() ? value.value<QJSValue>().toVariant() : value;
    const QByteArray array =
        QJsonDocument(QJsonArray{QJsonValue::fromVariant(data)}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2)).replace(u"<"_s, u"\\u003c"_s);
}

} // namespace

SoftphoneHost::SoftphoneHost(QObject *parent) : QObject(parent) {}

void SoftphoneHost::setBaseUrl(const QUrl &baseUrl)
{
    if (m_baseUrl == baseUrl)
        return;
    m_baseUrl = baseUrl;
    Q_EMIT baseUrlChanged();
}

QUrl SoftphoneHost::pageUrl() const
{
    return m_baseUrl.isValid() ? m_baseUrl.resolved(QUrl(u"/softphone/"_s)) : QUrl();
}

bool SoftphoneHost::isOwnOrigin(const QUrl &origin) const
{
    return origin.isValid() && m_baseUrl.isValid() && origin.scheme() == m_baseUrl.scheme()
        && origin.host() == m_baseUrl.host() && origin.port(-1) == m_baseUrl.port(-1) && origin.userInfo().isEmpty()
        && (origin.path().isEmpty() || origin.path() == u"/"_s) && !origin.hasQuery() && !origin.hasFragment();
}

QString SoftphoneHost::ownOrigin() const
{
    return m_baseUrl.isValid()
        ? m_baseUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment).toString(QUrl::FullyEncoded)
        : QString();
}

QString SoftphoneHost::bootstrapScript(const QString &token, const QString &language, const QVariantMap &theme) const
{
    // The view injects its scripts into every document it loads: a page of another origin (a
    // link followed, a frame) must not find the operator's token.
    return u"if (window.location.origin === %1) window.switchboardHost = { token: %2, language: %3, theme: %4 };"_s.arg(
        jsLiteral(ownOrigin()), jsLiteral(token), jsLiteral(language), jsLiteral(theme));
}

QString SoftphoneHost::tokenScript(const QString &token) const
{
    return u"if (window.location.origin === %1) window.softphoneUi?.setToken(%2);"_s.arg(jsLiteral(ownOrigin()),
                                                                                        jsLiteral(token));
}

bool SoftphoneHost::mayNavigate(const QUrl &url) const
{
    return isOwnOrigin(url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment))
        || url == QUrl(u"about:blank"_s);
}

bool SoftphoneHost::opensExternally(const QUrl &url) const
{
    return !mayNavigate(url) && (url.scheme() == u"https"_s || url.scheme() == u"http"_s || url.scheme() == u"mailto"_s);
}

QString SoftphoneHost::callScript(const QString &function, const QVariant &argument) const
{
    static const QRegularExpression identifier(u"^[A-Za-z][A-Za-z0-9]*$"_s);
    if (!identifier.match(function).hasMatch())
        return {};
    return u"window.softphoneUi?.%1(%2);"_s.arg(function, jsLiteral(argument));
}

} // namespace Switchboard::Gui
