#pragma once

#include <QByteArray>

#include <functional>
#include <optional>

namespace Switchboard {

class ApiKeyService;
class ApiServer;
class CallActivityService;
class CallEventFeed;
class WebhookService;
class AuthService;
class CallService;
class InitiateOnce;
class PolicyService;
class ContactService;
class TwilioVoipService;

/// What the routes of a serving thread call: the use cases, shared by every serving thread (their
/// headers say which calls may come from any thread), and small functions for the rest.
struct ApiServices
{
    AuthService &auth;
    CallService &calls;
    CallActivityService &activity;
    CallEventFeed &events;
    WebhookService &webhooks;
    InitiateOnce &initiateOnce; ///< initiate, once per Idempotency-Key
    ApiKeyService &keys;
    ContactService &contacts;
    PolicyService &policy;
    TwilioVoipService *twilio = nullptr; ///< the provider when it is Twilio, else null
    std::function<bool()> databaseReachable; ///< on the calling thread's own connection
    std::function<void(QByteArray &out)> storageMetrics; ///< appends the writer's families to /metrics
    /// METRICS_TOKEN: with it (or an operator's token) /metrics answers off loopback; empty and
    /// serving on loopback, /metrics is open as before.
    QByteArray metricsToken;
    bool metricsOpen = true; ///< the server listens on loopback only
};

/// The route groups of the REST API; each registers its routes on the server's router.
void addAuthRoutes(ApiServer &server, AuthService &auth);
void addCallRoutes(ApiServer &server, CallService &calls, InitiateOnce &initiateOnce);
/// The dashboard's calls per hour by status, durations and quality.
void addActivityRoutes(ApiServer &server, CallActivityService &activity);
/// The event stream (Server-Sent Events) of the calls the caller may follow.
void addEventRoutes(ApiServer &server, const CallEventFeed &feed, const CallService &calls);
/// Webhooks (Standard Webhooks): create (secret shown once), list, delete, deliveries.
void addWebhookRoutes(ApiServer &server, WebhookService &webhooks);
/// The operator's API keys: create (secret shown once), list, revoke.
void addKeyRoutes(ApiServer &server, ApiKeyService &keys);
/// The operator's address book: CRUD, import (CSV, vCard) and export.
void addContactRoutes(ApiServer &server, ContactService &contacts);
/// The team's calling policy (admins): read and replace.
void addPolicyRoutes(ApiServer &server, PolicyService &policies);
/// Phone number rules for clients: the regions, and a check of a number as it is typed.
void addPhoneRoutes(ApiServer &server);
void addSystemRoutes(ApiServer &server, const ApiServices &services);
/// Twilio's status callbacks and the softphone's Voice SDK token; `twilio` is null with another
/// provider (the routes then answer 404 `not_enabled`). A callback is acknowledged once `calls`
/// has committed what it changed.
void addVoiceRoutes(ApiServer &server, TwilioVoipService *twilio, CallService &calls);
/// The softphone page (resources/softphone), served from the API's own origin.
void addSoftphoneRoutes(ApiServer &server);
/// The API reference: Redoc (resources/api-docs) over /api/openapi.json, public like the document.
void addApiDocsRoutes(ApiServer &server);

/// A file compiled into the binary (a `:/` resource path), or nothing if this build lacks it.
std::optional<QByteArray> compiledInFile(const QString &path);

/// Every route group: what each serving thread and the OpenAPI test register.
void addRoutes(ApiServer &server, const ApiServices &services);

} // namespace Switchboard
