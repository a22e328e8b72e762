#include "oneshotbody.h"

#include <cstring>

namespace Switchboard {

OneShotBody::OneShotBody(QByteArray data, QObject *parent) : QIODevice(parent), m_data(std::move(data))
{
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

bool OneShotBody::reset()
{
    if (m_sent)
        return false;
    m_position = 0;
    return true;
}

qint64 OneShotBody::readData(char *data, qint64 maxSize)
{
    const qint64 count = qMin(maxSize, m_data.size() - m_position);
    std::memcpy(data, m_data.constData() + m_position, size_t(count));
    m_position += count;
    if (m_position == m_data.size())
        m_sent = true;
    return count;
}

qint64 OneShotBody::writeData(const char *data, qint64 maxSize)
{
    Q_UNUSED(data)
    Q_UNUSED(maxSize)
    return -1;
}

} // namespace Switchboard
