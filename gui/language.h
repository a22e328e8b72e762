#pragma once

#include <QObject>
#include <QPointer>
#include <QTranslator>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace Switchboard::Gui {

/// The interface language (English or Russian), switchable at run time and kept in QSettings.
/// Switching installs the translator, sets the default locale (dates, numbers) and re-evaluates
/// every qsTr() binding.
class Language : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString code READ code WRITE setCode NOTIFY codeChanged)
    Q_PROPERTY(QStringList available READ available CONSTANT)

public:
    explicit Language(QQmlEngine *engine, QObject *parent = nullptr);
    static Language *create(QQmlEngine *engine, QJSEngine *);

    QString code() const { return m_code; }
    /// `en` or `ru`; anything else is ignored. Persists the choice.
    void setCode(const QString &code);
    QStringList available() const;

    /// The language kept from the last run, or the system's when it is one of ours.
    static QString stored();

Q_SIGNALS:
    void codeChanged();

private:
    void apply(const QString &code);

    QPointer<QQmlEngine> m_engine;
    QTranslator m_translator;
    QString m_code;
};

} // namespace Switchboard::Gui
