#include "routes.h"

#include <QFile>

namespace Switchboard {

std::optional<QByteArray> compiledInFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

void addRoutes(ApiServer &server, const ApiServices &services)
{
    addAuthRoutes(server, services.auth);
    addCallRoutes(server, services.calls, services.initiateOnce);
    addActivityRoutes(server, services.activity);
    addEventRoutes(server, services.events, services.calls);
    addWebhookRoutes(server, services.webhooks);
    addKeyRoutes(server, services.keys);
    addContactRoutes(server, services.contacts);
    addPolicyRoutes(server, services.policy);
    addPhoneRoutes(server);
    addSystemRoutes(server, services);
    addVoiceRoutes(server, services.twilio, services.calls);
    addSoftphoneRoutes(server);
    addApiDocsRoutes(server);
}

} // namespace Switchboard
