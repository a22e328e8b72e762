#include "logging.h"

// Session operations log at DEBUG, which is off unless QT_LOGGING_RULES turns it on.
Q_LOGGING_CATEGORY(lcApp, "switchboard.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "switchboard.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "switchboard.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCalls, "switchboard.calls", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSessions, "switchboard.sessions", QtInfoMsg)
Q_LOGGING_CATEGORY(lcVoip, "switchboard.voip", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "switchboard.storage", QtInfoMsg)
