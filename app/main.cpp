#include "admin/admincommands.h"
#include "clitext.h"
#include "commandline.h"
#include "helptext.h"
#include "serverlock.h"
#include "runtime/config.h"
#include "core/logging.h"
#include "runtime/backend.h"
#include "singleinstance.h"
#include "unixsignals.h"

#include <QDirIterator>
#include <QApplication>
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

/// Loads the console's window over the running backend and connects the tel: hand-over to it.
std::unique_ptr<QQmlApplicationEngine> showConsole(const Backend &backend, const Config &config,
                                                   const QString &dialNumber, Gui::SingleInstance &instance)
{
    auto engine = std::make_unique<QQmlApplicationEngine>();
    if (loadInterface(*engine, {{u"apiUrl"_s, backend.baseUrl().toString()},
                                {u"databaseName"_s, config.database.redacted()},
                                {u"providerName"_s, config.voipProvider},
                                {u"pendingNumber"_s, dialNumber}}))
        return nullptr;
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
    return engine;
}

/// The console needs a window system; Qt's own refusal ("no Qt platform plugin could be
/// initialized") says nothing useful over SSH. An explicit QT_QPA_PLATFORM (offscreen, vnc, …)
/// is the user's choice and passes.
bool hasDisplay(const QProcessEnvironment &environment)
{
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
        if (!environment.value(QString::fromLatin1(name)).isEmpty())
            return true;
    }
    return false;
}

/// The backend, and the console window unless headless, until a signal or the window ends it.
int serve(const CommandLine &commandLine, int &argc, char **argv)
{
    const bool headless = commandLine.mode == CommandLine::Mode::Headless;
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
    // QApplication, not QGuiApplication: the dashboard's Qt Charts draw with Graphics View and the
    // tray icon is a widget-side class; both need it.
    std::unique_ptr<QCoreApplication> app = headless ? std::make_unique<QCoreApplication>(argc, argv)
                                                     : std::make_unique<QApplication>(argc, argv);
    if (!headless && !instance.listen())
        qCWarning(lcApp) << "cannot accept tel: links from other starts";

    // Held while serving: `switchboard restore` and `migrate --to` wait for no server to hold it.
    Result<std::unique_ptr<ServerLock>> serving = ServerLock::take(config->database, ServerLock::Kind::Serving);
    if (!serving) {
        qCCritical(lcApp).noquote() << "cannot start:" << serving.error().message;
        return 1;
    }
    // Before the server answers: a SIGTERM that follows its first answer at once must drain it,
    // not kill it (the signal is acted on once the event loop runs).
    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::terminationRequested, app.get(), [&app](int signal) {
        qCInfo(lcApp) << "signal" << signal << "received, shutting down";
        app->quit();
    });

    Backend backend(config.value());
    if (Result<quint16> started = backend.start(); !started) {
        qCCritical(lcApp).noquote() << "cannot start:" << started.error().message;
        return 1;
    }

    std::unique_ptr<QQmlApplicationEngine> engine;
    if (!headless) {
        engine = showConsole(backend, config.value(), commandLine.dialNumber, instance);
        if (!engine)
            return 1;
    }

    const int exitCode = app->exec();
    engine.reset();
    backend.stop();
    return exitCode;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(u"switchboard"_s);
    QCoreApplication::setOrganizationName(u"switchboard"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));

    // The command line, the configuration and the tel: hand-over are settled before any
    // application object exists: a start that only prints, or hands a link to the running
    // console, never initialises QtWebEngine, a platform plugin or the GPU driver.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const CommandLine commandLine = CommandLine::parse(arguments, QProcessEnvironment::systemEnvironment());
    if (!commandLine.error.isEmpty()) {
        std::fprintf(stderr, "switchboard: %s (%s)\n", qPrintable(commandLine.error),
                     qPrintable(cliText(QT_TRANSLATE_NOOP("Cli", "see --help"))));
        return 2;
    }
    switch (commandLine.mode) {
    case CommandLine::Mode::Help:
        std::fputs(qPrintable(helpText()), stdout);
        return 0;
    case CommandLine::Mode::Version:
        std::printf("switchboard %s\n", SWITCHBOARD_VERSION);
        return 0;
    default:
        break;
    }

    // What --env-file (and the flags) set becomes the process's environment, as systemd's
    // EnvironmentFile= would make it: Qt's own variables (QT_LOGGING_RULES) apply too.
    for (const QString &name : commandLine.environment.keys())
        qputenv(name.toLocal8Bit().constData(), commandLine.environment.value(name).toLocal8Bit());

    const std::optional<LogFormat> logFormat = parseLogFormat(commandLine.environment.value(u"LOG_FORMAT"_s));
    if (!logFormat) {
        std::fprintf(stderr, "switchboard: configuration error: LOG_FORMAT must be text or json\n");
        return 2;
    }
    installLogFormat(*logFormat);

    if (commandLine.mode == CommandLine::Mode::Admin) {
        QCoreApplication app(argc, argv);
        return Admin::findCommand(commandLine.command)->run(commandLine.commandArguments, commandLine.environment);
    }
    if (commandLine.mode == CommandLine::Mode::SelfTest) {
        initializeWebEngine();
        QApplication app(argc, argv);
        return selfTest();
    }
    if (commandLine.mode == CommandLine::Mode::Console && !hasDisplay(commandLine.environment)) {
        std::fprintf(stderr, "switchboard: %s\n",
                     qPrintable(cliText(QT_TRANSLATE_NOOP(
                         "Cli", "no display (DISPLAY and WAYLAND_DISPLAY are unset), so no console window: "
                                "run the server alone with switchboard --headless"))));
        return 2;
    }
    return serve(commandLine, argc, argv);
}
