#pragma once

#include <QObject>
#include <QUrl>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// What the desktop host gives the softphone page, and what it allows it: the token, the
/// language and the theme (the console's colours and sizes as CSS custom properties) go in
/// through a script injected at document creation (never in a URL), and the microphone is
/// granted to the server's own origin only.
class SoftphoneHost : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QUrl baseUrl READ baseUrl WRITE setBaseUrl NOTIFY baseUrlChanged)
    Q_PROPERTY(QUrl pageUrl READ pageUrl NOTIFY baseUrlChanged)

public:
    explicit SoftphoneHost(QObject *parent = nullptr);

    QUrl baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QUrl &baseUrl);
    QUrl pageUrl() const;

    /// True when `origin` (as QtWebEngine reports a security origin) is exactly the server's:
    /// same scheme, host and port, nothing else.
    Q_INVOKABLE bool isOwnOrigin(const QUrl &origin) const;
    /// The script that hands the page its token, language and theme before any of its own code runs.
    Q_INVOKABLE QString bootstrapScript(const QString &token, const QString &language,
                                        const QVariantMap &theme = {}) const;
    /// The script that hands the page a refreshed token, on the server's own origin only.
    Q_INVOKABLE QString tokenScript(const QString &token) const;
    /// Whether the view may load `url` itself: the server's own pages only.
    Q_INVOKABLE bool mayNavigate(const QUrl &url) const;
    /// Whether a link the view refused goes to the system's browser (web and mail links only).
    Q_INVOKABLE bool opensExternally(const QUrl &url) const;
    /// A JavaScript call of the page's host interface with `argument` as JSON data (a string,
    /// or an object such as the theme's CSS variables).
    Q_INVOKABLE QString callScript(const QString &function, const QVariant &argument) const;

Q_SIGNALS:
    void baseUrlChanged();

private:
    QString ownOrigin() const;

    QUrl m_baseUrl;
};

} // namespace Switchboard::Gui
