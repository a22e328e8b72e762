#include "user.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

QString roleName(Role role)
{
    return role == Role::Admin ? u"admin"_s : u"operator"_s;
}

std::optional<Role> roleFromName(const QString &name)
{
    if (name == u"admin"_s)
        return Role::Admin;
    if (name == u"operator"_s)
        return Role::Operator;
    return std::nullopt;
}

} // namespace Switchboard
