#pragma once

#include <QLoggingCategory>

// One category per subsystem, so QT_LOGGING_RULES can turn any of them up without a rebuild.
Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcCalls)
Q_DECLARE_LOGGING_CATEGORY(lcSessions)
Q_DECLARE_LOGGING_CATEGORY(lcVoip)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
