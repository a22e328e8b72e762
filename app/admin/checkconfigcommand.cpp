// `switchboard check-config`: everything a start would trip over, checked without starting —
// the variables, the database, the provider's credentials, the TLS files, the secret, the data
// folder — one line each, and an exit status for scripts (0: no error).

#include "adminsupport.h"
#include "commands.h"
#include "environmentvariables.h"
#include "serverlock.h"

#include "core/logging.h"
#include "runtime/tlsfiles.h"
#include "storage/migrator.h"

#include <QDir>
#include <QFileInfo>
#include <QSslCertificate>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;
using namespace Switchboard;

namespace Admin {

namespace {

class Report
{
public:
    void ok(const QString &what, const QString &text) { line(u"ok   "_s, what, text); }
    void warn(const QString &what, const QString &text) { line(u"warn "_s, what, text); }
    void error(const QString &what, const QString &text)
    {
        line(u"error"_s, what, text);
        ++m_errors;
    }
    int errors() const { return m_errors; }

private:
    void line(const QString &mark, const QString &what, const QString &text)
    {
        out() << mark << "  " << what << ": " << text << '\n';
    }
    int m_errors = 0;
};

/// Levenshtein distance: how many letters to change, add or drop to turn one name into the other.
qsizetype editDistance(const QString &a, const QString &b)
{
    QList<qsizetype> previous(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = j;
    for (qsizetype i = 1; i <= a.size(); ++i) {
        QList<qsizetype> current(b.size() + 1);
        current[0] = i;
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const qsizetype substitution = previous[j - 1] + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        previous = current;
    }
    return previous[b.size()];
}

/// Names that look like ours but that nothing reads: misspellings (SERVR_HOST, SERVER_PROT).
void checkNames(const QProcessEnvironment &environment, Report &report)
{
    static const QStringList prefixes{u"SERVER_"_s, u"DATABASE_"_s, u"JWT_"_s, u"TLS_"_s, u"VOIP_"_s,
                                      u"VOICE_"_s, u"SESSION_"_s, u"CALL_"_s, u"LOGIN_"_s, u"LOG_"_s};
    QStringList known;
    for (const EnvironmentVariable &variable : environmentVariables())
        known.append(QString::fromLatin1(variable.name));
    for (const QString &name : environment.keys()) {
        if (known.contains(name))
            continue;
        const bool ours = std::any_of(prefixes.cbegin(), prefixes.cend(),
                                      [&name](const QString &prefix) { return name.startsWith(prefix); })
            || std::any_of(known.cbegin(), known.cend(),
                           [&name](const QString &variable) { return editDistance(name, variable) <= 2; });
        if (ours)
            report.warn(name, u"set, but Switchboard reads no such variable (misspelt?)"_s);
    }
}

void checkDatabase(const Config &config, Report &report)
{
    const QString what = u"database"_s;
    if (config.database.engine == DatabaseUrl::Engine::Sqlite && !QFileInfo::exists(config.database.sqlitePath)) {
        const QFileInfo folder(QFileInfo(config.database.sqlitePath).absolutePath());
        if (folder.exists() && !folder.isWritable())
            return report.error(what, u"%1 does not exist and %2 is not writable"_s.arg(config.database.sqlitePath, folder.filePath()));
        return report.ok(what, u"%1 does not exist yet: the first start creates it"_s.arg(config.database.sqlitePath));
    }
    if (const QString owner = foreignOwner(config.database); !owner.isEmpty())
        return report.warn(what, owner);
    Result<std::unique_ptr<Database>> opened = Database::open(config.database, u"check-config"_s);
    if (!opened || !opened.value()->isReachable())
        return report.error(what, u"%1 is not reachable%2"_s.arg(config.database.redacted(),
                                                                  opened ? QString() : u": "_s + opened.error().message));
    const Result<MigrationStatus> status = Migrator(*opened.value()).status();
    if (!status)
        return report.error(what, status.error().message);
    if (!status->unknown.isEmpty())
        return report.error(what, u"newer than this program: it records %1 (a newer Switchboard migrated it)"_s.arg(
                                      status->unknown.join(u", "_s)));
    const QString pending = status->pending.isEmpty()
        ? u"no pending migrations"_s
        : u"%1 pending migrations, applied at the next start"_s.arg(status->pending.size());
    report.ok(what, u"%1 reachable, %2"_s.arg(config.database.redacted(), pending));
    if (const qint64 server = ServerLock::servingProcess(config.database))
        report.ok(u"server"_s, u"running on this database (process %1)"_s.arg(server));
}

void checkTls(const Config &config, Report &report)
{
    if (!config.usesTls())
        return report.ok(u"TLS"_s, u"off: plain HTTP on %1"_s.arg(config.host));
    const Result<QSslConfiguration> tls = loadTls(config.tlsCertificatePath, config.tlsKeyPath);
    if (!tls)
        return report.error(u"TLS"_s, tls.error().message);
    const QSslCertificate certificate = tls->localCertificate();
    const QDateTime expiry = certificate.expiryDate();
    const QString subject = certificate.subjectDisplayName();
    if (expiry < QDateTime::currentDateTimeUtc())
        return report.error(u"TLS"_s, u"the certificate for %1 expired on %2"_s.arg(subject, expiry.toString(Qt::ISODate)));
    const QString text = u"certificate for %1 and its key readable; valid until %2"_s.arg(subject, expiry.toString(Qt::ISODate));
    if (expiry < QDateTime::currentDateTimeUtc().addDays(30))
        return report.warn(u"TLS"_s, text);
    report.ok(u"TLS"_s, text);
}

void checkSecretAndFolder(const Config &config, Report &report)
{
    const QFileInfo folder(config.dataDir);
    if (folder.exists() ? !folder.isWritable() : !QFileInfo(folder.absolutePath()).isWritable())
        report.error(u"DATA_DIR"_s, u"%1 is not writable"_s.arg(config.dataDir));
    else
        report.ok(u"DATA_DIR"_s, config.dataDir);

    if (!config.jwtSecret.isEmpty())
        return report.ok(u"JWT secret"_s, u"from JWT_SECRET"_s);
    const QFileInfo secret(QDir(config.dataDir).filePath(u"jwt_secret"_s));
    if (!secret.exists())
        return report.ok(u"JWT secret"_s, u"generated into %1 at the first start"_s.arg(secret.filePath()));
    if (!secret.isReadable())
        return report.error(u"JWT secret"_s, u"%1 is not readable"_s.arg(secret.filePath()));
    if (secret.permissions() & (QFile::ReadGroup | QFile::ReadOther))
        return report.warn(u"JWT secret"_s, u"%1 can be read by others: chmod 600 it"_s.arg(secret.filePath()));
    report.ok(u"JWT secret"_s, secret.filePath());
}

} // namespace

int runCheckConfig(const QStringList &arguments, const QProcessEnvironment &environment)
{
    if (!arguments.isEmpty())
        return fail(u"check-config"_s, u"usage: switchboard check-config"_s, Usage);
    Report report;
    checkNames(environment, report);
    if (!parseLogFormat(environment.value(u"LOG_FORMAT"_s)))
        report.error(u"LOG_FORMAT"_s, u"must be text or json"_s);

    Result<Config> config = Config::fromEnvironment(environment);
    if (!config) {
        report.error(u"configuration"_s, config.error().message);
    } else {
        report.ok(u"configuration"_s, u"the variables are valid; the API would listen on %1:%2"_s.arg(config->host).arg(config->port));
        report.ok(u"provider"_s, config->voipProvider == u"twilio"_s
                                     ? u"twilio: the credentials are well-formed (Twilio itself is not asked)"_s
                                     : u"mock: needs no credentials"_s);
        checkTls(config.value(), report);
        checkSecretAndFolder(config.value(), report);
        checkDatabase(config.value(), report);
    }
    out() << (report.errors() ? u"%1 errors"_s.arg(report.errors()) : u"no errors"_s) << '\n';
    return report.errors() ? Failure : Success;
}

} // namespace Admin
