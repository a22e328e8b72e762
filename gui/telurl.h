#pragma once

#include <QString>

namespace Switchboard::Gui {

/// The number in a `tel:` URI as a desktop hands it over (`tel:+49-151-23456789`,
/// `tel:%2B4915123456789;phone-context=…`): visual separators kept, parameters dropped.
/// Empty when `argument` is not a tel: URI.
QString numberFromTelUri(const QString &argument);

} // namespace Switchboard::Gui
