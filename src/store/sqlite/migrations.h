// Versioned schema migrations of the SQLite store.
#pragma once

#include "base/status.h"
#include "store/sqlite/db.h"

namespace kilde::store::sqlite {

// Highest schema version this binary knows.
int LatestSchemaVersion();

// Applies every migration newer than the database's version, each in its own
// transaction. Refuses (kFailedPrecondition) a database whose version is newer
// than LatestSchemaVersion(). Returns the resulting version.
Result<int> Migrate(Connection& c);

// The audit tables' DDL as schema version 3 created them in kilde.db (and version 1 of audit.db):
// for tests that build a data dir as an older kilde left it.
const char* AuditTablesSql();

// The same for the audit database (audit.db), which has migrations of its own.
Result<int> MigrateAudit(Connection& c);

}  // namespace kilde::store::sqlite
