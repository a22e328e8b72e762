#pragma once

#include <QStringList>

namespace Switchboard {

/// What the operator wrote down as a call's result (a wrap-up), stored in `calls.outcome`.
/// Clients translate the keys.
const QStringList &callOutcomes();
bool isCallOutcome(const QString &key);

} // namespace Switchboard
