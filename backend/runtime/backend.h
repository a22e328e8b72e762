#pragma once

#include "config.h"
#include "domain/result.h"

#include <QUrl>

#include <memory>

namespace Switchboard {

class ServerRuntime;

/// The whole backend — database, use cases, provider and REST API — on threads of its own (see
/// ServerRuntime), so that neither a GUI nor a slow request stalls it.
class Backend
{
public:
    explicit Backend(Config config);
    ~Backend();
    Backend(const Backend &) = delete;
    Backend &operator=(const Backend &) = delete;

    /// Opens and migrates the database, reconciles what a previous run left live, and starts
    /// listening. Blocks until the server listens or has failed.
    Result<quint16> start();

    /// Stops accepting connections, lets answers in flight finish (up to `graceMs`), closes the
    /// database. Blocks until done; safe to call twice.
    void stop(int graceMs = 5000);

    const Config &config() const { return m_config; }
    /// `http://host:port`, for clients of this process (the GUI, tests).
    QUrl baseUrl() const;

private:
    Config m_config;
    quint16 m_port = 0;
    std::unique_ptr<ServerRuntime> m_runtime;
};

} // namespace Switchboard
