#pragma once

#include <QObject>

#include <functional>

namespace Switchboard::Gui {

/// Runs a function whenever the application's language changes (a translator is installed or
/// removed), so that texts a C++ object hands to QML are asked for again.
class LanguageWatcher : public QObject
{
public:
    LanguageWatcher(QObject *parent, std::function<void()> changed);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    std::function<void()> m_changed;
};

} // namespace Switchboard::Gui
