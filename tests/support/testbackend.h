#pragma once

#include "runtime/backend.h"
#include "testdatabase.h"

#include <QHash>
#include <QUrl>

#include <memory>

/// The real backend on a free loopback port over a fresh TestDatabase, as tests use it.
/// JWT_SECRET is fixed (kSecret) so that tests can forge tokens with the server's own key, and
/// the mock provider runs without media (VOIP_MOCK_MEDIA=off) unless `environment` says otherwise.
class TestBackend
{
public:
    static constexpr const char *kSecret = "test-secret-test-secret-test-secret-0123456789";

    /// `environment` adds to or overrides the variables the backend is configured with.
    explicit TestBackend(const QHash<QString, QString> &environment = {});
    ~TestBackend();

    /// Starts the server; on failure returns false and error() says why.
    bool start();
    void stop();

    QUrl baseUrl() const;
    TestDatabase &database() { return m_database; }
    const Switchboard::Config &config() const { return m_config; }
    QString error() const { return m_error; }

private:
    TestDatabase m_database;
    Switchboard::Config m_config;
    std::unique_ptr<Switchboard::Backend> m_backend;
    QString m_error;
};
