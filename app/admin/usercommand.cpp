// `switchboard user add|list|set-password`: the accounts, managed from the server's shell (the
// first account of an installation whose registration is closed is made this way).

#include "adminsupport.h"
#include "commands.h"
#include "passwordinput.h"

#include "auth/credentials.h"
#include "auth/passwordhasher.h"
#include "core/timeformat.h"
#include "storage/sqluserrepository.h"

#include <QDateTime>
#include <QUuid>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace Admin {

namespace {

const QString kCommand = u"user"_s;
const QString kPasswordStdin = u"--password-stdin"_s;

/// The arguments after an action's name: one email and, optionally, --password-stdin.
struct EmailArguments
{
    QString email;
    bool passwordFromStdin = false;
};

std::optional<EmailArguments> emailArguments(const QString &action, const QStringList &arguments)
{
    EmailArguments parsed;
    for (const QString &argument : arguments) {
        if (argument == kPasswordStdin)
            parsed.passwordFromStdin = true;
        else if (parsed.email.isEmpty() && !argument.startsWith(u'-'))
            parsed.email = argument;
        else
            return std::nullopt;
    }
    if (parsed.email.isEmpty())
        return std::nullopt;
    Result<QString> normalized = normalizeEmail(parsed.email);
    if (!normalized) {
        fail(kCommand + u' ' + action, normalized.error().message, Usage);
        return std::nullopt;
    }
    parsed.email = normalized.value();
    return parsed;
}

/// A password read and checked against the same rules as registration; hashed.
std::optional<QByteArray> newPasswordHash(const QString &action, bool fromStdin)
{
    const std::optional<QString> password = readNewPassword(kCommand + u' ' + action, fromStdin);
    if (!password)
        return std::nullopt;
    if (Status valid = validatePassword(*password); !valid) {
        fail(kCommand + u' ' + action, valid.error().message, Failure);
        return std::nullopt;
    }
    QByteArray hash = PasswordHasher::hashNow(*password);
    if (hash.isEmpty()) {
        fail(kCommand + u' ' + action, u"the password could not be hashed (out of memory)"_s, Failure);
        return std::nullopt;
    }
    return hash;
}

int addUser(const QStringList &arguments, SqlUserRepository &users)
{
    const std::optional<EmailArguments> parsed = emailArguments(u"add"_s, arguments);
    if (!parsed)
        return fail(kCommand, u"usage: switchboard user add EMAIL [--password-stdin]"_s, Usage);
    const std::optional<QByteArray> hash = newPasswordHash(u"add"_s, parsed->passwordFromStdin);
    if (!hash)
        return Failure;
    User user{QUuid::createUuid().toString(QUuid::WithoutBraces), parsed->email, *hash, QDateTime::currentDateTimeUtc()};
    if (Status created = users.create(user); !created)
        return fail(kCommand + u" add"_s, created.error().message, Failure);
    // As registration does: the first account of an installation is its admin.
    Result<bool> promoted = users.promoteIfOnlyUser(user.id);
    if (promoted && promoted.value())
        user.role = Role::Admin;
    out() << "user " << user.email << " added as " << roleName(user.role) << " (id " << user.id << ")\n";
    return Success;
}

int listUsers(const QStringList &arguments, SqlUserRepository &users)
{
    if (!arguments.isEmpty())
        return fail(kCommand, u"usage: switchboard user list"_s, Usage);
    Result<QList<User>> all = users.list();
    if (!all)
        return fail(kCommand + u" list"_s, all.error().message, Failure);
    out() << "created                   id                                    role      email\n";
    for (const User &user : all.value()) {
        out() << formatUtc(user.createdAt).leftJustified(26) << user.id.leftJustified(38)
              << roleName(user.role).leftJustified(10) << user.email << (user.disabled ? " (disabled)" : "") << '\n';
    }
    return Success;
}

int setPassword(const QStringList &arguments, SqlUserRepository &users)
{
    const std::optional<EmailArguments> parsed = emailArguments(u"set-password"_s, arguments);
    if (!parsed)
        return fail(kCommand, u"usage: switchboard user set-password EMAIL [--password-stdin]"_s, Usage);
    Result<std::optional<User>> user = users.findByEmail(parsed->email);
    if (!user)
        return fail(kCommand + u" set-password"_s, user.error().message, Failure);
    if (!user->has_value())
        return fail(kCommand + u" set-password"_s, u"there is no user %1"_s.arg(parsed->email), Failure);
    const std::optional<QByteArray> hash = newPasswordHash(u"set-password"_s, parsed->passwordFromStdin);
    if (!hash)
        return Failure;
    Result<bool> changed = users.setPasswordHash(user->value().id, *hash);
    if (!changed || !changed.value())
        return fail(kCommand + u" set-password"_s, changed ? u"the user is gone"_s : changed.error().message, Failure);
    // Tokens already issued stay valid until they expire: the same as a change through the API.
    out() << "password of " << parsed->email << " changed\n";
    return Success;
}

/// One row per action: `disable` and `set-role` join as rows of their own.
struct UserAction
{
    QString name;
    CommandHelp help;
    int (*run)(const QStringList &arguments, SqlUserRepository &users);
};

const QList<UserAction> &userActions()
{
    static const QList<UserAction> actions{
        {u"add"_s,
         {u"user add EMAIL [--password-stdin]"_s,
          QT_TRANSLATE_NOOP("Cli", "Create a user; the password is asked for, or read from standard input.")},
         addUser},
        {u"list"_s, {u"user list"_s, QT_TRANSLATE_NOOP("Cli", "List the users.")}, listUsers},
        {u"set-password"_s,
         {u"user set-password EMAIL [--password-stdin]"_s, QT_TRANSLATE_NOOP("Cli", "Set a user's password.")},
         setPassword},
    };
    return actions;
}

} // namespace

QList<CommandHelp> userHelp()
{
    QList<CommandHelp> help;
    for (const UserAction &action : userActions())
        help.append(action.help);
    return help;
}

int runUser(const QStringList &arguments, const QProcessEnvironment &environment)
{
    const QString name = arguments.value(0);
    const auto action = std::find_if(userActions().cbegin(), userActions().cend(),
                                     [&name](const UserAction &candidate) { return candidate.name == name; });
    if (action == userActions().cend()) {
        QStringList names;
        for (const UserAction &known : userActions())
            names.append(known.name);
        return fail(kCommand, u"usage: switchboard user %1 …"_s.arg(names.join(u'|')), Usage);
    }
    const std::optional<Config> config = loadConfig(kCommand, environment);
    if (!config)
        return Usage;
    // Writes go through ordinary transactions: safe beside a running server.
    const std::unique_ptr<Database> database = openDatabase(kCommand, *config, Open::Migrated);
    if (!database)
        return Failure;
    SqlUserRepository users(*database);
    return action->run(arguments.mid(1), users);
}

} // namespace Admin
