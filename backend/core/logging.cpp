#include "logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

// Session operations log at DEBUG, which is off unless QT_LOGGING_RULES turns it on.
Q_LOGGING_CATEGORY(lcApp, "switchboard.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "switchboard.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "switchboard.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCalls, "switchboard.calls", QtInfoMsg)
Q_LOGGING_CATEGORY(lcContacts, "switchboard.contacts", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSessions, "switchboard.sessions", QtInfoMsg)
Q_LOGGING_CATEGORY(lcVoip, "switchboard.voip", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "switchboard.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWebhooks, "switchboard.webhooks", QtInfoMsg)

namespace Switchboard {

namespace {

const QString kTimeFormat = u"yyyy-MM-ddThh:mm:ss.zzz"_s;
const QString kPriorityPattern =
    u"%{if-debug}<7>%{endif}%{if-info}<6>%{endif}%{if-warning}<4>%{endif}%{if-critical}<3>%{endif}%{if-fatal}<2>%{endif}"_s;
const QString kTextPattern = u"%{time "_s + kTimeFormat
    + u"} %{if-debug}DEBUG%{endif}%{if-info}INFO %{endif}%{if-warning}WARN %{endif}"
      "%{if-critical}ERROR%{endif}%{if-fatal}FATAL%{endif} %{category}: %{message}"_s;

/// systemd sets JOURNAL_STREAM to "device:inode" of the journal's stream; stderr is that stream
/// unless the process redirected it.
bool stderrIsJournal()
{
    const QByteArray stream = qgetenv("JOURNAL_STREAM");
    struct stat info = {};
    if (stream.isEmpty() || ::fstat(fileno(stderr), &info) != 0)
        return false;
    return stream == QByteArray::number(qulonglong(info.st_dev)) + ':' + QByteArray::number(qulonglong(info.st_ino));
}

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "DEBUG";
    case QtInfoMsg:
        return "INFO";
    case QtWarningMsg:
        return "WARN";
    case QtCriticalMsg:
        return "ERROR";
    case QtFatalMsg:
        return "FATAL";
    }
    return "INFO";
}

bool g_journalPriorities = false;

void writeJson(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QJsonObject entry{
        {u"time"_s, QDateTime::currentDateTime().toString(kTimeFormat)},
        {u"level"_s, QString::fromLatin1(levelName(type))},
        {u"category"_s, QString::fromUtf8(context.category ? context.category : "default")},
        {u"message"_s, message},
    };
    static const char *const priorities[] = {"<7>", "<4>", "<3>", "<2>", "<6>"}; // by QtMsgType's value
    // One write per line, so that lines of several threads never interleave.
    const QByteArray line = (g_journalPriorities ? QByteArray(priorities[type]) : QByteArray())
        + QJsonDocument(entry).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

std::optional<LogFormat> parseLogFormat(const QString &value)
{
    const QString format = value.trimmed().toLower();
    if (format.isEmpty() || format == u"text"_s)
        return LogFormat::Text;
    if (format == u"json"_s)
        return LogFormat::Json;
    return std::nullopt;
}

void installLogFormat(LogFormat format)
{
    g_journalPriorities = stderrIsJournal();
    if (format == LogFormat::Json) {
        qInstallMessageHandler(writeJson);
        return;
    }
    qInstallMessageHandler(nullptr);
    qSetMessagePattern(g_journalPriorities ? kPriorityPattern + kTextPattern : kTextPattern);
}

} // namespace Switchboard
