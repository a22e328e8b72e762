#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace Switchboard {

/// What a user may do: an operator places and reads its own calls; an admin also manages the
/// team and reads everyone's history.
enum class Role { Operator, Admin };

QString roleName(Role role);
/// The role named `name` ("admin", "operator"), if it is one.
std::optional<Role> roleFromName(const QString &name);

struct User
{
    QString id;
    QString email; ///< lower-case
    QByteArray passwordHash; ///< libsodium's Argon2id string
    QDateTime createdAt;
    Role role = Role::Operator;
    bool disabled = false;
    QDateTime tokensValidAfter; ///< tokens issued before this are refused; invalid: none
};

} // namespace Switchboard
