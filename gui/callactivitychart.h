#pragma once

#include "apiclient.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace Switchboard::Gui {

/// The dashboard's charts, read from GET /api/stats/calls: calls per local hour today (or per local
/// day over the last 7 or 30 days) by outcome, their average duration, and the quality bands of
/// the range's calls. An operator sees its own calls, an admin the team's (the server decides).
class CallActivityChart : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Switchboard::Gui::ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(bool running READ running WRITE setRunning NOTIFY runningChanged)
    Q_PROPERTY(Range range READ range WRITE setRange NOTIFY rangeChanged)
    Q_PROPERTY(bool available READ available NOTIFY updated)
    Q_PROPERTY(QString errorText READ errorText NOTIFY updated)
    Q_PROPERTY(bool teamWide READ teamWide NOTIFY updated)
    Q_PROPERTY(QStringList labels READ labels NOTIFY updated)
    Q_PROPERTY(QVariantList completed READ completed NOTIFY updated)
    Q_PROPERTY(QVariantList failed READ failed NOTIFY updated)
    Q_PROPERTY(QVariantList canceled READ canceled NOTIFY updated)
    Q_PROPERTY(QVariantList live READ live NOTIFY updated)
    Q_PROPERTY(QVariantList averageDuration READ averageDuration NOTIFY updated)
    Q_PROPERTY(QVariantList quality READ quality NOTIFY updated)
    Q_PROPERTY(QStringList qualityLabels READ qualityLabels NOTIFY updated)
    Q_PROPERTY(int calls READ calls NOTIFY updated)
    Q_PROPERTY(int maxCalls READ maxCalls NOTIFY updated)
    Q_PROPERTY(double maxAverageDuration READ maxAverageDuration NOTIFY updated)
    Q_PROPERTY(int maxQuality READ maxQuality NOTIFY updated)

public:
    enum class Range { Today, Week, Month };
    Q_ENUM(Range)

    /// Calls per bucket (a local hour or a local day) of one range.
    struct Buckets
    {
        QList<int> completed;
        QList<int> failed;
        QList<int> canceled;
        QList<int> live; ///< initiated, connecting or active: no outcome yet
        QList<qint64> completedSeconds;
        QList<int> quality; ///< excellent, good, fair, poor, bad
    };

    explicit CallActivityChart(QObject *parent = nullptr);

    ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    bool running() const { return m_timer.isActive(); }
    void setRunning(bool running);
    Range range() const { return m_range; }
    void setRange(Range range);
    bool available() const { return m_available; }
    QString errorText() const;
    bool teamWide() const { return m_teamWide; }
    QStringList labels() const;
    QVariantList completed() const { return toVariants(m_buckets.completed); }
    QVariantList failed() const { return toVariants(m_buckets.failed); }
    QVariantList canceled() const { return toVariants(m_buckets.canceled); }
    QVariantList live() const { return toVariants(m_buckets.live); }
    QVariantList averageDuration() const;
    QVariantList quality() const { return toVariants(m_buckets.quality); }
    QStringList qualityLabels() const;
    int calls() const;
    int maxCalls() const;
    double maxAverageDuration() const;
    int maxQuality() const;

    /// Reads the range now.
    Q_INVOKABLE void refresh();

    /// The first local midnight of `range` as of `now`, and its number of buckets.
    static QDateTime rangeStart(Range range, const QDateTime &now);
    static int bucketCount(Range range);
    /// The server's answer spread over the local buckets of `range` starting at `start`.
    static Buckets bucketize(const QJsonObject &answer, Range range, const QDateTime &start);

Q_SIGNALS:
    void clientChanged();
    void runningChanged();
    void rangeChanged();
    void updated();

private:
    template<typename T>
    static QVariantList toVariants(const QList<T> &values)
    {
        QVariantList variants;
        for (const T &value : values)
            variants.append(value);
        return variants;
    }

    QPointer<ApiClient> m_client;
    QTimer m_timer;
    Range m_range = Range::Today;
    QDateTime m_start; ///< of the range shown
    Buckets m_buckets;
    bool m_pending = false;
    bool m_available = false;
    bool m_teamWide = false;
    QString m_errorType;
};

} // namespace Switchboard::Gui
