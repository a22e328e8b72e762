#include "environmentvariables.h"

#include <QtGlobal>

const QList<EnvironmentVariable> &environmentVariables()
{
    static const QList<EnvironmentVariable> variables{
        {"SERVER_HOST", QT_TRANSLATE_NOOP("Cli", "address the API listens on (default 127.0.0.1)")},
        {"SERVER_PORT", QT_TRANSLATE_NOOP("Cli", "port (default 8080; 0 picks a free one)")},
        {"SERVER_THREADS",
         QT_TRANSLATE_NOOP("Cli", "serving threads sharing the port (default one per core, at most 16)")},
        {"SERVER_REQUEST_TIMEOUT",
         QT_TRANSLATE_NOOP("Cli", "a request must arrive whole within this (default 10s; else 408)")},
        {"SERVER_IDLE_TIMEOUT", QT_TRANSLATE_NOOP("Cli", "an idle connection is closed after this (default 60s)")},
        {"SERVER_INSECURE",
         QT_TRANSLATE_NOOP("Cli", "1: allow plain HTTP on an address other than loopback (as --insecure)")},
        {"CORS_ORIGINS",
         QT_TRANSLATE_NOOP("Cli", "exact origins (https://crm.example.com, comma-separated) whose pages may call the API")},
        {"WEBHOOK_ALLOW_PRIVATE",
         QT_TRANSLATE_NOOP("Cli", "1: webhooks may reach loopback and private addresses (default 0: public ones only)")},
        {"WEBHOOK_RETRY_SCHEDULE",
         QT_TRANSLATE_NOOP("Cli", "seconds between a webhook's attempts, comma-separated (default "
                                  "5,300,1800,7200,18000,36000,36000)")},
        {"TLS_CERT", QT_TRANSLATE_NOOP("Cli", "PEM certificate (chain): with TLS_KEY, the API speaks HTTPS")},
        {"TLS_KEY", QT_TRANSLATE_NOOP("Cli", "its unencrypted PEM RSA or EC private key")},
        {"DATABASE_URL",
         QT_TRANSLATE_NOOP("Cli", "a file path, sqlite:///abs/path or postgres://user:pass@host:port/db "
                                  "(default DATA_DIR/switchboard.db)")},
        {"DATA_DIR",
         QT_TRANSLATE_NOOP("Cli", "where the default database and the generated secret live "
                                  "(default ~/.local/share/switchboard)")},
        {"JWT_SECRET",
         QT_TRANSLATE_NOOP("Cli", "HS256 key of at least 32 characters (default: generated into "
                                  "DATA_DIR/jwt_secret, mode 0600)")},
        {"JWT_TTL", QT_TRANSLATE_NOOP("Cli", "token lifetime, and so the idle timeout: clients refresh the token while "
                                             "their operator is active; seconds or 90s, 30m, 24h (default 1h)")},
        {"SESSION_MAX_AGE", QT_TRANSLATE_NOOP("Cli", "a login ends this long after it began, refreshed or not "
                                                     "(default and at most 12h)")},
        {"LOGIN_RATE_LIMIT",
         QT_TRANSLATE_NOOP("Cli", "login attempts per minute, per email and per client address (default 10)")},
        {"REGISTRATION",
         QT_TRANSLATE_NOOP("Cli", "open: anyone may register (rate-limited); closed: admins create the accounts (default open)")},
        {"REGISTER_RATE_LIMIT",
         QT_TRANSLATE_NOOP("Cli", "registrations per hour per client address; 0 turns the limit off (default 20)")},
        {"MAX_CONNECTIONS",
         QT_TRANSLATE_NOOP("Cli", "connections the server holds in all; 0 = what the open-file limit leaves room for (default 0)")},
        {"METRICS_TOKEN",
         QT_TRANSLATE_NOOP("Cli", "bearer token (32+ characters) for /metrics when the server is not on loopback (default: an operator's token only)")},
        {"MAX_CONNECTIONS_PER_CLIENT",
         QT_TRANSLATE_NOOP("Cli", "connections from one client address; the excess is answered 503 (default 256)")},
        {"VOIP_PROVIDER", QT_TRANSLATE_NOOP("Cli", "mock (default) or twilio")},
        {"VOIP_ACCOUNT_SID", QT_TRANSLATE_NOOP("Cli", "Twilio Account SID (AC…)")},
        {"VOIP_AUTH_TOKEN", QT_TRANSLATE_NOOP("Cli", "Twilio Auth Token (REST calls without an API key; "
                                                     "verifies status callbacks)")},
        {"VOIP_API_KEY", QT_TRANSLATE_NOOP("Cli", "Twilio API key SID (SK…)")},
        {"VOIP_API_SECRET", QT_TRANSLATE_NOOP("Cli", "its secret (also signs the softphone's Access Tokens)")},
        {"VOIP_FROM_NUMBER", QT_TRANSLATE_NOOP("Cli", "caller ID in E.164: a Twilio number or a verified one")},
        {"VOIP_API_BASE_URL", QT_TRANSLATE_NOOP("Cli", "Twilio's API address (default https://api.twilio.com)")},
        {"VOICE_PUBLIC_BASE_URL",
         QT_TRANSLATE_NOOP("Cli", "where Twilio reaches this server for status callbacks (unset: calls are polled)")},
        {"VOIP_TWIML_APP_SID", QT_TRANSLATE_NOOP("Cli", "optional TwiML App (AP…) for the Access Token")},
        {"VOIP_MOCK_MEDIA", QT_TRANSLATE_NOOP("Cli", "on (default) or off: the mock's far end with or without media")},
        {"VOIP_MOCK_LATENCY_MS", QT_TRANSLATE_NOOP("Cli", "extra time the mock takes to place a call (default 0)")},
        {"VOIP_MOCK_RINGBACK_MS", QT_TRANSLATE_NOOP("Cli", "how long the mock's far end rings (default 1000)")},
        {"VOIP_MOCK_RING_TIMEOUT", QT_TRANSLATE_NOOP("Cli", "seconds the mock's no-answer number rings (default 30)")},
        {"VOIP_MOCK_MEDIA_TIMEOUT",
         QT_TRANSLATE_NOOP("Cli", "seconds the mock's media may take or stall before the call fails (default 10)")},
        {"VOIP_MOCK_POOL", QT_TRANSLATE_NOOP("Cli", "far ends the mock keeps ready (default 4)")},
        {"VOIP_MOCK_ANSWER_WINDOW_MS",
         QT_TRANSLATE_NOOP("Cli", "how long the mock waits for a client's SDP answer before it plays the call out without media (default 5000)")},
        {"VOIP_MOCK_MAX_CALLS", QT_TRANSLATE_NOOP("Cli", "live calls the mock takes at most; more are refused 503 (default 100)")},
        {"CALL_SETUP_TIMEOUT", QT_TRANSLATE_NOOP("Cli", "a call not answered by then fails (default 60s)")},
        {"SESSION_TTL", QT_TRANSLATE_NOOP("Cli", "an active call older than this is ended (default 4h)")},
        {"SESSION_SWEEP_INTERVAL_MS",
         QT_TRANSLATE_NOOP("Cli", "how often sessions are swept and live calls heartbeated (default 60000)")},
        {"INSTANCE_ID", QT_TRANSLATE_NOOP("Cli", "tells instances sharing one PostgreSQL apart (default host name)")},
        {"LOG_FORMAT",
         QT_TRANSLATE_NOOP("Cli", "text (default) or json: one JSON object per line (time, level, category, message)")},
        {"QT_LOGGING_RULES",
         QT_TRANSLATE_NOOP("Cli", "Qt's logging rules, e.g. switchboard.sessions.debug=true")},
        {"QTWEBENGINE_DISABLE_SANDBOX",
         QT_TRANSLATE_NOOP("Cli", "1: let the console's web engine run as root (without its sandbox)")},
    };
    return variables;
}
