#pragma once

#include <QHash>
#include <QProcess>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace Integration {

/// One run of the real `switchboard` executable. Output (stdout and stderr) is kept for the
/// failure messages. Nothing of the caller's configuration leaks in; the mock provider runs
/// without media, because these tests answer with hand-written SDP.
class ServerProcess
{
public:
    /// `environment` adds variables; a null value removes one. With a `launcher` (a program and
    /// its arguments) the executable is started through it, as its next argument.
    ServerProcess(const QString &dataDir, const QHash<QString, QString> &environment = {},
                  const QStringList &arguments = {}, const QStringList &launcher = {});
    ~ServerProcess();

    /// The executable under test.
    static QString binary();

    /// Starts `--headless` on a free port over `database` (a path or a URL).
    static std::unique_ptr<ServerProcess> serve(const QString &dataDir, const QString &database,
                                                const QHash<QString, QString> &environment = {},
                                                const QStringList &launcher = {});

    QProcess &process() { return m_process; }
    QUrl baseUrl() const { return m_baseUrl; }
    QString output();

    /// Polls /system/health until it answers 200; false when the process died or time ran out.
    bool waitUntilHealthy(int timeoutMs = 30000);
    bool waitForExit(int timeoutMs = 15000);
    /// What the sanitizers said, if anything (also printed whole: failure messages are cut short).
    QString sanitizerReport();

private:
    QProcess m_process;
    QUrl m_baseUrl;
    QByteArray m_output;
};

} // namespace Integration

#define VERIFY_RUNNING_HEALTHY(instance)                                                                               \
    QVERIFY2((instance).waitUntilHealthy(), qPrintable((instance).output()))

#define VERIFY_CLEAN_EXIT(instance)                                                                                    \
    do {                                                                                                               \
        QVERIFY2((instance).waitForExit(), qPrintable((instance).output()));                                           \
        QVERIFY2((instance).sanitizerReport().isEmpty(), qPrintable((instance).output()));                             \
        QVERIFY2((instance).process().exitStatus() == QProcess::NormalExit, qPrintable((instance).output()));          \
        QVERIFY2((instance).process().exitCode() == 0,                                                                 \
                 qPrintable(u"exit code %1: %2"_s.arg((instance).process().exitCode()).arg((instance).output())));     \
    } while (false)

