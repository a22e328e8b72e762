#pragma once

#include "contactfile.h"
#include "domain/repositories.h"
#include "domain/writequeue.h"

#include <QObject>
#include <QThreadPool>

#include <optional>

namespace Switchboard {

class Clock;

/// A contact's fields as a client sent them; a field left out is nullopt (PATCH keeps it).
struct ContactFields
{
    std::optional<QString> name;
    std::optional<QString> phoneNumber;
    std::optional<QString> company;
    std::optional<QString> notes;
};

/// What a list request asks for, as the client sent it (validated here).
struct ContactListRequest
{
    QString query;
    QString page;
    QString limit;
};

/// An import's outcome: how many contacts it added, and each line it did not, with why.
struct ImportReport
{
    int imported = 0;
    QList<ContactFile::Problem> skipped;
};

/// The address-book use cases: list, get, create, update, delete, import and export of an
/// operator's own contacts.
///
/// Threads: reads run on the caller's thread, on its own database connection. Writes go through
/// the WriteQueue and complete on the service's thread once committed; the service keeps no
/// state of its own, so any thread may call it.
class ContactService : public QObject
{
    Q_OBJECT
public:
    ContactService(ContactRepository &contacts, WriteQueue &writes, const Clock &clock, QObject *parent = nullptr);

    Result<ContactPage> list(const QString &userId, const ContactListRequest &request) const;
    Result<Contact> get(const QString &userId, const QString &contactId) const;
    void create(const QString &userId, const ContactFields &fields, Completion<Contact> done);
    void update(const QString &userId, const QString &contactId, const ContactFields &fields,
                Completion<Contact> done);
    void remove(const QString &userId, const QString &contactId, Completion<Done> done);
    /// Adds every well-formed contact of `text` whose number the operator does not have yet; a
    /// malformed or duplicate line is reported in the ImportReport, not an error.
    void import(const QString &userId, ContactFile::Format format, const QString &text, Completion<ImportReport> done);
    Result<QByteArray> exportAll(const QString &userId, ContactFile::Format format) const;

    static constexpr int kDefaultLimit = 50;
    static constexpr int kMaxLimit = 500;
    static constexpr int kMaxNameLength = 200;
    static constexpr int kMaxCompanyLength = 200;
    static constexpr int kMaxNotesLength = 4000;
    static constexpr int kMaxQueryLength = 100;
    static constexpr int kMaxImportRecords = 50000;

private:
    /// The contact with `fields` applied and checked (the number made E.164), or what is wrong.
    /// `failedField` (optional) names the field that was refused.
    static Result<Contact> applied(Contact contact, const ContactFields &fields, QString *failedField = nullptr);
    Result<Contact> owned(const QString &userId, const QString &contactId) const;
    /// The import's contacts, and its problems so far (the lines that are not contacts).
    ImportReport checkEntries(const QString &userId, const QList<ContactFile::Entry> &entries,
                              QList<std::pair<int, Contact>> *accepted) const;

    ContactRepository &m_contacts;
    WriteQueue &m_writes;
    const Clock &m_clock;
    /// Checks a large import's numbers beside the serving thread (libphonenumber's validity
    /// check is what a 10,000-contact import mostly costs).
    mutable QThreadPool m_checkers;
};

} // namespace Switchboard
