#include "contactservice.h"

#include "calls/phonenumbers.h"
#include "core/clock.h"
#include "core/logging.h"
#include "domain/requestfields.h"

#include <QHash>
#include <QRegularExpression>
#include <QSemaphore>
#include <QThread>
#include <QUuid>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

const Error kNotFound{ErrorCode::ContactNotFound, u"Contact not found"_s};
const Error kForbidden{ErrorCode::Forbidden, u"No access to this contact"_s};
constexpr int kMaxPage = 1000000;
constexpr qsizetype kEntriesPerChecker = 1000;

/// A text field within its limit; control characters other than line breaks and tabs are refused.
Result<QString> checkedText(const QString &text, const QString &name, int maxLength, bool multiline)
{
    const QString trimmed = multiline ? text : text.trimmed();
    if (trimmed.size() > maxLength)
        return Error::validation(u"%1 must be at most %2 characters"_s.arg(name).arg(maxLength));
    for (const QChar c : trimmed) {
        if (c.category() == QChar::Other_Control && !(multiline && (c == u'\n' || c == u'\r' || c == u'\t')))
            return Error::validation(u"%1 must not contain control characters"_s.arg(name));
    }
    return trimmed;
}

} // namespace

ContactService::ContactService(ContactRepository &contacts, WriteQueue &writes, const Clock &clock, QObject *parent)
    : QObject(parent), m_contacts(contacts), m_writes(writes), m_clock(clock)
{
    // With the calling thread, as many checkers as cores.
    m_checkers.setMaxThreadCount(qMax(1, QThread::idealThreadCount() - 1));
}

Result<Contact> ContactService::applied(Contact contact, const ContactFields &fields, QString *failedField)
{
    const auto refuse = [failedField](const QString &field, const Error &error) {
        if (failedField)
            *failedField = field;
        return error;
    };
    const struct
    {
        const std::optional<QString> &value;
        QString name;
        int maxLength;
        bool multiline;
        QString *target;
    } texts[] = {{fields.name, u"name"_s, kMaxNameLength, false, &contact.name},
                 {fields.company, u"company"_s, kMaxCompanyLength, false, &contact.company},
                 {fields.notes, u"notes"_s, kMaxNotesLength, true, &contact.notes}};
    for (const auto &text : texts) {
        if (!text.value)
            continue;
        Result<QString> checked = checkedText(*text.value, text.name, text.maxLength, text.multiline);
        if (!checked)
            return refuse(text.name, checked.error());
        *text.target = checked.value();
    }
    if (fields.phoneNumber) {
        Result<QString> e164 = PhoneNumbers::toE164(*fields.phoneNumber);
        if (!e164)
            return refuse(u"phone_number"_s, e164.error());
        contact.phoneNumber = e164.value();
    }
    if (contact.name.isEmpty())
        return refuse(u"name"_s, Error::validation(u"name is required"_s));
    if (contact.phoneNumber.isEmpty())
        return refuse(u"phone_number"_s, Error::validation(u"phone_number is required"_s));
    return contact;
}

Result<ContactPage> ContactService::list(const QString &userId, const ContactListRequest &request) const
{
    ContactQuery query;
    query.userId = userId;
    Result<int> page = boundedInt(request.page, u"page"_s, 1, 1, kMaxPage);
    if (!page)
        return page.error();
    Result<int> limit = boundedInt(request.limit, u"limit"_s, kDefaultLimit, 1, kMaxLimit);
    if (!limit)
        return limit.error();
    query.page = page.value();
    query.limit = limit.value();
    Result<QString> text = checkedText(request.query, u"q"_s, kMaxQueryLength, false);
    if (!text)
        return text.error();
    query.text = text->toCaseFolded();
    // Digits in q also look for numbers: "151 23" finds +4915123…
    static const QRegularExpression nonDigits(u"[^0-9]"_s);
    query.digits = QString(text.value()).remove(nonDigits);
    return m_contacts.list(query);
}

Result<Contact> ContactService::owned(const QString &userId, const QString &contactId) const
{
    if (QUuid::fromString(contactId).isNull())
        return kNotFound;
    Result<std::optional<Contact>> found = m_contacts.findById(contactId);
    if (!found)
        return found.error();
    if (!found->has_value())
        return kNotFound;
    if (found.value()->userId != userId) {
        qCWarning(lcContacts) << "user" << userId << "tried to reach contact" << contactId << "of another user";
        return kForbidden;
    }
    return *found.value();
}

Result<Contact> ContactService::get(const QString &userId, const QString &contactId) const
{
    return owned(userId, contactId);
}

void ContactService::create(const QString &userId, const ContactFields &fields, Completion<Contact> done)
{
    Contact blank;
    blank.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    blank.userId = userId;
    blank.createdAt = blank.updatedAt = m_clock.now();
    Result<Contact> contact = applied(blank, fields);
    if (!contact)
        return done(contact.error());
    m_writes.submit(this, [this, contact = contact.value()] { return m_contacts.create(contact); },
                    [contact = contact.value(), done](Status created) {
                        done(created ? Result<Contact>(contact) : Result<Contact>(created.error()));
                    });
}

void ContactService::update(const QString &userId, const QString &contactId, const ContactFields &fields,
                            Completion<Contact> done)
{
    Result<Contact> existing = owned(userId, contactId);
    if (!existing)
        return done(existing.error());
    Result<Contact> changed = applied(existing.value(), fields);
    if (!changed)
        return done(changed.error());
    changed.value().updatedAt = m_clock.now();
    m_writes.submit<bool>(this, [this, contact = changed.value()] { return m_contacts.update(contact); },
                          [contact = changed.value(), done](Result<bool> updated) {
                              if (!updated)
                                  return done(updated.error());
                              done(updated.value() ? Result<Contact>(contact) : Result<Contact>(kNotFound));
                          });
}

void ContactService::remove(const QString &userId, const QString &contactId, Completion<Done> done)
{
    if (Result<Contact> existing = owned(userId, contactId); !existing)
        return done(existing.error());
    m_writes.submit<bool>(this, [this, userId, contactId] { return m_contacts.remove(userId, contactId); },
                          [done](Result<bool> removed) {
                              if (!removed)
                                  return done(removed.error());
                              done(removed.value() ? Status(Done{}) : Status(kNotFound));
                          });
}

ImportReport ContactService::checkEntries(const QString &userId, const QList<ContactFile::Entry> &entries,
                                          QList<std::pair<int, Contact>> *accepted) const
{
    // Each entry on its own first, in parts on the pool and this thread; then, in file order,
    // which numbers came twice.
    const qsizetype count = entries.size();
    std::vector<std::optional<Result<Contact>>> checked(count);
    std::vector<QString> fields(count);
    const QDateTime now = m_clock.now();
    const auto checkRange = [&](qsizetype from, qsizetype to) {
        for (qsizetype i = from; i < to; ++i) {
            const ContactFile::Entry &entry = entries.at(i);
            Contact blank;
            blank.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            blank.userId = userId;
            blank.createdAt = blank.updatedAt = now;
            checked[i] = applied(blank, {entry.name, entry.phoneNumber, entry.company, entry.notes}, &fields[i]);
        }
    };
    const qsizetype parts =
        qBound(qsizetype(1), count / kEntriesPerChecker, qsizetype(m_checkers.maxThreadCount()) + 1);
    // parts ≥ 1, so step covers every entry.
    const qsizetype step = (count + parts - 1) / qMax<qsizetype>(parts, 1);
    QSemaphore finished;
    for (qsizetype part = 1; part < parts; ++part) {
        m_checkers.start([&, part] {
            checkRange(part * step, qMin(count, (part + 1) * step));
            finished.release();
        });
    }
    checkRange(0, qMin(count, step));
    finished.acquire(int(parts - 1));

    ImportReport report;
    QHash<QString, int> lineOfNumber;
    for (qsizetype i = 0; i < count; ++i) {
        const ContactFile::Entry &entry = entries.at(i);
        const Result<Contact> &contact = *checked[i];
        if (!contact) {
            report.skipped.append({entry.line, contact.error().message, u"invalid_"_s + fields[i]});
            continue;
        }
        if (const auto first = lineOfNumber.constFind(contact->phoneNumber); first != lineOfNumber.cend()) {
            report.skipped.append({entry.line, u"%1 is on line %2 already"_s.arg(contact->phoneNumber).arg(*first),
                                   u"duplicate_in_file"_s});
            continue;
        }
        lineOfNumber.insert(contact->phoneNumber, entry.line);
        accepted->append({entry.line, contact.value()});
    }
    return report;
}

void ContactService::import(const QString &userId, ContactFile::Format format, const QString &text,
                            Completion<ImportReport> done)
{
    Result<ContactFile::Parsed> parsed = ContactFile::read(format, text);
    if (!parsed)
        return done(parsed.error());
    if (parsed->entries.size() + parsed->problems.size() > kMaxImportRecords)
        return done(Error::validation(u"An import holds at most %1 contacts"_s.arg(kMaxImportRecords)));
    QList<std::pair<int, Contact>> accepted;
    ImportReport checked = checkEntries(userId, parsed->entries, &accepted);
    checked.skipped += parsed->problems;

    // The numbers the operator has are read inside the write, so that what it reports as
    // existing is what the transaction saw; ON CONFLICT in createMany covers the rest.
    auto unit = [this, userId, accepted, checked]() -> Result<ImportReport> {
        Result<QSet<QString>> existing = m_contacts.numbers(userId);
        if (!existing)
            return existing.error();
        ImportReport report = checked;
        QList<Contact> fresh;
        for (const auto &[line, contact] : accepted) {
            if (existing->contains(contact.phoneNumber))
                report.skipped.append({line, u"a contact with the number %1 exists already"_s.arg(contact.phoneNumber),
                                       u"contact_already_exists"_s});
            else
                fresh.append(contact);
        }
        Result<int> inserted = m_contacts.createMany(fresh);
        if (!inserted)
            return inserted.error();
        report.imported = inserted.value();
        std::sort(report.skipped.begin(), report.skipped.end(),
                  [](const ContactFile::Problem &a, const ContactFile::Problem &b) { return a.line < b.line; });
        return report;
    };
    m_writes.submit<ImportReport>(this, std::move(unit), [userId, done](Result<ImportReport> report) {
        if (report)
            qCInfo(lcContacts) << "user" << userId << "imported" << report->imported << "contacts," << report->skipped.size()
                               << "lines skipped";
        done(report);
    });
}

Result<QByteArray> ContactService::exportAll(const QString &userId, ContactFile::Format format) const
{
    Result<QList<Contact>> contacts = m_contacts.all(userId);
    if (!contacts)
        return contacts.error();
    return ContactFile::write(format, contacts.value());
}

} // namespace Switchboard
