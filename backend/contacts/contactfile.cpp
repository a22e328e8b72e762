#include "contactfile.h"

#include <QHash>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard::ContactFile {

namespace {

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180, with the header row naming the columns)

struct CsvRecord
{
    int line = 0;
    QStringList fields;
    QString error;
};

/// Splits the text into records; a quoted field may hold separators and line breaks. A record
/// that breaks the quoting rules keeps its first error and is read on to its end, so that the
/// next record starts where it should.
class CsvReader
{
public:
    CsvReader(const QString &text, QChar separator) : m_text(text), m_separator(separator) {}

    bool atEnd() const { return m_at >= m_text.size(); }

    CsvRecord next()
    {
        CsvRecord record{m_line, {}, {}};
        QString field;
        bool inQuotes = false;
        bool afterQuotes = false; // the field's closing quote has been read
        for (; m_at < m_text.size(); ++m_at) {
            const QChar c = m_text.at(m_at);
            if (inQuotes) {
                if (c == u'"' && m_at + 1 < m_text.size() && m_text.at(m_at + 1) == u'"') {
                    field += c;
                    ++m_at;
                } else if (c == u'"') {
                    inQuotes = false;
                    afterQuotes = true;
                } else {
                    m_line += c == u'\n';
                    field += c;
                }
            } else if (c == m_separator) {
                record.fields.append(field);
                field.clear();
                afterQuotes = false;
            } else if (c == u'\n') {
                ++m_at;
                ++m_line;
                break;
            } else if (c == u'\r' && m_at + 1 < m_text.size() && m_text.at(m_at + 1) == u'\n') {
                continue;
            } else if (c == u'"' && field.isEmpty() && !afterQuotes) {
                inQuotes = true;
            } else {
                if ((afterQuotes || c == u'"') && record.error.isEmpty())
                    record.error = u"a quote inside an unquoted field, or text after a closing quote"_s;
                field += c;
            }
        }
        if (inQuotes)
            record.error = u"a quoted field is not closed before the end of the file"_s;
        record.fields.append(field);
        return record;
    }

private:
    const QString &m_text;
    QChar m_separator;
    qsizetype m_at = 0;
    int m_line = 1;
};

enum class Column { Name, Phone, Company, Notes, Ignored };

Column columnFor(QString header)
{
    static const QHash<QString, Column> names{
        {u"name"_s, Column::Name},           {u"full_name"_s, Column::Name},     {u"fn"_s, Column::Name},
        {u"display_name"_s, Column::Name},   {u"phone_number"_s, Column::Phone}, {u"phone"_s, Column::Phone},
        {u"number"_s, Column::Phone},        {u"tel"_s, Column::Phone},          {u"telephone"_s, Column::Phone},
        {u"mobile"_s, Column::Phone},        {u"company"_s, Column::Company},    {u"organization"_s, Column::Company},
        {u"organisation"_s, Column::Company}, {u"org"_s, Column::Company},       {u"notes"_s, Column::Notes},
        {u"note"_s, Column::Notes},          {u"comment"_s, Column::Notes},
    };
    header = header.trimmed().toLower().replace(u' ', u'_').replace(u'-', u'_');
    return names.value(header, Column::Ignored);
}

bool isBlank(const CsvRecord &record)
{
    return record.error.isEmpty() && record.fields.size() == 1 && record.fields.first().trimmed().isEmpty();
}

Result<Parsed> readCsv(const QString &text)
{
    // Spreadsheets in many locales (Russian among them) write `;` between fields.
    const QString firstLine = text.section(u'\n', 0, 0);
    const QChar separator = !firstLine.contains(u',') && firstLine.contains(u';') ? u';' : u',';
    CsvReader reader(text, separator);
    CsvRecord header;
    while (!reader.atEnd() && isBlank(header = reader.next())) {
    }
    QList<Column> columns;
    for (const QString &name : std::as_const(header.fields))
        columns.append(columnFor(name));
    if (!header.error.isEmpty() || !columns.contains(Column::Name) || !columns.contains(Column::Phone)) {
        return Error::validation(u"The CSV file must start with a header row naming a name column and a "
                                 "phone_number column (also accepted: phone, number, tel)"_s);
    }

    Parsed parsed;
    while (!reader.atEnd()) {
        const CsvRecord record = reader.next();
        if (isBlank(record))
            continue;
        if (!record.error.isEmpty()) {
            parsed.problems.append({record.line, record.error});
            continue;
        }
        if (record.fields.size() != columns.size()) {
            parsed.problems.append({record.line, u"%1 fields where the header has %2"_s.arg(record.fields.size())
                                                     .arg(columns.size())});
            continue;
        }
        Entry entry;
        entry.line = record.line;
        for (qsizetype i = 0; i < columns.size(); ++i) {
            QString *target = columns[i] == Column::Name    ? &entry.name
                : columns[i] == Column::Phone               ? &entry.phoneNumber
                : columns[i] == Column::Company             ? &entry.company
                : columns[i] == Column::Notes               ? &entry.notes
                                                            : nullptr;
            if (target && target->isEmpty()) // the first of two columns of one kind wins
                *target = record.fields.at(i);
        }
        parsed.entries.append(entry);
    }
    return parsed;
}

QString csvField(const QString &value)
{
    if (!value.contains(u',') && !value.contains(u'"') && !value.contains(u'\n') && !value.contains(u'\r')
        && !value.contains(u';') && value.trimmed() == value)
        return value;
    return u'"' + QString(value).replace(u"\""_s, u"\"\""_s) + u'"';
}

// ---------------------------------------------------------------------------------------------
// vCard 3.0 (RFC 2426) and 4.0 (RFC 6350)

struct LogicalLine
{
    int line = 0;
    QString text;
};

/// The lines with their folding undone: a line that starts with a space or a tab continues the
/// one before it.
QList<LogicalLine> unfold(const QString &text)
{
    QList<LogicalLine> lines;
    int number = 0;
    for (QStringView physical : QStringView(text).split(u'\n')) {
        ++number;
        if (physical.endsWith(u'\r'))
            physical.chop(1);
        if (!lines.isEmpty() && (physical.startsWith(u' ') || physical.startsWith(u'\t')))
            lines.last().text += physical.sliced(1);
        else
            lines.append({number, physical.toString()});
    }
    return lines;
}

QString unescapeValue(QStringView value)
{
    QString out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value.at(i) == u'\\' && i + 1 < value.size()) {
            const QChar next = value.at(++i);
            out += (next == u'n' || next == u'N') ? QChar(u'\n') : next;
        } else {
            out += value.at(i);
        }
    }
    return out;
}

/// The components of a structured value (N, ORG), split at unescaped `;`.
QStringList components(QStringView value)
{
    QStringList parts{QString()};
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value.at(i) == u'\\' && i + 1 < value.size()) {
            parts.last() += value.sliced(i, 2);
            ++i;
        } else if (value.at(i) == u';') {
            parts.append(QString());
        } else {
            parts.last() += value.at(i);
        }
    }
    for (QString &part : parts)
        part = unescapeValue(part).trimmed();
    return parts;
}

struct Card
{
    int line = 0;
    Entry entry;
    QString structuredName;
    Problem problem; ///< the first, when the card is malformed
};

/// Applies one property line to the card being read.
void applyProperty(Card &card, const LogicalLine &line)
{
    const qsizetype colon = line.text.indexOf(u':');
    if (colon <= 0) {
        if (card.problem.error.isEmpty())
            card.problem = {line.line, u"not a vCard property line"_s};
        return;
    }
    QString name = line.text.first(colon).section(u';', 0, 0).toUpper();
    name = name.section(u'.', -1); // `item1.TEL`: the group prefix
    const QStringView value = QStringView(line.text).sliced(colon + 1);
    if (name == u"VERSION" && value.trimmed() != u"3.0" && value.trimmed() != u"4.0") {
        if (card.problem.error.isEmpty())
            card.problem = {line.line, u"vCard version %1 is not supported (3.0 and 4.0 are)"_s.arg(value.trimmed())};
    } else if (name == u"FN" && card.entry.name.isEmpty()) {
        card.entry.name = unescapeValue(value).trimmed();
    } else if (name == u"N" && card.structuredName.isEmpty()) {
        const QStringList parts = components(value); // family; given; additional; prefix; suffix
        card.structuredName = (parts.value(1) + u' ' + parts.value(0)).trimmed();
    } else if (name == u"TEL" && card.entry.phoneNumber.isEmpty()) {
        QString number = unescapeValue(value).trimmed();
        if (number.startsWith(u"tel:"_s, Qt::CaseInsensitive)) // 4.0's VALUE=uri
            number = number.sliced(4).section(u';', 0, 0);
        card.entry.phoneNumber = number;
    } else if (name == u"ORG" && card.entry.company.isEmpty()) {
        card.entry.company = components(value).value(0);
    } else if (name == u"NOTE" && card.entry.notes.isEmpty()) {
        card.entry.notes = unescapeValue(value);
    }
}

/// What a finished card amounts to: a contact, or the first thing wrong with it.
void finishCard(Card card, Parsed &parsed)
{
    if (card.entry.name.isEmpty())
        card.entry.name = card.structuredName;
    if (!card.problem.error.isEmpty())
        return parsed.problems.append(card.problem);
    if (card.entry.name.isEmpty())
        return parsed.problems.append({card.line, u"the vCard has no FN or N (a name)"_s, u"invalid_name"_s});
    if (card.entry.phoneNumber.isEmpty())
        return parsed.problems.append(
            {card.line, u"the vCard has no TEL (a phone number)"_s, u"invalid_phone_number"_s});
    card.entry.line = card.line;
    parsed.entries.append(card.entry);
}

Parsed readVCard(const QString &text)
{
    Parsed parsed;
    std::optional<Card> card;
    for (const LogicalLine &line : unfold(text)) {
        const QString upper = line.text.trimmed().toUpper();
        if (upper.isEmpty())
            continue;
        if (upper == u"BEGIN:VCARD") {
            if (card)
                parsed.problems.append({card->line, u"the vCard has no END:VCARD before the next BEGIN:VCARD"_s});
            card = Card{line.line, {}, {}, {}};
        } else if (upper == u"END:VCARD") {
            if (!card)
                parsed.problems.append({line.line, u"END:VCARD without BEGIN:VCARD"_s});
            else
                finishCard(*std::exchange(card, std::nullopt), parsed);
        } else if (card) {
            applyProperty(*card, line);
        } else {
            parsed.problems.append({line.line, u"text outside BEGIN:VCARD … END:VCARD"_s});
        }
    }
    if (card)
        parsed.problems.append({card->line, u"the vCard has no END:VCARD before the end of the file"_s});
    return parsed;
}

QString escapeValue(QString value)
{
    return value.replace(u"\\"_s, u"\\\\"_s)
        .replace(u","_s, u"\\,"_s)
        .replace(u";"_s, u"\\;"_s)
        .replace(u"\r\n"_s, u"\\n"_s)
        .replace(u"\n"_s, u"\\n"_s)
        .replace(u"\r"_s, u"\\n"_s);
}

/// One content line, folded at 75 octets without splitting a UTF-8 sequence (RFC 6350 3.2).
QByteArray contentLine(const QString &line)
{
    const QByteArray utf8 = line.toUtf8();
    QByteArray out;
    qsizetype start = 0;
    qsizetype room = 75;
    while (utf8.size() - start > room) {
        qsizetype end = start + room;
        while (end > start && (uchar(utf8.at(end)) & 0xC0) == 0x80)
            --end;
        out += utf8.mid(start, end - start) + "\r\n ";
        start = end;
        room = 74; // after the leading space
    }
    return out + utf8.mid(start) + "\r\n";
}

} // namespace

std::optional<Format> fromMediaType(QByteArrayView contentType)
{
    const QByteArray type = contentType.toByteArray().split(';').first().trimmed().toLower();
    if (type == "text/csv")
        return Format::Csv;
    if (type == "text/vcard" || type == "text/x-vcard")
        return Format::VCard;
    return std::nullopt;
}

std::optional<Format> fromName(const QString &name)
{
    if (name == u"csv")
        return Format::Csv;
    if (name == u"vcard")
        return Format::VCard;
    return std::nullopt;
}

QByteArray mediaType(Format format)
{
    return format == Format::Csv ? "text/csv; charset=utf-8" : "text/vcard; charset=utf-8";
}

Result<Parsed> read(Format format, const QString &text)
{
    QString body = text;
    if (body.startsWith(QChar(0xFEFF))) // a byte order mark, as spreadsheets write
        body.remove(0, 1);
    if (format == Format::Csv)
        return readCsv(body);
    return readVCard(body);
}

QByteArray write(Format format, const QList<Contact> &contacts)
{
    QByteArray out;
    if (format == Format::Csv) {
        out = "name,phone_number,company,notes\r\n";
        for (const Contact &contact : contacts) {
            out += QStringList{csvField(contact.name), csvField(contact.phoneNumber), csvField(contact.company),
                               csvField(contact.notes)}
                       .join(u',')
                       .toUtf8()
                + "\r\n";
        }
        return out;
    }
    for (const Contact &contact : contacts) {
        out += "BEGIN:VCARD\r\nVERSION:3.0\r\n";
        out += contentLine(u"FN:"_s + escapeValue(contact.name));
        out += contentLine(u"N:"_s + escapeValue(contact.name) + u";;;;"_s);
        out += contentLine(u"TEL;TYPE=VOICE:"_s + contact.phoneNumber);
        if (!contact.company.isEmpty())
            out += contentLine(u"ORG:"_s + escapeValue(contact.company));
        if (!contact.notes.isEmpty())
            out += contentLine(u"NOTE:"_s + escapeValue(contact.notes));
        out += "END:VCARD\r\n";
    }
    return out;
}

} // namespace Switchboard::ContactFile
