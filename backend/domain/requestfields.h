#pragma once

#include "result.h"

#include <QString>

namespace Switchboard {

/// A whole number a client wrote (a query's `page`, `limit`) within [min, max]; `fallback` when
/// it wrote none. The use cases of every list (history, contacts, the audit trail) share it, so
/// that their errors read the same.
inline Result<int> boundedInt(const QString &text, const QString &name, int fallback, int min, int max)
{
    if (text.isEmpty())
        return fallback;
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max)
        return Error::validation(QStringLiteral("%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
    return value;
}

} // namespace Switchboard
