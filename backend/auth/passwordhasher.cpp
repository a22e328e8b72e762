#include "passwordhasher.h"

#include <QMetaObject>

#include <sodium.h>

namespace Switchboard {

namespace {

const QByteArray &decoyHash()
{
    static const QByteArray hash = PasswordHasher::hashNow(QStringLiteral("decoy password, never valid"));
    return hash;
}

template<typename T>
void deliver(QObject *context, std::function<void(T)> done, T value)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done), value = std::move(value)]() { done(value); }, Qt::QueuedConnection);
}

} // namespace

PasswordHasher::PasswordHasher()
{
    if (sodium_init() < 0)
        qFatal("libsodium failed to initialise");
    m_pool.setMaxThreadCount(qMax(1, QThread::idealThreadCount()));
}

PasswordHasher::~PasswordHasher()
{
    m_pool.waitForDone();
}

QByteArray PasswordHasher::hashNow(const QString &password)
{
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, utf8.constData(), quint64(utf8.size()), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE)
        != 0) {
        return {};
    }
    return QByteArray(out);
}

bool PasswordHasher::verifyNow(const QString &password, const QByteArray &hash)
{
    const QByteArray utf8 = password.toUtf8();
    const QByteArray terminated = hash + '\0';
    return crypto_pwhash_str_verify(terminated.constData(), utf8.constData(), quint64(utf8.size())) == 0;
}

bool PasswordHasher::reserve()
{
    int jobs = m_jobs.load();
    do {
        if (jobs >= kMaxJobs)
            return false;
    } while (!m_jobs.compare_exchange_weak(jobs, jobs + 1));
    return true;
}

bool PasswordHasher::hash(const QString &password, QObject *context, std::function<void(QByteArray)> done)
{
    if (!reserve())
        return false;
    m_pool.start([this, password, context, done = std::move(done)]() mutable {
        QByteArray hash = hashNow(password);
        --m_jobs;
        deliver<QByteArray>(context, std::move(done), std::move(hash));
    });
    return true;
}

bool PasswordHasher::verify(const QString &password, const QByteArray &hash, QObject *context,
                            std::function<void(bool)> done)
{
    if (!reserve())
        return false;
    m_pool.start([this, password, hash, context, done = std::move(done)]() mutable {
        bool matches = false;
        if (hash.isEmpty())
            verifyNow(password, decoyHash());
        else
            matches = verifyNow(password, hash);
        --m_jobs;
        deliver<bool>(context, std::move(done), matches);
    });
    return true;
}

} // namespace Switchboard
