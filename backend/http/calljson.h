#pragma once

#include "domain/call.h"

#include <QJsonObject>

namespace Switchboard {

/// A call as the API shows it (history items, and GET /api/calls/{id} with the offer added).
QJsonObject callJson(const Call &call);

} // namespace Switchboard
