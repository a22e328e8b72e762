#pragma once

#include <QByteArray>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>

namespace Switchboard {

/// Argon2id password hashes (libsodium's crypto_pwhash_str, interactive limits).
///
/// Hashing takes tens of milliseconds and 64 MiB on purpose, so it runs on a pool of its own;
/// the callbacks come back on the thread of the `context` object, never on the pool. The
/// context must outlive the hasher: the destructor waits for the work in flight.
class PasswordHasher
{
public:
    PasswordHasher();
    ~PasswordHasher();

    /// Jobs (running or waiting) the hasher takes at most: each running one holds 64 MiB, and a
    /// flood of logins must not queue work (and latency) without end.
    static constexpr int kMaxJobs = 16;

    /// An empty hash means the hash could not be made (out of memory). False, and `done` is
    /// never called, when kMaxJobs are queued already.
    [[nodiscard]] bool hash(const QString &password, QObject *context, std::function<void(QByteArray)> done);

    /// Verifies against `hash`, or against a decoy hash when `hash` is empty, so that an unknown
    /// email costs as much time as a wrong password. False as hash() is.
    [[nodiscard]] bool verify(const QString &password, const QByteArray &hash, QObject *context,
                              std::function<void(bool)> done);

    static QByteArray hashNow(const QString &password);
    static bool verifyNow(const QString &password, const QByteArray &hash);

private:
    bool reserve();

    QThreadPool m_pool;
    std::atomic<int> m_jobs{0};
};

} // namespace Switchboard
