#include "appinfo.h"

namespace Switchboard::Gui {

QString AppInfo::version()
{
    return QStringLiteral(SWITCHBOARD_VERSION);
}

} // namespace Switchboard::Gui
