#include "telurl.h"

#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

QString numberFromTelUri(const QString &argument)
{
    if (!argument.startsWith(u"tel:"_s, Qt::CaseInsensitive))
        return {};
    QString number = QUrl::fromPercentEncoding(argument.mid(4).toUtf8());
    if (const qsizetype parameters = number.indexOf(u';'); parameters >= 0)
        number.truncate(parameters);
    while (number.startsWith(u'/'))
        number.remove(0, 1);
    // The softphone validates the number; here only what a number may hold gets through.
    QString kept;
    for (const QChar c : number) {
        if (c.isDigit() || c == u'+' || c == u' ' || c == u'-' || c == u'.' || c == u'(' || c == u')')
            kept += c;
    }
    return kept.trimmed().left(64);
}

} // namespace Switchboard::Gui
