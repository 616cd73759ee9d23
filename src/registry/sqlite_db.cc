#include "registry/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace wifgate::registry {
namespace {

Status ErrorFor(sqlite3* db, int rc, std::string_view what) {
  int primary = rc & 0xff;
  Code code = (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) ? Code::kUnavailable
              : primary == SQLITE_CONSTRAINT                       ? Code::kAlreadyExists
                                                                   : Code::kInternal;
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Status(code, primary == SQLITE_CONSTRAINT ? "registry.constraint" : "registry.sqlite",
                std::string(what) + ": " + detail);
}

}  // namespace

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)) {}

SqliteStatement::~SqliteStatement() {
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  Reset();
  *in_use_ = false;
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
SqliteStatement& SqliteStatement::Bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
SqliteStatement& SqliteStatement::Bind(int index, const std::optional<int64_t>& value) {
  if (value) return Bind(index, *value);
  sqlite3_bind_null(stmt_, index);
  return *this;
}
SqliteStatement& SqliteStatement::Bind(int index, const std::optional<std::string>& value) {
  if (value) return Bind(index, std::string_view(*value));
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return ErrorFor(db_, rc, "executing statement");
}

Status SqliteStatement::Run() {
  while (true) {
    WIFGATE_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t SqliteStatement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
std::string SqliteStatement::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), n);
}
bool SqliteStatement::IsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::optional<int64_t> SqliteStatement::OptionalInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}
std::optional<std::string> SqliteStatement::OptionalText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)) {
  other.cache_.clear();
}
SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
    other.cache_.clear();
  }
  return *this;
}
SqliteDb::~SqliteDb() { Close(); }

// Cached statements still lent out would dangle, so none may be: their borrowers live in
// the scope of one call on this connection.
void SqliteDb::Close() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  cache_.clear();
  sqlite3_close_v2(db_);
  db_ = nullptr;
}

Result<SqliteDb> SqliteDb::Open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = ErrorFor(db, rc, "opening " + path);
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  return SqliteDb(db);
}

Status SqliteDb::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ErrorFor(db_, rc, "executing SQL");
  return Status::Ok();
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return ErrorFor(db_, rc, "preparing statement");
  }
  return SqliteStatement(db_, stmt);
}

Result<SqliteStatement> SqliteDb::PrepareCached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return ErrorFor(db_, rc, "preparing statement");
    }
    it = cache_.emplace(std::string(sql), CachedStatement{stmt}).first;
  }
  if (it->second.in_use) return Prepare(sql);
  it->second.in_use = true;
  return SqliteStatement(db_, it->second.stmt, &it->second.in_use);
}

int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

Status SqliteDb::Error(std::string_view what) const {
  return ErrorFor(db_, sqlite3_errcode(db_), what);
}

namespace {

Status RunCached(SqliteDb& db, std::string_view sql) {
  WIFGATE_ASSIGN_OR_RETURN(auto stmt, db.PrepareCached(sql));
  return stmt.Run();
}

}  // namespace

Result<std::unique_ptr<SqliteTransaction>> SqliteTransaction::Begin(SqliteDb& db,
                                                                    std::string_view mode) {
  WIFGATE_RETURN_IF_ERROR(RunCached(db, "BEGIN " + std::string(mode)));
  return std::unique_ptr<SqliteTransaction>(new SqliteTransaction(db));
}

SqliteTransaction::~SqliteTransaction() {
  if (!done_) (void)RunCached(db_, "ROLLBACK");
}

Status SqliteTransaction::Commit() {
  WIFGATE_RETURN_IF_ERROR(RunCached(db_, "COMMIT"));
  done_ = true;
  return Status::Ok();
}

}  // namespace wifgate::registry
