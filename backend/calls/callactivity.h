#pragma once

#include "domain/repositories.h"

#include <QMap>

#include <array>

namespace Switchboard {

struct Principal;

/// The bands of a call's MOS, best first, as the database counts them (migration 016): ITU-T
/// G.107's user satisfaction, excellent ≥ 4.3 > good ≥ 4.0 > fair ≥ 3.6 > poor ≥ 3.1 > bad.
const QStringList &qualityBands();

/// What an activity request asks for, as the client sent it (validated by the service).
struct CallActivityRequest
{
    QString from; ///< RFC 3339; rounded down to its hour
    QString to; ///< RFC 3339; rounded up to its hour
    QString userId; ///< an admin's choice of operator; empty: the caller's own, or the team's for an admin
};

/// The calls of one hour, by status.
struct HourActivity
{
    QDateTime hour;
    std::array<qint64, 6> callsByStatus{}; ///< indexed by CallStatus
    qint64 completedSeconds = 0; ///< the durations of its completed calls
};

/// The dashboard's figures over a range of whole hours.
struct CallActivity
{
    QDateTime from;
    QDateTime to;
    QString userId; ///< whose calls; empty: the whole team's
    QList<HourActivity> hours; ///< only hours that had calls, oldest first
    QMap<QString, qint64> callsByQuality; ///< every band of qualityBands(), calls with a MOS in it
    qint64 calls = 0;
    qint64 completed = 0;
    qint64 completedSeconds = 0;
};

/// The dashboard's use case: calls per hour by status, durations and quality over a range of at
/// most 31 days, read from the counts the database keeps per hour (its cost follows the hours,
/// not the calls). An operator reads its own calls; an admin the team's, or one operator's.
///
/// Threads: any; it reads on the caller's own database connection.
class CallActivityService
{
public:
    static constexpr int kMaxRangeDays = 31;

    explicit CallActivityService(CallRepository &calls);

    Result<CallActivity> read(const Principal &caller, const CallActivityRequest &request) const;

private:
    CallRepository &m_calls;
};

} // namespace Switchboard
