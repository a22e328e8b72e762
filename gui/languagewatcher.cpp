#include "languagewatcher.h"

#include <QCoreApplication>
#include <QEvent>

namespace Switchboard::Gui {

LanguageWatcher::LanguageWatcher(QObject *parent, std::function<void()> changed)
    : QObject(parent), m_changed(std::move(changed))
{
    // QCoreApplication::installTranslator() sends LanguageChange to the application object
    // only; watching it reaches objects that are not widgets or windows.
    QCoreApplication::instance()->installEventFilter(this);
}

bool LanguageWatcher::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == QCoreApplication::instance() && event->type() == QEvent::LanguageChange)
        m_changed();
    return false;
}

} // namespace Switchboard::Gui
