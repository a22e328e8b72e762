#include "commandline.h"
#include "runtime/config.h"
#include "core/logging.h"
#include "runtime/backend.h"
#include "singleinstance.h"
#include "unixsignals.h"

#include <QDirIterator>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQmlEngineExtensionPlugin>
#include <QQuickWindow>
#include <QtWebEngineQuick/qtwebenginequickglobal.h>

#include <cstdio>
#include <memory>
#include <optional>

Q_IMPORT_QML_PLUGIN(SwitchboardPlugin)
Q_IMPORT_QML_PLUGIN(Switchboard_GuiPlugin)

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace {

const QString kMainQml = u"qrc:/qt/qml/Switchboard/Main.qml"_s;

int loadInterface(QQmlApplicationEngine &engine, const QVariantMap &properties)
{
    engine.addImportPath(u"qrc:/qt/qml"_s);
    engine.setInitialProperties(properties);
    engine.load(QUrl(kMainQml));
    if (engine.rootObjects().isEmpty()) {
        qCCritical(lcApp) << "the user interface failed to load";
        return 1;
    }
    return 0;
}

/// QtWebEngine needs both before the application object exists.
void initializeWebEngine()
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QtWebEngineQuick::initialize();
}

/// Compiles every QML file of the app (pages that only appear after logging in included), then
/// loads the main window: any error is a failure.
int selfTest()
{
    QQmlApplicationEngine engine;
    engine.addImportPath(u"qrc:/qt/qml"_s);
    int failures = 0;
    int compiled = 0;
    QDirIterator files(u":/qt/qml/Switchboard"_s, {u"*.qml"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString file = files.next();
        QQmlComponent component(&engine, QUrl(u"qrc"_s + file));
        if (component.isError()) {
            qCCritical(lcApp).noquote() << file << component.errorString();
            ++failures;
        }
        ++compiled;
    }
    qCInfo(lcApp) << "self-test: compiled" << compiled << "QML files," << failures << "failed";
    if (failures || compiled == 0)
        return 1;
    return loadInterface(engine, {{u"apiUrl"_s, u"http://127.0.0.1:0"_s},
                                  {u"databaseName"_s, u"self-test"_s},
                                  {u"providerName"_s, u"mock"_s}});
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(u"switchboard"_s);
    QCoreApplication::setOrganizationName(u"switchboard"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    qSetMessagePattern(u"%{time yyyy-MM-ddThh:mm:ss.zzz} "
                       "%{if-debug}DEBUG%{endif}%{if-info}INFO %{endif}%{if-warning}WARN %{endif}"
                       "%{if-critical}ERROR%{endif}%{if-fatal}FATAL%{endif} %{category}: %{message}"_s);

    // The command line, the configuration and the tel: hand-over are settled before any
    // application object exists: a start that only hands a link to the running console then
    // never initialises QtWebEngine, a platform plugin or the GPU driver.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    // --help and --version print and exit inside parse(); the usage line names the program after
    // the application's first argument.
    std::optional<QCoreApplication> textOnly;
    if (CommandLine::onlyPrints(arguments))
        textOnly.emplace(argc, argv);
    const CommandLine commandLine = CommandLine::parse(arguments, QProcessEnvironment::systemEnvironment());
    if (!commandLine.error.isEmpty()) {
        std::fprintf(stderr, "switchboard: %s (see --help)\n", qPrintable(commandLine.error));
        return 2;
    }
    if (commandLine.selfTest) {
        initializeWebEngine();
        QGuiApplication app(argc, argv);
        return selfTest();
    }
    const bool headless = commandLine.headless;

    Result<Config> config = Config::fromEnvironment(commandLine.environment);
    if (!config) {
        std::fprintf(stderr, "switchboard: configuration error: %s\n", qPrintable(config.error().message));
        return 2;
    }

    // A console already running on this data directory takes the tel: link and comes forward.
    Gui::SingleInstance instance(config->dataDir);
    if (!headless && instance.forward(commandLine.dialNumber)) {
        qCInfo(lcApp) << "handed over to the running console";
        return 0;
    }

    if (!headless)
        initializeWebEngine();
    std::unique_ptr<QCoreApplication> app = headless ? std::make_unique<QCoreApplication>(argc, argv)
                                                     : std::make_unique<QGuiApplication>(argc, argv);
    if (!headless && !instance.listen())
        qCWarning(lcApp) << "cannot accept tel: links from other starts";

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
                                                   {u"providerName"_s, config->voipProvider},
                                                   {u"pendingNumber"_s, commandLine.dialNumber}});
        if (failed)
            return failed;
        QObject *window = engine->rootObjects().constFirst();
        // The first frame on screen is when the operator can start typing (bench/gui.sh waits for it).
        if (auto *quickWindow = qobject_cast<QQuickWindow *>(window)) {
            QObject::connect(
                quickWindow, &QQuickWindow::frameSwapped, quickWindow, [] { qCInfo(lcApp) << "window shown"; },
                Qt::SingleShotConnection);
        }
        QObject::connect(&instance, &Gui::SingleInstance::activated, window, [window](const QString &number) {
            qCInfo(lcApp) << "another start handed over" << (number.isEmpty() ? "no number" : "a tel: link");
            QMetaObject::invokeMethod(window, "dial", Q_ARG(QVariant, number));
        });
    }

    const int exitCode = app->exec();
    engine.reset();
    backend.stop();
    return exitCode;
}
