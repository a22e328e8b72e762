#include "clitext.h"

#include <QLocale>
#include <QTranslator>

using namespace Qt::Literals::StringLiterals;

QString cliText(const char *source)
{
    // Loaded once, on first use; QTranslator needs no application object to translate.
    static const QTranslator *const translator = [] {
        auto *loaded = new QTranslator;
        if (!loaded->load(QLocale::system(), u"switchboard_cli"_s, u"_"_s, u":/i18n"_s)) {
            delete loaded;
            return static_cast<QTranslator *>(nullptr);
        }
        return loaded;
    }();
    const QString translated = translator ? translator->translate("Cli", source) : QString();
    return translated.isEmpty() ? QString::fromUtf8(source) : translated;
}
