#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace Switchboard {

/// RFC 3339 in UTC with milliseconds (`2026-11-24T22:52:07.123Z`): fixed width, so stored times
/// sort as text on SQLite and PostgreSQL alike.
QString formatUtc(const QDateTime &time);

/// Reads what formatUtc wrote; an invalid QDateTime for anything else.
QDateTime parseUtc(const QString &text);

/// Reads a client's date filter: RFC 3339 with an offset or `Z`, or a plain `YYYY-MM-DD`
/// (midnight UTC). Returns nothing when the text is not a date.
std::optional<QDateTime> parseClientTime(const QString &text);

} // namespace Switchboard
