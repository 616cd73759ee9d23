// A thin RAII layer over the SQLite C API: a connection, prepared statements with typed
// binds and columns, and transactions, with every failure turned into a Status.
//
// Used by the registry store and by the SQL engine (each on its own connection); it knows
// nothing about either's schema.
#ifndef WIFGATE_REGISTRY_SQLITE_DB_H_
#define WIFGATE_REGISTRY_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wifgate/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace wifgate::registry {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, std::string_view value);
  SqliteStatement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  SqliteStatement& Bind(int index, const std::optional<int64_t>& value);
  SqliteStatement& Bind(int index, const std::optional<std::string>& value);

  // Advances; true while a row is available, false when done.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();
  void Reset();

  int64_t Int(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;
  std::optional<std::string> OptionalText(int col) const;

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  SqliteDb() = default;
  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;
  ~SqliteDb();

  // Opens (creating if `create`) the database at `path`; ":memory:" works.
  static Result<SqliteDb> Open(const std::string& path, bool create);

  Status Exec(std::string_view sql);
  Result<SqliteStatement> Prepare(std::string_view sql);
  int64_t LastInsertRowId() const;

  // A Status for the connection's last error, with `what` as context.
  Status Error(std::string_view what) const;

  sqlite3* get() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// Runs BEGIN `mode` now and ROLLBACK on destruction unless Commit() succeeded, so an
// early return can never leave half a change applied.
class SqliteTransaction {
 public:
  static Result<std::unique_ptr<SqliteTransaction>> Begin(SqliteDb& db, std::string_view mode);
  ~SqliteTransaction();
  Status Commit();

 private:
  explicit SqliteTransaction(SqliteDb& db) : db_(db) {}
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_SQLITE_DB_H_
