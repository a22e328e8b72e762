#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace Switchboard {

/// One entry of an operator's address book. Contacts are private to their owner, like calls.
struct Contact
{
    QString id;
    QString userId;
    QString name;
    QString phoneNumber; ///< E.164, unique per owner
    QString company;
    QString notes;
    QDateTime createdAt; ///< UTC
    QDateTime updatedAt; ///< UTC
};

/// A page of an operator's contacts, by name. `text` (case-folded) matches name or company,
/// `digits` the number; a contact matches when either does. Page counts from 1.
struct ContactQuery
{
    QString userId;
    QString text;
    QString digits;
    int page = 1;
    int limit = 50;
};

struct ContactPage
{
    QList<Contact> contacts;
    qint64 total = 0;
    int page = 1;
    int limit = 50;
};

} // namespace Switchboard
