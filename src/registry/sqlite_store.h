// The SQLite Store: one database file, <data dir>/registry.db, in WAL mode with
// synchronous=FULL (a commit is on disk before Update returns), a busy timeout so that a
// server and `wifgate sql` can share it, and a schema_version table driving migrations.
//
// Uniqueness the registry relies on is also enforced by the schema: user names, identity
// names per user, and the identity match key across the whole account.
#ifndef WIFGATE_REGISTRY_SQLITE_STORE_H_
#define WIFGATE_REGISTRY_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "registry/store.h"

namespace wifgate::registry {

struct SqliteStoreOptions {
  int busy_timeout_ms = 10000;
};

// The newest schema version this build knows.
int SqliteSchemaVersion();

// Opens (creating the directory and database when missing) and migrates the store in
// `data_dir`. A database written by a newer wifgate is refused, not downgraded.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& data_dir,
                                               const SqliteStoreOptions& options = {});

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_SQLITE_STORE_H_
