#pragma once

namespace Switchboard {

class ApiServer;
class AuthService;
class CallService;
class Database;
class TwilioVoipService;

/// The route groups of the REST API; each registers its routes on the server's router.
void addAuthRoutes(ApiServer &server, AuthService &auth);
void addCallRoutes(ApiServer &server, CallService &calls);
/// Phone number rules for clients: the regions, and a check of a number as it is typed.
void addPhoneRoutes(ApiServer &server);
void addSystemRoutes(ApiServer &server, CallService &calls, Database &database);
/// Twilio's status callbacks and the softphone's Voice SDK token; `twilio` is null with another
/// provider (the routes then answer 404 `not_enabled`).
void addVoiceRoutes(ApiServer &server, TwilioVoipService *twilio);
/// The softphone page (resources/softphone), served from the API's own origin.
void addSoftphoneRoutes(ApiServer &server);

/// Every route group: what the running server and the OpenAPI test both register.
void addRoutes(ApiServer &server, AuthService &auth, CallService &calls, Database &database, TwilioVoipService *twilio);

} // namespace Switchboard
