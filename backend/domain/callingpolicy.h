#pragma once

#include <QDateTime>
#include <QStringList>

#include <optional>

namespace Switchboard {

/// What the team's admins allow anyone to call (toll fraud is the risk: a stolen login dialling
/// premium numbers abroad). Zero means "no limit"; an empty country list allows every country.
struct CallingPolicy
{
    QStringList allowedCountries; ///< ISO 3166-1 alpha-2 codes, upper-case, sorted
    int callsPerOperatorPerDay = 0; ///< calls an operator may place in any 24 hours
    int maxCallDurationSeconds = 0; ///< an answered call is ended when it reaches this
    int maxConcurrentCalls = 0; ///< live calls in all, across the team and every instance
    std::optional<QDateTime> updatedAt;
    QString updatedBy; ///< the admin's email

    bool allowsCountry(const QString &region) const
    {
        return allowedCountries.isEmpty() || allowedCountries.contains(region);
    }
};

/// How busy the lines are when a call is about to be placed, as the policy's limits count it.
struct CallLoad
{
    qint64 liveCalls = 0; ///< everyone's, on every instance
    qint64 placedByOperator = 0; ///< the operator's calls since the window's start
};

} // namespace Switchboard
