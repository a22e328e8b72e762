#pragma once

#include "domain/result.h"

#include <QSslConfiguration>
#include <QString>

namespace Switchboard {

/// The API's TLS identity from PEM files: the certificate (chain) and its unencrypted RSA or EC
/// private key. The server loads it at start; `switchboard check-config` checks it the same way.
Result<QSslConfiguration> loadTls(const QString &certificatePath, const QString &keyPath);

} // namespace Switchboard
