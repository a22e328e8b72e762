#include "commandline.h"
#include "core/config.h"
#include "core/logging.h"
#include "runtime/backend.h"
#include "unixsignals.h"

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlEngineExtensionPlugin>

#include <cstdio>
#include <memory>

Q_IMPORT_QML_PLUGIN(SwitchboardPlugin)

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

int loadInterface(QQmlApplicationEngine &engine, const QVariantMap &properties)
{
    engine.addImportPath(u"qrc:/qt/qml"_s);
    engine.setInitialProperties(properties);
    engine.load(QUrl(u"qrc:/qt/qml/Switchboard/Main.qml"_s));
    if (engine.rootObjects().isEmpty()) {
        qCCritical(lcApp) << "the user interface failed to load";
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(u"switchboard"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    qSetMessagePattern(u"%{time yyyy-MM-ddThh:mm:ss.zzz} "
                       "%{if-debug}DEBUG%{endif}%{if-info}INFO %{endif}%{if-warning}WARN %{endif}"
                       "%{if-critical}ERROR%{endif}%{if-fatal}FATAL%{endif} %{category}: %{message}"_s);

    const bool headless = CommandLine::wantsHeadless(argc, argv);
    std::unique_ptr<QCoreApplication> app = headless ? std::make_unique<QCoreApplication>(argc, argv)
                                                     : std::make_unique<QGuiApplication>(argc, argv);

    const CommandLine commandLine = CommandLine::parse(app->arguments(), QProcessEnvironment::systemEnvironment());
    if (!commandLine.error.isEmpty()) {
        std::fprintf(stderr, "switchboard: %s (see --help)\n", qPrintable(commandLine.error));
        return 2;
    }

    if (commandLine.selfTest) {
        QQmlApplicationEngine engine;
        return loadInterface(engine, {{u"apiUrl"_s, u"http://127.0.0.1:0"_s},
                                      {u"databaseName"_s, u"self-test"_s},
                                      {u"providerName"_s, u"mock"_s}});
    }

    Result<Config> config = Config::fromEnvironment(commandLine.environment);
    if (!config) {
        std::fprintf(stderr, "switchboard: configuration error: %s\n", qPrintable(config.error().message));
        return 2;
    }

    Backend backend(config.value());
    if (Result<quint16> started = backend.start(); !started) {
        qCCritical(lcApp).noquote() << "cannot start:" << started.error().message;
        return 1;
    }

    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::terminationRequested, app.get(), [&app](int signal) {
        qCInfo(lcApp) << "signal" << signal << "received, shutting down";
        app->quit();
    });

    std::unique_ptr<QQmlApplicationEngine> engine;
    if (!headless) {
        engine = std::make_unique<QQmlApplicationEngine>();
        const int failed = loadInterface(*engine, {{u"apiUrl"_s, backend.baseUrl().toString()},
                                                   {u"databaseName"_s, config->database.redacted()},
                                                   {u"providerName"_s, config->voipProvider}});
        if (failed)
            return failed;
    }

    const int exitCode = app->exec();
    engine.reset();
    backend.stop();
    return exitCode;
}
