#include "routes.h"

namespace Switchboard {

void addRoutes(ApiServer &server, AuthService &auth, CallService &calls, Database &database, TwilioVoipService *twilio)
{
    addAuthRoutes(server, auth);
    addCallRoutes(server, calls);
    addPhoneRoutes(server);
    addSystemRoutes(server, calls, database);
    addVoiceRoutes(server, twilio);
    addSoftphoneRoutes(server);
}

} // namespace Switchboard
