#include "jsonbody.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

Result<QJsonObject> jsonObjectBody(const ApiRequest &request)
{
    const QByteArray contentType = request.header("Content-Type");
    if (!contentType.isEmpty() && !contentType.startsWith("application/json"))
        return Error::validation(u"Content-Type must be application/json"_s);
    if (request.body.trimmed().isEmpty())
        return Error::validation(u"The request body must be a JSON object"_s);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError)
        return Error::validation(u"Malformed JSON at offset %1: %2"_s.arg(error.offset).arg(error.errorString()));
    if (!document.isObject())
        return Error::validation(u"The request body must be a JSON object"_s);
    return document.object();
}

Result<QString> requiredString(const QJsonObject &object, const QString &name, qsizetype maxLength)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull())
        return Error::validation(u"%1 is required"_s.arg(name));
    if (!value.isString())
        return Error::validation(u"%1 must be a string"_s.arg(name));
    const QString text = value.toString();
    if (text.trimmed().isEmpty())
        return Error::validation(u"%1 is required"_s.arg(name));
    if (text.size() > maxLength)
        return Error::validation(u"%1 must be at most %2 characters"_s.arg(name).arg(maxLength));
    return text;
}

Result<QStringList> requiredStringArray(const QJsonObject &object, const QString &name, const QString &what,
                                        qsizetype maxItems)
{
    const QJsonValue value = object.value(name);
    if (!value.isArray() || value.toArray().size() > maxItems)
        return Error::validation(u"%1 is required: an array of %2"_s.arg(name, what));
    QStringList items;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString())
            return Error::validation(u"%1 must hold only strings"_s.arg(name));
        items.append(item.toString());
    }
    return items;
}

} // namespace Switchboard
