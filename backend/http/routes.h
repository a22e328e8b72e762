#pragma once

namespace Switchboard {

class ApiServer;
class AuthService;
class CallService;
class Database;

/// The route groups of the REST API; each registers its routes on the server's router.
void addAuthRoutes(ApiServer &server, AuthService &auth);
void addCallRoutes(ApiServer &server, CallService &calls);
void addSystemRoutes(ApiServer &server, CallService &calls, Database &database);

} // namespace Switchboard
