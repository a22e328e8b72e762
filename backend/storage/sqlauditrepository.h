#pragma once

#include "domain/repositories.h"

namespace Switchboard {

class Database;

class SqlAuditRepository final : public AuditRepository
{
public:
    explicit SqlAuditRepository(Database &database);

    Status append(const AuditEvent &event) override;
    Result<AuditPage> page(const AuditQuery &query) override;

private:
    Database &m_database;
};

} // namespace Switchboard
