#pragma once

#include "apirequest.h"
#include "domain/result.h"

#include <QJsonObject>

namespace Switchboard {

/// The request body as a JSON object, or a validation error saying what is wrong with it.
Result<QJsonObject> jsonObjectBody(const ApiRequest &request);

/// A required string member of at most `maxLength` characters.
Result<QString> requiredString(const QJsonObject &object, const QString &name, qsizetype maxLength);

} // namespace Switchboard
