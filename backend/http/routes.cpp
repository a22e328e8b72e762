#include "routes.h"

namespace Switchboard {

void addRoutes(ApiServer &server, AuthService &auth, CallService &calls, Database &database)
{
    addAuthRoutes(server, auth);
    addCallRoutes(server, calls);
    addPhoneRoutes(server);
    addSystemRoutes(server, calls, database);
    addVoiceRoutes(server, calls);
    addSoftphoneRoutes(server);
}

} // namespace Switchboard
