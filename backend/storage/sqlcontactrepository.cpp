#include "sqlcontactrepository.h"

#include "core/timeformat.h"
#include "database.h"

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const QString kColumns = u"id, user_id, name, phone_number, company, notes, created_at, updated_at, search_text"_s;
const QString kSelect = u"id, user_id, name, phone_number, company, notes, created_at, updated_at"_s;
// Qt binds an empty QString that is null as NULL: the optional texts are made '' in SQL.
const QString kRow = u"(?, ?, ?, ?, COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?)"_s;
// Rows per INSERT of an import: one statement (one round trip to PostgreSQL) for many contacts,
// well under either engine's limit of bound parameters (9 each).
constexpr qsizetype kRowsPerInsert = 200;

/// What `q` is compared with: the name, then the company, folded by Qt rather than by the engine,
/// so that "ё" and "Ä" match the same way on SQLite and PostgreSQL. The name first, so that the
/// index on it also orders the list by name.
QString searchText(const Contact &contact)
{
    return (contact.name + u'\n' + contact.company).toCaseFolded();
}

QVariantList values(const Contact &contact)
{
    return {contact.id,    contact.userId, contact.name, contact.phoneNumber, contact.company,
            contact.notes, formatUtc(contact.createdAt), formatUtc(contact.updatedAt), searchText(contact)};
}

Error conflictOr(const Error &error, const QString &phoneNumber)
{
    if (error.code != ErrorCode::Conflict)
        return error;
    return {ErrorCode::ContactAlreadyExists, u"A contact with the number %1 exists already"_s.arg(phoneNumber)};
}

/// `text` as a LIKE pattern that matches it anywhere, its wildcards taken literally.
QString containing(QString text)
{
    text.replace(u"\\"_s, u"\\\\"_s).replace(u"%"_s, u"\\%"_s).replace(u"_"_s, u"\\_"_s);
    return u'%' + text + u'%';
}

} // namespace

SqlContactRepository::SqlContactRepository(Database &database) : m_database(database) {}

Contact SqlContactRepository::fromRecord(const QSqlRecord &row)
{
    Contact contact;
    contact.id = row.value(0).toString();
    contact.userId = row.value(1).toString();
    contact.name = row.value(2).toString();
    contact.phoneNumber = row.value(3).toString();
    contact.company = row.value(4).toString();
    contact.notes = row.value(5).toString();
    contact.createdAt = parseUtc(row.value(6).toString());
    contact.updatedAt = parseUtc(row.value(7).toString());
    return contact;
}

Status SqlContactRepository::create(const Contact &contact)
{
    Result<int> inserted =
        m_database.modify(u"INSERT INTO contacts (%1) VALUES %2"_s.arg(kColumns, kRow), values(contact));
    if (!inserted)
        return conflictOr(inserted.error(), contact.phoneNumber);
    return Done{};
}

Result<int> SqlContactRepository::createMany(const QList<Contact> &contacts)
{
    int inserted = 0;
    for (qsizetype start = 0; start < contacts.size(); start += kRowsPerInsert) {
        const QList<Contact> chunk = contacts.mid(start, kRowsPerInsert);
        QStringList rows(chunk.size(), kRow);
        QVariantList params;
        params.reserve(chunk.size() * 9);
        for (const Contact &contact : chunk)
            params += values(contact);
        Result<int> done = m_database.modify(
            u"INSERT INTO contacts (%1) VALUES %2 ON CONFLICT (user_id, phone_number) DO NOTHING"_s.arg(
                kColumns, rows.join(u", "_s)),
            params);
        if (!done)
            return done.error();
        inserted += done.value();
    }
    return inserted;
}

Result<bool> SqlContactRepository::update(const Contact &contact)
{
    Result<int> updated = m_database.modify(
        u"UPDATE contacts SET name = ?, phone_number = ?, company = COALESCE(?, ''), notes = COALESCE(?, ''), "
        "updated_at = ?, search_text = ? "
        "WHERE id = ? AND user_id = ?"_s,
        {contact.name, contact.phoneNumber, contact.company, contact.notes, formatUtc(contact.updatedAt),
         searchText(contact), contact.id, contact.userId});
    if (!updated)
        return conflictOr(updated.error(), contact.phoneNumber);
    return updated.value() > 0;
}

Result<bool> SqlContactRepository::remove(const QString &userId, const QString &id)
{
    Result<int> removed = m_database.modify(u"DELETE FROM contacts WHERE id = ? AND user_id = ?"_s, {id, userId});
    if (!removed)
        return removed.error();
    return removed.value() > 0;
}

Result<std::optional<Contact>> SqlContactRepository::findById(const QString &id)
{
    Result<QList<QSqlRecord>> rows = m_database.select(u"SELECT %1 FROM contacts WHERE id = ?"_s.arg(kSelect), {id});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<Contact>();
    return std::optional<Contact>(fromRecord(rows->first()));
}

Result<ContactPage> SqlContactRepository::list(const ContactQuery &query)
{
    QString where = u"user_id = ?"_s;
    QVariantList params{query.userId};
    if (!query.text.isEmpty() && !query.digits.isEmpty()) {
        where += u" AND (search_text LIKE ? ESCAPE '\\' OR phone_number LIKE ?)"_s;
        params << containing(query.text) << containing(query.digits);
    } else if (!query.text.isEmpty()) {
        where += u" AND search_text LIKE ? ESCAPE '\\'"_s;
        params << containing(query.text);
    }
    Result<QList<QSqlRecord>> counted = m_database.select(u"SELECT COUNT(*) FROM contacts WHERE %1"_s.arg(where), params);
    if (!counted)
        return counted.error();

    QVariantList pageParams = params;
    pageParams << query.limit << qint64(query.page - 1) * query.limit;
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1 FROM contacts WHERE %2 ORDER BY search_text, id LIMIT ? OFFSET ?"_s.arg(kSelect, where), pageParams);
    if (!rows)
        return rows.error();
    ContactPage page;
    page.total = counted->first().value(0).toLongLong();
    page.page = query.page;
    page.limit = query.limit;
    for (const QSqlRecord &row : rows.value())
        page.contacts.append(fromRecord(row));
    return page;
}

Result<QList<Contact>> SqlContactRepository::all(const QString &userId)
{
    Result<QList<QSqlRecord>> rows = m_database.select(
        u"SELECT %1 FROM contacts WHERE user_id = ? ORDER BY search_text, id"_s.arg(kSelect), {userId});
    if (!rows)
        return rows.error();
    QList<Contact> contacts;
    contacts.reserve(rows->size());
    for (const QSqlRecord &row : rows.value())
        contacts.append(fromRecord(row));
    return contacts;
}

Result<QSet<QString>> SqlContactRepository::numbers(const QString &userId)
{
    Result<QList<QSqlRecord>> rows =
        m_database.select(u"SELECT phone_number FROM contacts WHERE user_id = ?"_s, {userId});
    if (!rows)
        return rows.error();
    QSet<QString> numbers;
    numbers.reserve(rows->size());
    for (const QSqlRecord &row : rows.value())
        numbers.insert(row.value(0).toString());
    return numbers;
}

} // namespace Switchboard
