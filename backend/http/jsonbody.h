#pragma once

#include "apirequest.h"
#include "domain/result.h"

#include <QJsonObject>

namespace Switchboard {

/// The request body as a JSON object, or a validation error saying what is wrong with it.
Result<QJsonObject> jsonObjectBody(const ApiRequest &request);

/// A required string member of at most `maxLength` characters.
Result<QString> requiredString(const QJsonObject &object, const QString &name, qsizetype maxLength);

/// A required array member of strings, at most `maxItems` of them; `what` says what the array
/// holds in the error ("scope names").
Result<QStringList> requiredStringArray(const QJsonObject &object, const QString &name, const QString &what,
                                        qsizetype maxItems);

} // namespace Switchboard
