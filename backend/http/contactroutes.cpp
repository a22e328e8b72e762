#include "apiserver.h"
#include "contacts/contactservice.h"
#include "core/timeformat.h"
#include "jsonbody.h"
#include "routes.h"

#include <QJsonArray>
#include <QStringDecoder>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {

QJsonObject contactJson(const Contact &contact)
{
    return {
        {u"contact_id"_s, contact.id},
        {u"name"_s, contact.name},
        {u"phone_number"_s, contact.phoneNumber},
        {u"company"_s, contact.company},
        {u"notes"_s, contact.notes},
        {u"created_at"_s, formatUtc(contact.createdAt)},
        {u"updated_at"_s, formatUtc(contact.updatedAt)},
    };
}

/// The body's contact fields: each a string when present (null only where clearing makes sense).
Result<ContactFields> readFields(const QJsonObject &body)
{
    static const QStringList known{u"name"_s, u"phone_number"_s, u"company"_s, u"notes"_s};
    ContactFields fields;
    std::optional<QString> *targets[] = {&fields.name, &fields.phoneNumber, &fields.company, &fields.notes};
    for (auto it = body.begin(); it != body.end(); ++it) {
        const qsizetype index = known.indexOf(it.key());
        if (index < 0)
            return Error::validation(u"%1 is not a field of a contact (name, phone_number, company, notes)"_s.arg(it.key()));
        const bool clearable = index >= 2;
        if (!it.value().isString() && !(clearable && it.value().isNull()))
            return Error::validation(u"%1 must be a string"_s.arg(it.key()));
        *targets[index] = it.value().toString();
    }
    return fields;
}

/// Answers 400 itself when the body is not a JSON object of contact fields.
std::optional<ContactFields> fieldsOf(const ApiRequest &request, const Reply &reply)
{
    Result<QJsonObject> body = jsonObjectBody(request);
    Result<ContactFields> fields = body ? readFields(body.value()) : Result<ContactFields>(body.error());
    if (!fields) {
        reply.send(ApiResponse::fromError(fields.error()));
        return std::nullopt;
    }
    return fields.value();
}

Completion<Contact> contactAnswer(const Reply &reply, int status)
{
    return [reply, status](Result<Contact> contact) {
        reply.send(contact ? ApiResponse::json(status, contactJson(contact.value())) : ApiResponse::fromError(contact.error()));
    };
}

void listContacts(ContactService &contacts, const ApiRequest &request, const Reply &reply)
{
    const ContactListRequest query{request.queryValue(u"q"_s), request.queryValue(u"page"_s),
                                   request.queryValue(u"limit"_s)};
    Result<ContactPage> page = contacts.list(request.principal->userId, query);
    if (!page)
        return reply.send(ApiResponse::fromError(page.error()));
    QJsonArray items;
    for (const Contact &contact : page->contacts)
        items.append(contactJson(contact));
    reply.send(ApiResponse::json(200, {
        {u"contacts"_s, items},
        {u"total"_s, page->total},
        {u"page"_s, page->page},
        {u"limit"_s, page->limit},
    }));
}

void createContact(ContactService &contacts, const ApiRequest &request, const Reply &reply)
{
    const auto fields = fieldsOf(request, reply);
    if (fields)
        contacts.create(request.principal->userId, *fields, contactAnswer(reply, 201));
}

void readContact(ContactService &contacts, const ApiRequest &request, const Reply &reply)
{
    Result<Contact> contact = contacts.get(request.principal->userId, request.pathParams.value(0));
    reply.send(contact ? ApiResponse::json(200, contactJson(contact.value())) : ApiResponse::fromError(contact.error()));
}

void updateContact(ContactService &contacts, const ApiRequest &request, const Reply &reply)
{
    const auto fields = fieldsOf(request, reply);
    if (fields)
        contacts.update(request.principal->userId, request.pathParams.value(0), *fields, contactAnswer(reply, 200));
}

void deleteContact(ContactService &contacts, const ApiRequest &request, const Reply &reply)
{
    contacts.remove(request.principal->userId, request.pathParams.value(0), [reply](Status removed) {
        reply.send(removed ? ApiResponse::noContent() : ApiResponse::fromError(removed.error()));
    });
}

void importContacts(ContactService &contacts, const ApiRequest &request, const Reply &reply)
{
    const std::optional<ContactFile::Format> format = ContactFile::fromMediaType(request.header("Content-Type"));
    if (!format) {
        return reply.send(ApiResponse::fromError(
            Error::validation(u"Content-Type must be text/csv or text/vcard"_s)));
    }
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString text = utf8(request.body);
    if (utf8.hasError())
        return reply.send(ApiResponse::fromError(Error::validation(u"The file must be UTF-8 text"_s)));
    contacts.import(request.principal->userId, *format, text, [reply](Result<ImportReport> report) {
        if (!report)
            return reply.send(ApiResponse::fromError(report.error()));
        QJsonArray skipped;
        for (const ContactFile::Problem &problem : report->skipped)
            skipped.append(
                QJsonObject{{u"line"_s, problem.line}, {u"error"_s, problem.error}, {u"reason"_s, problem.reason}});
        reply.send(ApiResponse::json(200, {{u"imported"_s, report->imported}, {u"skipped"_s, skipped}}));
    });
}

void exportContacts(ContactService &contacts, const ApiRequest &request, const Reply &reply)
{
    const QString name = request.queryValue(u"format"_s);
    const std::optional<ContactFile::Format> format = ContactFile::fromName(name.isEmpty() ? u"csv"_s : name);
    if (!format)
        return reply.send(ApiResponse::fromError(Error::validation(u"format must be csv or vcard"_s)));
    Result<QByteArray> file = contacts.exportAll(request.principal->userId, *format);
    if (!file)
        return reply.send(ApiResponse::fromError(file.error()));
    ApiResponse response = ApiResponse::text(200, ContactFile::mediaType(*format), file.value());
    response.headers.emplaceBack("Content-Disposition", *format == ContactFile::Format::Csv
                                                            ? "attachment; filename=\"contacts.csv\""
                                                            : "attachment; filename=\"contacts.vcf\"");
    reply.send(response);
}

} // namespace

void addContactRoutes(ApiServer &server, ContactService &contacts)
{
    Router &router = server.router();
    // What an API key needs for each (contacts:read, contacts:write).
    const QString &read = Scope::ContactsRead;
    const QString &write = Scope::ContactsWrite;
    // Before `{id}`: the first route that matches wins.
    router.add("POST", u"/api/contacts/import"_s, Access::Authenticated, bound(contacts, importContacts), write);
    router.add("GET", u"/api/contacts/export"_s, Access::Authenticated, bound(contacts, exportContacts), read);
    router.add("GET", u"/api/contacts"_s, Access::Authenticated, bound(contacts, listContacts), read);
    router.add("POST", u"/api/contacts"_s, Access::Authenticated, bound(contacts, createContact), write);
    router.add("GET", u"/api/contacts/{id}"_s, Access::Authenticated, bound(contacts, readContact), read);
    router.add("PATCH", u"/api/contacts/{id}"_s, Access::Authenticated, bound(contacts, updateContact), write);
    router.add("DELETE", u"/api/contacts/{id}"_s, Access::Authenticated, bound(contacts, deleteContact), write);
}

} // namespace Switchboard
