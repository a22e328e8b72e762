#pragma once

#include <QIODevice>

namespace Switchboard {

/// A request body that can be sent once only.
///
/// Qt's HTTP client sends a request again by itself when the connection closes before any
/// answer (up to twice, with no way to turn it off): for a call create, a second call. Posted as
/// this device (with QNetworkRequest::DoNotBufferUploadDataAttribute), such a repeat fails with
/// QNetworkReply::ContentReSendError instead, and the caller finds out what Twilio did.
class OneShotBody final : public QIODevice
{
    Q_OBJECT
public:
    explicit OneShotBody(QByteArray data, QObject *parent = nullptr);

    bool isSequential() const override { return true; }
    qint64 size() const override { return m_data.size(); }
    qint64 bytesAvailable() const override { return m_data.size() - m_position + QIODevice::bytesAvailable(); }
    /// Rewinds until the body has been read to its end once; then refuses.
    bool reset() override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    QByteArray m_data;
    qint64 m_position = 0;
    bool m_sent = false;
};

} // namespace Switchboard
