// The floor a softphone window starts from: one QML window with one WebEngineView showing a URL
// (TECH-NOTES "Measured here"), measured by bench/gui.sh exactly as the console is. Prints
// "page loaded" when the page has loaded.

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QUrl>
#include <QtWebEngineQuick/qtwebenginequickglobal.h>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QtWebEngineQuick::initialize();
    QGuiApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s URL\n", argv[0]);
        return 2;
    }
    QQmlApplicationEngine engine;
    engine.setInitialProperties({{QStringLiteral("url"), QUrl(QString::fromLocal8Bit(argv[1]))}});
    engine.loadData(R"(
import QtQuick
import QtWebEngine
Window {
    id: window
    required property url url
    width: 1100; height: 760; visible: true
    WebEngineView {
        anchors.fill: parent
        url: window.url
        onLoadingChanged: (request) => {
            if (request.status === WebEngineView.LoadSucceededStatus)
                console.info("page loaded")
        }
    }
}
)");
    return engine.rootObjects().isEmpty() ? 1 : app.exec();
}
