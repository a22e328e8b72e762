#include "language.h"

#include <QCoreApplication>
#include <QLocale>
#include <QQmlEngine>
#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

namespace {
const QString kSettingsKey = u"ui/language"_s;
} // namespace

Language::Language(QQmlEngine *engine, QObject *parent) : QObject(parent), m_engine(engine)
{
    apply(stored());
}

Language *Language::create(QQmlEngine *engine, QJSEngine *)
{
    return new Language(engine);
}

QStringList Language::available() const
{
    return {u"en"_s, u"ru"_s};
}

QString Language::stored()
{
    const QString systemLanguage = QLocale::system().name().left(2);
    const QString fallback = systemLanguage == u"ru"_s ? systemLanguage : u"en"_s;
    const QString code = QSettings().value(kSettingsKey, fallback).toString();
    return code == u"ru"_s ? code : u"en"_s;
}

void Language::setCode(const QString &code)
{
    if (code == m_code || !available().contains(code))
        return;
    apply(code);
    QSettings().setValue(kSettingsKey, code);
}

void Language::apply(const QString &code)
{
    QCoreApplication::removeTranslator(&m_translator);
    // English is the source language: it needs no translator.
    if (code != u"en"_s) {
        if (m_translator.load(u":/i18n/switchboard_%1.qm"_s.arg(code)))
            QCoreApplication::installTranslator(&m_translator);
    }
    QLocale::setDefault(QLocale(code == u"ru"_s ? QLocale::Russian : QLocale::English,
                                code == u"ru"_s ? QLocale::Russia : QLocale::UnitedStates));
    m_code = code;
    if (m_engine)
        m_engine->retranslate();
    Q_EMIT codeChanged();
}

} // namespace Switchboard::Gui
