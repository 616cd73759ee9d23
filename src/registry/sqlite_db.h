// A thin RAII layer over the SQLite C API: a connection, prepared statements with typed
// binds and columns, and transactions, with every failure turned into a Status.
//
// Statements on a hot path come from the connection's statement cache (PrepareCached):
// compiled once per connection, then reset and reused, since compiling costs more than
// running a one-row INSERT.
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
#include <unordered_map>

#include "wifgate/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace wifgate::registry {

class SqliteStatement {
 public:
  // Owns and finalises `stmt`.
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
  friend class SqliteDb;
  // Borrows `stmt` from the connection's cache and hands it back, reset and unbound, on
  // destruction; `*in_use` is set for as long as it is borrowed.
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use)
      : db_(db), stmt_(stmt), in_use_(in_use) {}

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_ = nullptr;  // set when borrowed from a cache
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
  // Like Prepare, but compiles `sql` (one statement) once for this connection
  // (SQLITE_PREPARE_PERSISTENT) and lends the compiled statement out; it is reset and its
  // bindings cleared when the returned SqliteStatement goes. Asking again for a statement
  // still lent out gets a one-off copy. Not thread-safe, like everything on a connection.
  Result<SqliteStatement> PrepareCached(std::string_view sql);
  int64_t LastInsertRowId() const;

  // A Status for the connection's last error, with `what` as context.
  Status Error(std::string_view what) const;

  sqlite3* get() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  void Close();

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    // Pointed at by the borrowing SqliteStatement: an unordered_map never moves its nodes.
    bool in_use = false;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, CachedStatement, StringHash, std::equal_to<>> cache_;
};

// Runs BEGIN `mode` now and ROLLBACK on destruction unless Commit() succeeded, so an
// early return can never leave half a change applied. BEGIN, COMMIT and ROLLBACK come from
// the connection's statement cache.
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
