#pragma once

#include <QLocalServer>
#include <QObject>

namespace Switchboard::Gui {

/// One console per data directory: a second start hands its tel: number to the running one
/// over a local socket and exits.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    /// `key` names the instance (derived from the data directory).
    explicit SingleInstance(const QString &key, QObject *parent = nullptr);

    /// Sends `number` (possibly empty: just come to the front) to a running instance; true if one took it.
    bool forward(const QString &number);
    /// Becomes the running instance; false if the socket cannot be created.
    bool listen();
    /// Where the hand-over socket is: in a folder only this user can enter. Empty if there is none.
    QString socketPath() const { return m_name; }

Q_SIGNALS:
    /// Another start asked this instance to come forward, with a number to dial or none.
    void activated(const QString &number);

private:
    QString m_name;
    QLocalServer m_server;
};

} // namespace Switchboard::Gui
