#pragma once

#include "domain/repositories.h"

namespace Switchboard {

class Database;

class SqlPolicyRepository final : public PolicyRepository
{
public:
    explicit SqlPolicyRepository(Database &database);

    Result<CallingPolicy> load() override;
    Status save(const CallingPolicy &policy) override;

private:
    Database &m_database;
};

} // namespace Switchboard
