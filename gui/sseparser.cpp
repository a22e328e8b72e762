#include "sseparser.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::Gui {

QList<ServerSentEvent> SseParser::feed(QByteArrayView bytes)
{
    QList<ServerSentEvent> events;
    for (const char byte : bytes) {
        const bool lfOfCrLf = m_afterCr && byte == '\n';
        m_afterCr = false;
        if (lfOfCrLf)
            continue;
        if (byte == '\r' || byte == '\n') {
            m_afterCr = byte == '\r';
            takeLine(events);
        } else {
            m_line.append(byte);
        }
    }
    return events;
}

void SseParser::restart()
{
    m_line.clear();
    m_afterCr = false;
    m_atStart = true;
    m_idBuffer = m_lastEventId;
    m_type.clear();
    m_data.clear();
    m_hasData = false;
}

void SseParser::takeLine(QList<ServerSentEvent> &events)
{
    // Lines are cut at CR and LF bytes, which never occur inside a multi-byte UTF-8 sequence.
    QString line = QString::fromUtf8(m_line);
    m_line.clear();
    if (std::exchange(m_atStart, false) && line.startsWith(QChar(0xFEFF)))
        line.remove(0, 1);
    if (line.isEmpty())
        return dispatch(events);
    if (line.startsWith(u':'))
        return; // a comment: the server's keep-alive
    const qsizetype colon = line.indexOf(u':');
    if (colon < 0)
        return takeField(line, {});
    QStringView value = QStringView(line).mid(colon + 1);
    if (value.startsWith(u' '))
        value = value.mid(1);
    takeField(QStringView(line).left(colon), value);
}

void SseParser::takeField(QStringView field, QStringView value)
{
    if (field == u"event")
        m_type = value.toString();
    else if (field == u"data") {
        m_data += value;
        m_data += u'\n';
        m_hasData = true;
    } else if (field == u"id" && !value.contains(QChar(0)))
        m_idBuffer = value.toString();
    // `retry` and unknown fields are ignored: the reconnection delay is the client's own.
}

void SseParser::dispatch(QList<ServerSentEvent> &events)
{
    m_lastEventId = m_idBuffer;
    if (m_hasData) {
        m_data.chop(1); // the \n after the last data line
        events.append({m_lastEventId, m_type.isEmpty() ? u"message"_s : m_type, m_data});
    }
    m_type.clear();
    m_data.clear();
    m_hasData = false;
}

} // namespace Switchboard::Gui
