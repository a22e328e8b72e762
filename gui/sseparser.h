#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Switchboard::Gui {

/// One event of a Server-Sent Events stream.
struct ServerSentEvent
{
    QString id; ///< the last id the stream set, at or before this event (ids carry over)
    QString type; ///< the `event:` field, `message` when the stream named none
    QString data; ///< the `data:` lines, joined with \n
};

/// Reads a text/event-stream as its bytes arrive, in chunks cut anywhere (inside a line, between
/// the CR and the LF of a CRLF), by the rules of the HTML standard's event stream: lines end with
/// CRLF, LF or CR; `:` starts a comment; `data:` lines join with \n; a blank line dispatches;
/// `id:` carries over to later events and counts only once its event is complete.
class SseParser
{
public:
    /// The events `bytes` completed, in order.
    QList<ServerSentEvent> feed(QByteArrayView bytes);
    /// The id of the last complete event (what `Last-Event-ID` resumes after).
    QString lastEventId() const { return m_lastEventId; }
    /// A new connection: the line and the event it cut off are dropped, the last complete id stays.
    void restart();

private:
    void takeLine(QList<ServerSentEvent> &events);
    void takeField(QStringView field, QStringView value);
    void dispatch(QList<ServerSentEvent> &events);

    QByteArray m_line;
    bool m_afterCr = false; ///< a CR ended the last line: an LF right after it belongs to it
    bool m_atStart = true; ///< a byte order mark may open the stream
    QString m_idBuffer;
    QString m_lastEventId;
    QString m_type;
    QString m_data;
    bool m_hasData = false;
};

} // namespace Switchboard::Gui
