#include "callactivitychart.h"

#include "languagewatcher.h"
#include "texts.h"

#include <QJsonArray>
#include <QLocale>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {

constexpr int kRefreshMs = 15000; // the charts move by the hour; the live numbers poll /metrics
const QStringList kBands{u"excellent"_s, u"good"_s, u"fair"_s, u"poor"_s, u"bad"_s};

template<typename T>
T largest(const QList<T> &values)
{
    return values.isEmpty() ? T{} : *std::max_element(values.begin(), values.end());
}

} // namespace

CallActivityChart::CallActivityChart(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &CallActivityChart::refresh);
    // Labels and band names follow the language at once.
    new LanguageWatcher(this, [this] { Q_EMIT updated(); });
    m_start = rangeStart(m_range, QDateTime::currentDateTime());
    m_buckets = bucketize({}, m_range, m_start);
}

void CallActivityChart::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

void CallActivityChart::setRunning(bool running)
{
    if (this->running() == running)
        return;
    if (running) {
        m_timer.start();
        refresh();
    } else {
        m_timer.stop();
    }
    Q_EMIT runningChanged();
}

void CallActivityChart::setRange(Range range)
{
    if (m_range == range)
        return;
    m_range = range;
    m_start = rangeStart(range, QDateTime::currentDateTime());
    m_buckets = bucketize({}, range, m_start); // empty until the answer: no bars of the old range
    Q_EMIT rangeChanged();
    Q_EMIT updated();
    m_pending = false; // the answer for the old range is ignored when it comes
    refresh();
}

QString CallActivityChart::errorText() const
{
    return Texts::error(m_errorType);
}

void CallActivityChart::refresh()
{
    if (!m_client || m_pending)
        return;
    m_pending = true;
    const Range range = m_range;
    const QDateTime start = rangeStart(range, QDateTime::currentDateTime());
    const QDateTime end = start.date().addDays(range == Range::Today ? 1 : bucketCount(range)).startOfDay();
    QUrlQuery query;
    query.addQueryItem(u"from"_s, start.toUTC().toString(Qt::ISODate));
    query.addQueryItem(u"to"_s, end.toUTC().toString(Qt::ISODate));
    m_client->get(u"/api/stats/calls?"_s + query.toString(QUrl::FullyEncoded), this,
                  [this, range, start](const ApiReply &reply) {
                      if (range != m_range)
                          return; // the operator chose another range meanwhile
                      m_pending = false;
                      m_available = reply.ok();
                      m_errorType = reply.errorType;
                      if (reply.ok()) {
                          m_start = start;
                          m_teamWide = reply.json.value(u"user_id"_s).isNull();
                          m_buckets = bucketize(reply.json, range, start);
                      }
                      Q_EMIT updated();
                  });
}

QDateTime CallActivityChart::rangeStart(Range range, const QDateTime &now)
{
    const QDate today = now.toLocalTime().date();
    return range == Range::Today ? today.startOfDay() : today.addDays(1 - bucketCount(range)).startOfDay();
}

int CallActivityChart::bucketCount(Range range)
{
    switch (range) {
    case Range::Today:
        return 24;
    case Range::Week:
        return 7;
    case Range::Month:
        return 30;
    }
    return 24;
}

CallActivityChart::Buckets CallActivityChart::bucketize(const QJsonObject &answer, Range range, const QDateTime &start)
{
    const int count = bucketCount(range);
    Buckets buckets{QList<int>(count), QList<int>(count), QList<int>(count), QList<int>(count),
                    QList<qint64>(count), QList<int>(kBands.size())};
    for (const QJsonValue &value : answer.value(u"hours"_s).toArray()) {
        const QJsonObject hour = value.toObject();
        // A UTC hour goes to the local hour (or day) its middle falls in: the same hour where the
        // zone is whole hours off UTC, the later one where it is half an hour off. Daylight
        // saving's repeated hour adds to its local hour.
        const QDateTime middle =
            QDateTime::fromString(hour.value(u"hour"_s).toString(), Qt::ISODateWithMs).addSecs(1800).toLocalTime();
        const qint64 day = start.date().daysTo(middle.date());
        const qint64 index = range == Range::Today ? (day == 0 ? middle.time().hour() : -1) : day;
        if (!middle.isValid() || index < 0 || index >= count)
            continue; // an hour that straddles the range's edge, mostly outside it
        const int bucket = int(index);
        buckets.completed[bucket] += hour.value(u"completed"_s).toInt();
        buckets.failed[bucket] += hour.value(u"failed"_s).toInt();
        buckets.canceled[bucket] += hour.value(u"canceled"_s).toInt();
        for (const QString &status : {u"initiated"_s, u"connecting"_s, u"active"_s})
            buckets.live[bucket] += hour.value(status).toInt();
        buckets.completedSeconds[bucket] +=
            qRound64(hour.value(u"average_duration_seconds"_s).toDouble() * hour.value(u"completed"_s).toInt());
    }
    const QJsonObject quality = answer.value(u"quality"_s).toObject();
    for (int band = 0; band < kBands.size(); ++band)
        buckets.quality[band] = quality.value(kBands.at(band)).toInt();
    return buckets;
}

QStringList CallActivityChart::labels() const
{
    QStringList labels;
    const QLocale locale;
    for (int bucket = 0; bucket < bucketCount(m_range); ++bucket) {
        if (m_range == Range::Today)
            labels.append(u"%1"_s.arg(bucket, 2, 10, QLatin1Char('0')));
        else
            labels.append(locale.toString(m_start.date().addDays(bucket), m_range == Range::Week ? u"ddd d"_s : u"d"_s));
    }
    return labels;
}

QVariantList CallActivityChart::averageDuration() const
{
    QVariantList averages;
    for (qsizetype bucket = 0; bucket < m_buckets.completed.size(); ++bucket) {
        const int completed = m_buckets.completed.at(bucket);
        averages.append(completed ? double(m_buckets.completedSeconds.at(bucket)) / completed : 0.0);
    }
    return averages;
}

QStringList CallActivityChart::qualityLabels() const
{
    return {tr("Excellent"), tr("Good"), tr("Fair"), tr("Poor"), tr("Bad")};
}

int CallActivityChart::calls() const
{
    int calls = 0;
    for (const QList<int> *series : {&m_buckets.completed, &m_buckets.failed, &m_buckets.canceled, &m_buckets.live})
        for (int value : *series)
            calls += value;
    return calls;
}

int CallActivityChart::maxCalls() const
{
    int most = 0;
    for (qsizetype bucket = 0; bucket < m_buckets.completed.size(); ++bucket)
        most = std::max(most, m_buckets.completed.at(bucket) + m_buckets.failed.at(bucket)
                                  + m_buckets.canceled.at(bucket) + m_buckets.live.at(bucket));
    return most;
}

double CallActivityChart::maxAverageDuration() const
{
    double most = 0;
    for (const QVariant &average : averageDuration())
        most = std::max(most, average.toDouble());
    return most;
}

int CallActivityChart::maxQuality() const
{
    return largest(m_buckets.quality);
}

} // namespace Switchboard::Gui
