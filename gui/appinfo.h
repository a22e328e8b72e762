#pragma once

#include <QObject>
#include <QQmlEngine>

namespace Switchboard::Gui {

/// What the console says about itself (Settings shows it): the version is CMake's project()
/// version, the same the package, /system/health and the API description carry.
class AppInfo : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString version READ version CONSTANT)

public:
    using QObject::QObject;

    static QString version();
};

} // namespace Switchboard::Gui
