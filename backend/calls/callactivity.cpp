#include "callactivity.h"

#include "auth/authservice.h"
#include "core/timeformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QDateTime startOfHour(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    return QDateTime(utc.date(), QTime(utc.time().hour(), 0), Qt::UTC);
}

QDateTime endOfHour(const QDateTime &time)
{
    const QDateTime start = startOfHour(time);
    return start == time ? start : start.addSecs(3600);
}

/// The range [from, to) in whole hours, or why it cannot be read.
Result<std::pair<QDateTime, QDateTime>> hourRange(const CallActivityRequest &request)
{
    const std::optional<QDateTime> from = parseClientTime(request.from);
    const std::optional<QDateTime> to = parseClientTime(request.to);
    if (!from || !to)
        return Error::validation(u"from and to are required: dates (YYYY-MM-DD) or RFC 3339 times"_s);
    if (*from >= *to)
        return Error::validation(u"from must be before to"_s);
    if (from->secsTo(*to) > qint64(CallActivityService::kMaxRangeDays) * 24 * 3600)
        return Error::validation(u"from and to may be at most %1 days apart"_s.arg(CallActivityService::kMaxRangeDays));
    return std::pair{startOfHour(*from), endOfHour(*to)};
}

} // namespace

const QStringList &qualityBands()
{
    static const QStringList bands{u"excellent"_s, u"good"_s, u"fair"_s, u"poor"_s, u"bad"_s};
    return bands;
}

CallActivityService::CallActivityService(CallRepository &calls)
    : m_calls(calls)
{
}

Result<CallActivity> CallActivityService::read(const Principal &caller, const CallActivityRequest &request) const
{
    if (!request.userId.isEmpty() && request.userId != caller.userId && !caller.isAdmin())
        return Error{ErrorCode::Forbidden, u"Only an admin may read another operator's calls"_s};
    const auto range = hourRange(request);
    if (!range)
        return range.error();

    CallActivity activity;
    std::tie(activity.from, activity.to) = range.value();
    activity.userId = caller.isAdmin() ? request.userId : caller.userId;
    for (const QString &band : qualityBands())
        activity.callsByQuality.insert(band, 0);

    Result<QList<CallHourCount>> counts = m_calls.countsByHour({activity.userId, activity.from, activity.to});
    if (!counts)
        return counts.error();
    for (const CallHourCount &count : counts.value()) {
        if (activity.hours.isEmpty() || activity.hours.last().hour != count.hour)
            activity.hours.append({count.hour, {}, 0});
        HourActivity &hour = activity.hours.last();
        hour.callsByStatus[size_t(count.status)] += count.calls;
        activity.calls += count.calls;
        if (count.status == CallStatus::Completed) {
            hour.completedSeconds += count.durationSeconds;
            activity.completed += count.calls;
            activity.completedSeconds += count.durationSeconds;
        }
        if (activity.callsByQuality.contains(count.quality))
            activity.callsByQuality[count.quality] += count.calls;
    }
    return activity;
}

} // namespace Switchboard
