#pragma once

#include "domain/contact.h"
#include "domain/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Switchboard {

/// Address-book files: CSV with a header row (RFC 4180) and vCard 3.0/4.0, read for an import
/// and written for an export. Reading checks the shape only; what a contact may hold is the
/// ContactService's to judge, so that an import and the API apply the same rules.
namespace ContactFile {

enum class Format { Csv, VCard };

/// `text/csv` or `text/vcard` (also `text/x-vcard`), parameters ignored.
std::optional<Format> fromMediaType(QByteArrayView contentType);
/// `csv` or `vcard`.
std::optional<Format> fromName(const QString &name);
QByteArray mediaType(Format format);

/// One contact as the file has it, with the line it starts on (counted from 1).
struct Entry
{
    int line = 0;
    QString name;
    QString phoneNumber;
    QString company;
    QString notes;
};

/// A line (CSV record or vCard) that could not be read as a contact, and why: `error` in words
/// (English, for people reading the API), `reason` as a stable key for clients to translate:
/// `malformed`, `invalid_name`, `invalid_phone_number`, `invalid_company`, `invalid_notes`,
/// `duplicate_in_file`, `contact_already_exists`.
struct Problem
{
    int line = 0;
    QString error;
    QString reason = QStringLiteral("malformed");
};

struct Parsed
{
    QList<Entry> entries;
    QList<Problem> problems;
};

/// Reads every contact it can; a malformed record is a Problem, not a failure. Fails only when
/// the file as a whole cannot be read (a CSV header without a name or a phone column).
Result<Parsed> read(Format format, const QString &text);

QByteArray write(Format format, const QList<Contact> &contacts);

} // namespace ContactFile

} // namespace Switchboard
