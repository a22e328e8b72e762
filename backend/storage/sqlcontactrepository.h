#pragma once

#include "domain/repositories.h"

#include <QSqlRecord>

namespace Switchboard {

class Database;

class SqlContactRepository final : public ContactRepository
{
public:
    explicit SqlContactRepository(Database &database);

    Status create(const Contact &contact) override;
    Result<int> createMany(const QList<Contact> &contacts) override;
    Result<bool> update(const Contact &contact) override;
    Result<bool> remove(const QString &userId, const QString &id) override;
    Result<std::optional<Contact>> findById(const QString &id) override;
    Result<ContactPage> list(const ContactQuery &query) override;
    Result<QList<Contact>> all(const QString &userId) override;
    Result<QSet<QString>> numbers(const QString &userId) override;

private:
    static Contact fromRecord(const QSqlRecord &row);

    Database &m_database;
};

} // namespace Switchboard
