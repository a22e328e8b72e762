#pragma once

#include "apiclient.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// The spec's operational metrics, read from the server's GET /metrics while `running`, with the
/// recent history of active sessions for a small chart.
class DashboardStats : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(bool running READ running WRITE setRunning NOTIFY runningChanged)
    Q_PROPERTY(int intervalMs READ intervalMs WRITE setIntervalMs NOTIFY intervalMsChanged)
    Q_PROPERTY(bool available READ available NOTIFY updated)
    Q_PROPERTY(QString errorText READ errorText NOTIFY updated)
    Q_PROPERTY(double initiated READ initiated NOTIFY updated)
    Q_PROPERTY(double completed READ completed NOTIFY updated)
    Q_PROPERTY(double averageDuration READ averageDuration NOTIFY updated)
    Q_PROPERTY(double errorRate READ errorRate NOTIFY updated)
    Q_PROPERTY(double activeSessions READ activeSessions NOTIFY updated)
    Q_PROPERTY(QVariantList activeHistory READ activeHistory NOTIFY updated)
    Q_PROPERTY(int historyLength READ historyLength CONSTANT)

public:
    explicit DashboardStats(QObject *parent = nullptr);

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    bool running() const { return m_timer.isActive(); }
    void setRunning(bool running);
    int intervalMs() const { return m_timer.interval(); }
    void setIntervalMs(int intervalMs);
    bool available() const { return m_available; }
    QString errorText() const;
    double initiated() const { return m_values.value(QStringLiteral("switchboard_calls_initiated_total")); }
    double completed() const { return m_values.value(QStringLiteral("switchboard_calls_completed_total")); }
    double averageDuration() const { return m_values.value(QStringLiteral("switchboard_call_duration_seconds_average")); }
    double errorRate() const { return m_values.value(QStringLiteral("switchboard_voip_error_rate")); }
    double activeSessions() const { return m_values.value(QStringLiteral("switchboard_active_sessions")); }
    QVariantList activeHistory() const { return m_activeHistory; }
    int historyLength() const { return kHistoryLength; }

    /// Reads the metrics now.
    Q_INVOKABLE void refresh();

    /// The unlabelled samples of a Prometheus text exposition, by metric name.
    static QHash<QString, double> parseMetrics(const QByteArray &text);

Q_SIGNALS:
    void clientChanged();
    void runningChanged();
    void intervalMsChanged();
    void updated();

private:
    static constexpr int kHistoryLength = 60;

    QPointer<ApiClient> m_client;
    QTimer m_timer;
    bool m_pending = false;
    bool m_available = false;
    QString m_errorType;
    QHash<QString, double> m_values;
    QVariantList m_activeHistory;
};

} // namespace Switchboard::Gui
