#include "corethread.h"

#include "auth/apikeyservice.h"
#include "auth/authservice.h"
#include "calls/callactivity.h"
#include "calls/callevents.h"
#include "calls/callservice.h"
#include "calls/initiateonce.h"
#include "calls/policyservice.h"
#include "contacts/contactservice.h"
#include "http/calljson.h"
#include "voip/voipproviderfactory.h"
#include "webhooks/webhookdispatcher.h"
#include "webhooks/webhookservice.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
constexpr int kPurgeIntervalMs = 10 * 60 * 1000;
} // namespace

CoreThread::CoreThread(const Config &config, Repositories repositories, WriteQueue &writes, const JwtCodec &codec,
                       const Clock &clock)
    : m_config(config), m_repositories(repositories), m_writes(writes), m_codec(codec), m_clock(clock)
{
    setObjectName(u"switchboard-core"_s);
}

CoreThread::~CoreThread()
{
    stop();
}

void CoreThread::build(Completion<Done> ready)
{
    TwilioOptions twilio;
    twilio.account = m_config.twilio;
    // The provider sizes Twilio's ring timeout within it, so that a call nobody answers fails as no_answer.
    twilio.setupTimeoutSeconds = m_config.callSetupTimeoutSeconds;
    Result<Provider> provider = createVoipService(m_config.voipProvider, m_config.mock, twilio);
    if (!provider)
        return ready(provider.error());
    m_provider = std::move(provider.value().service);
    m_twilio = provider->twilio;

    m_auth = std::make_unique<AuthService>(m_repositories.users, m_repositories.revokedTokens, m_repositories.rateLimits,
                                           m_repositories.audit, m_writes, m_codec, m_clock,
                                           AuthLimits{m_config.loginAttemptsPerMinute, m_config.registrationsPerHour,
                                                      m_config.registrationOpen});
    m_keys = std::make_unique<ApiKeyService>(m_repositories.apiKeys, m_writes, m_clock);
    m_auth->setApiKeys(m_keys.get());
    CallSettings settings;
    settings.instanceId = m_config.instanceId;
    settings.setupTimeoutSeconds = m_config.callSetupTimeoutSeconds;
    settings.sessionTtlSeconds = m_config.sessionTtlSeconds;
    settings.sweepIntervalMs = m_config.sessionSweepIntervalMs;
    m_calls = std::make_unique<CallService>(m_repositories.calls, m_writes, *m_provider, m_clock, settings,
                                            CallOversight{&m_repositories.policy, &m_repositories.audit});
    m_initiateOnce = std::make_unique<InitiateOnce>(*m_calls, m_repositories.idempotency, m_writes, m_clock);
    m_contacts = std::make_unique<ContactService>(m_repositories.contacts, m_writes, m_clock);
    m_policy = std::make_unique<PolicyService>(m_repositories.policy, m_repositories.audit, m_writes, m_clock);
    m_activity = std::make_unique<CallActivityService>(m_repositories.calls);
    buildEvents();

    m_purgeTimer = std::make_unique<QTimer>();
    m_purgeTimer->setInterval(kPurgeIntervalMs);
    QObject::connect(m_purgeTimer.get(), &QTimer::timeout, m_auth.get(), &AuthService::purgeExpired);
    QObject::connect(m_purgeTimer.get(), &QTimer::timeout, m_initiateOnce.get(), &InitiateOnce::purgeExpired);
    QObject::connect(m_purgeTimer.get(), &QTimer::timeout, m_dispatcher.get(), &WebhookDispatcher::purgeExpired);
    m_purgeTimer->start();
    // Serving starts once what the last run left live is reconciled and committed.
    m_calls->start(std::move(ready));
}

void CoreThread::buildEvents()
{
    m_events = std::make_unique<CallEventFeed>(m_repositories.events);
    m_webhooks = std::make_unique<WebhookService>(m_repositories.events, m_writes, m_clock, m_config.webhooks.allowPrivate);
    m_dispatcher = std::make_unique<WebhookDispatcher>(m_repositories.events, m_repositories.calls, m_writes, m_clock,
                                                       callJson, m_config.webhooks);
    // A change committed here is delivered at once; other instances' changes within a second.
    QObject::connect(m_calls.get(), &CallService::callChanged, m_dispatcher.get(), &WebhookDispatcher::pollSoon);
    m_dispatcher->start();
}

void CoreThread::teardown()
{
    m_purgeTimer.reset();
    m_dispatcher.reset();
    m_webhooks.reset();
    m_events.reset();
    m_initiateOnce.reset();
    m_activity.reset();
    m_policy.reset();
    m_contacts.reset();
    m_calls.reset();
    m_auth.reset();
    m_keys.reset();
    m_twilio = nullptr;
    m_provider.reset();
}

} // namespace Switchboard
