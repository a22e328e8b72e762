// Phone numbers as operators type them, through libphonenumber to E.164.
#include "calls/phonenumbers.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString input = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const Switchboard::Result<QString> e164 = Switchboard::PhoneNumbers::toE164(input);
    if (!e164)
        return 0;
    // What comes out is E.164, and E.164 goes through unchanged.
    const Switchboard::Result<QString> again = Switchboard::PhoneNumbers::toE164(e164.value());
    if (!again || again.value() != e164.value())
        __builtin_trap();
    return 0;
}
