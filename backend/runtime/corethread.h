#pragma once

#include "config.h"
#include "partsthread.h"

#include <QTimer>

#include <memory>

namespace Switchboard {

class ApiKeyRepository;
class ApiKeyService;
class AuditRepository;
class AuthService;
class CallService;
class IdempotencyRepository;
class InitiateOnce;
class PolicyRepository;
class PolicyService;
class CallActivityService;
class CallEventFeed;
class EventRepository;
class WebhookDispatcher;
class WebhookService;
class Clock;
class JwtCodec;
class RateLimitRepository;
class RevokedTokenRepository;
class TwilioVoipService;
class UserRepository;
class CallRepository;
class ContactRepository;
class ContactService;
class VoipService;
class WriteQueue;

/// What the use cases are built from: shared by every thread (the repositories read on the
/// calling thread's own connection; writes go through the WriteQueue).
struct Repositories
{
    UserRepository &users;
    CallRepository &calls;
    ContactRepository &contacts;
    RevokedTokenRepository &revokedTokens;
    RateLimitRepository &rateLimits;
    AuditRepository &audit;
    ApiKeyRepository &apiKeys;
    IdempotencyRepository &idempotency;
    PolicyRepository &policy;
    EventRepository &events;
};

/// The thread of the use cases: the provider, the call service and the auth service live here
/// with their timers and the continuations of their asynchronous work (provider answers, password
/// hashes, commits). The serving threads call into them; what changes state runs here.
class CoreThread final : public PartsThread
{
public:
    CoreThread(const Config &config, Repositories repositories, WriteQueue &writes, const JwtCodec &codec,
               const Clock &clock);
    ~CoreThread() override;

    /// Valid between a successful startAndWait() and stop().
    AuthService &auth() { return *m_auth; }
    CallService &calls() { return *m_calls; }
    ApiKeyService &keys() { return *m_keys; }
    InitiateOnce &initiateOnce() { return *m_initiateOnce; }
    ContactService &contacts() { return *m_contacts; }
    PolicyService &policy() { return *m_policy; }
    CallActivityService &activity() { return *m_activity; }
    CallEventFeed &events() { return *m_events; }
    WebhookService &webhooks() { return *m_webhooks; }
    VoipService &provider() { return *m_provider; }
    TwilioVoipService *twilio() { return m_twilio; }

protected:
    void build(Completion<Done> ready) override;
    void teardown() override;

private:
    /// The event stream's feed, the webhooks and their dispatcher.
    void buildEvents();

    const Config &m_config;
    Repositories m_repositories;
    WriteQueue &m_writes;
    const JwtCodec &m_codec;
    const Clock &m_clock;
    std::unique_ptr<VoipService> m_provider;
    TwilioVoipService *m_twilio = nullptr;
    std::unique_ptr<ApiKeyService> m_keys;
    std::unique_ptr<AuthService> m_auth;
    std::unique_ptr<CallService> m_calls;
    std::unique_ptr<InitiateOnce> m_initiateOnce;
    std::unique_ptr<ContactService> m_contacts;
    std::unique_ptr<PolicyService> m_policy;
    std::unique_ptr<CallActivityService> m_activity;
    std::unique_ptr<CallEventFeed> m_events;
    std::unique_ptr<WebhookService> m_webhooks;
    std::unique_ptr<WebhookDispatcher> m_dispatcher;
    std::unique_ptr<QTimer> m_purgeTimer;
};

} // namespace Switchboard
