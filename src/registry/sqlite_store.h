// The SQLite Store: one database file, <data dir>/registry.db, in WAL mode, a busy timeout
// so that a server and `wifgate sql` can share it, and a schema_version table driving
// migrations.
//
// Durability: a registry change is on disk (synchronous = FULL) before Update returns. A
// LOGIN_HISTORY row is committed, and so visible to every reader in every process, before
// RecordLogin returns; how soon it is also on disk is SqliteStoreOptions::login_history_sync.
// Login rows are written on their own connection with their statements compiled once.
//
// Freshness: every committed change also raises <data dir>/registry.db-changes (a
// SharedCounter), so Version() is one memory load while nothing changed, and a change
// made by any wifgate process is seen by the next call. A writer that does not raise it
// (the sqlite3 shell, an older wifgate) is seen within SqliteStoreOptions::version_recheck.
//
// Uniqueness the registry relies on is also enforced by the schema: user names, identity
// names per user, and the identity match key across the whole account.
#ifndef WIFGATE_REGISTRY_SQLITE_STORE_H_
#define WIFGATE_REGISTRY_SQLITE_STORE_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "registry/store.h"

namespace wifgate::registry {

// When a committed LOGIN_HISTORY row reaches the disk.
enum class LoginHistorySync {
  // At the next WAL checkpoint (SQLite's synchronous = NORMAL): no fsync per login. A crash
  // of the process loses nothing; an OS crash or power loss may lose the rows committed
  // since the last checkpoint (SQLite checkpoints every 1,000 WAL pages).
  kNormal,
  // Before the login is answered (synchronous = FULL): one fsync per login attempt.
  kFull,
};

struct SqliteStoreOptions {
  int busy_timeout_ms = 10000;
  LoginHistorySync login_history_sync = LoginHistorySync::kNormal;
  // Version() also re-reads the database this often when the change counter has not moved,
  // to notice writers that do not raise it (an older wifgate, the sqlite3 shell).
  std::chrono::milliseconds version_recheck{1000};
};

// Parses "normal" or "full" (the [registry] login_history_sync setting).
std::optional<LoginHistorySync> ParseLoginHistorySync(std::string_view text);

// The newest schema version this build knows.
int SqliteSchemaVersion();

// Opens (creating the directory and database when missing) and migrates the store in
// `data_dir`. A database written by a newer wifgate is refused, not downgraded.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& data_dir,
                                               const SqliteStoreOptions& options = {});

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_SQLITE_STORE_H_
