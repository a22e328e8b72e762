#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QString>

namespace Switchboard {

/// The signing key when JWT_SECRET is unset: made once from libsodium's random bytes and kept in
/// `<dataDir>/jwt_secret` with mode 0600, so tokens survive a restart.
Result<QByteArray> loadOrCreateJwtSecret(const QString &dataDir);

} // namespace Switchboard
