#pragma once

#include <QLoggingCategory>

#include <optional>

// One category per subsystem, so QT_LOGGING_RULES can turn any of them up without a rebuild.
Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcCalls)
Q_DECLARE_LOGGING_CATEGORY(lcContacts)
Q_DECLARE_LOGGING_CATEGORY(lcSessions)
Q_DECLARE_LOGGING_CATEGORY(lcVoip)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcWebhooks)

namespace Switchboard {

/// How log lines are written to stderr (LOG_FORMAT).
enum class LogFormat {
    Text, ///< `2026-01-15T10:00:00.000 INFO  switchboard.calls: message`
    Json, ///< the same fields as one JSON object a line: time, level, category, message
};

/// LOG_FORMAT's value: `text` (or empty) or `json`; nothing for anything else.
std::optional<LogFormat> parseLogFormat(const QString &value);

/// Writes every message in `format` from now on. When stderr is the systemd journal
/// (JOURNAL_STREAM names it), each line starts with its syslog priority (`<4>` for WARN …), which
/// journald takes off and keeps as the entry's priority (`journalctl -p warning`).
void installLogFormat(LogFormat format);

} // namespace Switchboard
