#pragma once

#include <QDateTime>
#include <QString>

namespace Switchboard {

struct User
{
    QString id;
    QString email; ///< lower-case
    QByteArray passwordHash; ///< libsodium's Argon2id string
    QDateTime createdAt;
};

} // namespace Switchboard
