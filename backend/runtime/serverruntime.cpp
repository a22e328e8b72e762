#include "serverruntime.h"

#include "auth/jwtcodec.h"
#include "auth/jwtsecret.h"
#include "core/logging.h"
#include "corethread.h"
#include "domain/voipservice.h"
#include "http/apiserver.h"
#include "httpthread.h"
#include "listeningsocket.h"
#include "storage/database.h"
#include "storage/groupcommitter.h"
#include "storage/migrator.h"
#include "storage/sqlapikeyrepository.h"
#include "storage/sqlauditrepository.h"
#include "storage/sqlcallrepository.h"
#include "storage/sqleventrepository.h"
#include "storage/sqlidempotencyrepository.h"
#include "storage/sqlpolicyrepository.h"
#include "storage/sqlcontactrepository.h"
#include "storage/sqlrevokedtokenrepository.h"
#include "storage/sqluserrepository.h"
#include "tlsfiles.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QSslConfiguration>

#include <QUrl>

#include <algorithm>

#include <sys/resource.h>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

/// Connections the kernel keeps waiting for accept() per listening socket (Qt's default is 50;
/// a burst past it waits for SYN retransmits, a second each).
constexpr int kListenBacklog = 1024;

/// The addresses SERVER_HOST names: itself when it is an address, else what the name resolves
/// to (`localhost`: the loopback addresses). Exactly these are bound, nothing wider.
Result<QList<QHostAddress>> resolveHost(const QString &host)
{
    const QHostAddress literal(host);
    if (!literal.isNull())
        return QList<QHostAddress>{literal};
    const QHostInfo info = QHostInfo::fromName(host);
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty())
        return Error::validation(u"SERVER_HOST %1 does not resolve to an address: %2"_s.arg(host, info.errorString()));
    return info.addresses();
}

/// The origins whose pages may call the API: the server's own, under the name it was given and,
/// on loopback, under the usual loopback names.
QSet<QByteArray> ownOrigins(const QString &host, const QList<QHostAddress> &addresses, quint16 port, bool tls)
{
    const QByteArray scheme = tls ? "https://" : "http://";
    const QByteArray suffix = ':' + QByteArray::number(port);
    const auto origin = [&](const QHostAddress &address) {
        const QByteArray text = address.toString().toLatin1();
        return scheme + (address.protocol() == QAbstractSocket::IPv6Protocol ? '[' + text + ']' : text) + suffix;
    };
    QSet<QByteArray> origins;
    if (QHostAddress(host).isNull())
        origins << scheme + host.toLatin1() + suffix;
    for (const QHostAddress &address : addresses) {
        origins << origin(address);
        if (address.isLoopback())
            origins << scheme + "localhost" + suffix << origin(QHostAddress::LocalHost) << origin(QHostAddress::LocalHostIPv6);
    }
    return origins;
}

bool onLoopbackOnly(const QList<QHostAddress> &addresses)
{
    return std::all_of(addresses.cbegin(), addresses.cend(), [](const QHostAddress &address) { return address.isLoopback(); });
}

/// On loopback: the loopback names, and the public host Twilio's callbacks arrive for (a tunnel
/// to this port). Elsewhere any name: the server cannot know every name it is reached by.
QSet<QString> allowedHosts(const QList<QHostAddress> &addresses, const QString &publicBaseUrl)
{
    if (!onLoopbackOnly(addresses))
        return {};
    QSet<QString> hosts{u"localhost"_s, u"127.0.0.1"_s, u"::1"_s};
    for (const QHostAddress &address : addresses)
        hosts << address.toString().toLower();
    if (const QString publicHost = QUrl(publicBaseUrl).host().toLower(); !publicHost.isEmpty())
        hosts << publicHost;
    return hosts;
}

/// MAX_CONNECTIONS, or what the descriptor limit leaves after a quarter (at least 64) is kept for
/// the database, the media peers and the files: past it accept() would fail for every client.
int connectionCap(int configured)
{
    if (configured > 0)
        return configured;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return 4096;
    const auto descriptors = qint64(limit.rlim_cur);
    return int(qBound<qint64>(1, descriptors - qMax<qint64>(64, descriptors / 4), qint64(1000000)));
}

void renderWriterMetrics(QByteArray &out, const GroupCommitter &writer)
{
    out += "# HELP switchboard_write_batches_total Transactions the writer committed or failed.\n"
           "# TYPE switchboard_write_batches_total counter\nswitchboard_write_batches_total "
        + QByteArray::number(writer.batches())
        + "\n# HELP switchboard_write_units_total Writes of requests run in those transactions.\n"
          "# TYPE switchboard_write_units_total counter\nswitchboard_write_units_total "
        + QByteArray::number(writer.units()) + '\n';
}

} // namespace

ServerRuntime::ServerRuntime(Config config) : m_config(std::move(config)) {}

ServerRuntime::~ServerRuntime()
{
    stop(0);
}

Result<quint16> ServerRuntime::start()
{
    // Before anything is created: a bad certificate stops the start with nothing touched.
    std::optional<QSslConfiguration> tls;
    if (m_config.usesTls()) {
        Result<QSslConfiguration> loaded = loadTls(m_config.tlsCertificatePath, m_config.tlsKeyPath);
        if (!loaded)
            return loaded.error();
        tls = loaded.value();
    }
    QByteArray secret = m_config.jwtSecret;
    if (secret.isEmpty()) {
        Result<QByteArray> stored = loadOrCreateJwtSecret(m_config.dataDir);
        if (!stored)
            return stored.error();
        secret = stored.value();
    }

    Result<std::unique_ptr<Database>> database = Database::open(m_config.database, u"switchboard"_s);
    if (!database)
        return database.error();
    m_database = std::move(database).value();
    if (Status migrated = Migrator(*m_database).migrate(); !migrated)
        return migrated.error();

    m_users = std::make_unique<SqlUserRepository>(*m_database);
    m_calls = std::make_unique<SqlCallRepository>(*m_database);
    m_contacts = std::make_unique<SqlContactRepository>(*m_database);
    m_revokedTokens = std::make_unique<SqlRevokedTokenRepository>(*m_database);
    m_rateLimits = std::make_unique<SqlRateLimitRepository>(*m_database);
    m_audit = std::make_unique<SqlAuditRepository>(*m_database);
    m_apiKeys = std::make_unique<SqlApiKeyRepository>(*m_database);
    m_idempotency = std::make_unique<SqlIdempotencyRepository>(*m_database);
    m_policy = std::make_unique<SqlPolicyRepository>(*m_database);
    m_events = std::make_unique<SqlEventRepository>(*m_database);
    m_codec = std::make_unique<JwtCodec>(secret, m_config.jwtTtlSeconds, m_config.sessionMaxAgeSeconds);
    m_writer = std::make_unique<GroupCommitter>(*m_database);

    m_core = std::make_unique<CoreThread>(m_config,
                                          Repositories{*m_users, *m_calls, *m_contacts, *m_revokedTokens, *m_rateLimits,
                                                       *m_audit, *m_apiKeys, *m_idempotency, *m_policy, *m_events},
                                          *m_writer, *m_codec, m_clock);
    if (Status started = m_core->startAndWait(); !started) {
        m_core.reset();
        return started.error();
    }

    quint16 port = 0;
    if (Status serving = startServing(tls, &port); !serving)
        return serving.error();
    if (!tls && !QHostAddress(m_config.host).isLoopback() && m_config.host != u"localhost"_s) {
        qCWarning(lcApp).noquote() << "serving plain HTTP on" << m_config.host
                                   << "(--insecure): passwords and tokens cross the network unencrypted";
    }
    qCInfo(lcApp).noquote() << "listening on" << u"%1://%2:%3"_s.arg(tls ? u"https"_s : u"http"_s, m_config.host).arg(port)
                            << "with" << m_serving.size() << "serving threads, database" << m_config.database.redacted()
                            << "provider" << m_core->provider().name();
    return port;
}

Status ServerRuntime::startServing(const std::optional<QSslConfiguration> &tls, quint16 *port)
{
    Result<QList<QHostAddress>> addresses = resolveHost(m_config.host);
    if (!addresses)
        return addresses.error();
    ApiServices services{m_core->auth(),
                         m_core->calls(),
                         m_core->activity(),
                         m_core->events(),
                         m_core->webhooks(),
                         m_core->initiateOnce(),
                         m_core->keys(),
                         m_core->contacts(),
                         m_core->policy(),
                         m_core->twilio(),
                         [database = m_database.get()] { return database->isReachable(); },
                         [writer = m_writer.get()](QByteArray &out) { renderWriterMetrics(out, *writer); },
                         m_config.metricsToken,
                         onLoopbackOnly(addresses.value())};
    m_connectionLimits = std::make_shared<ConnectionLimits>(m_config.maxConnectionsPerClient,
                                                           connectionCap(m_config.maxConnections));
    quint16 bound = m_config.port;
    for (int i = 0; i < m_config.serverThreads; ++i) {
        // The first socket takes the port (a free one when 0 was asked for); the others share it.
        QList<ListeningSocket> sockets;
        for (const QHostAddress &address : addresses.value()) {
            Result<ListeningSocket> socket = ListeningSocket::open(address, bound, kListenBacklog);
            if (!socket) {
                for (const ListeningSocket &opened : sockets)
                    opened.close();
                return socket.error();
            }
            bound = socket->port;
            sockets.append(socket.value());
        }
        QSet<QByteArray> origins = ownOrigins(m_config.host, addresses.value(), bound, tls.has_value());
        for (const QString &listed : m_config.corsOrigins) // CORS_ORIGINS: web CRMs on other sites
            origins.insert(listed.toLatin1());
        ServingSettings settings{{m_config.requestTimeoutSeconds * 1000, m_config.idleTimeoutSeconds * 1000},
                                 tls,
                                 origins,
                                 ConnectionBacklog{},
                                 m_connectionLimits,
                                 allowedHosts(addresses.value(), m_config.twilio.publicBaseUrl)};
        auto thread = std::make_unique<HttpThread>(i, services, m_httpMetrics, settings, sockets);
        if (Status started = thread->startAndWait(); !started)
            return started;
        m_serving.push_back(std::move(thread));
    }
    *port = bound;
    return Done{};
}

void ServerRuntime::stop(int graceMs)
{
    for (const auto &thread : m_serving)
        thread->drain(graceMs);
    // The writer finishes its queue while every context it answers to is alive; later writes
    // are refused at once.
    if (m_writer)
        m_writer->stop();
    for (const auto &thread : m_serving)
        thread->stop();
    m_serving.clear();
    if (m_core)
        m_core->stop();
    m_core.reset();
    m_writer.reset();
}

} // namespace Switchboard
