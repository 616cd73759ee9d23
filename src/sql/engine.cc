#include "sql/engine.h"

#include <sqlite3.h>

#include <chrono>
#include <cstring>
#include <set>

#include "common/strings.h"
#include "common/time_format.h"
#include "sql/bind_plan.h"
#include "sql/errors.h"
#include "sql/lexer.h"

namespace wifgate::sql {
namespace {

using Clock = std::chrono::steady_clock;

// What the sandbox callbacks see while one statement runs.
struct Sandbox {
  const std::set<std::string, std::less<>>* view_tables = nullptr;
  Clock::time_point deadline;
  bool timed_out = false;
};

int Authorize(void* arg, int action, const char* a1, const char* a2, const char*, const char*) {
  const auto* sandbox = static_cast<const Sandbox*>(arg);
  auto is_view = [&](const char* table) {
    return table != nullptr && sandbox->view_tables->count(AsciiLower(table)) > 0;
  };
  switch (action) {
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
    case SQLITE_PRAGMA:
    case SQLITE_CREATE_VTABLE:
    case SQLITE_DROP_VTABLE:
      return SQLITE_DENY;
    case SQLITE_FUNCTION: {
      static constexpr const char* kRefused[] = {"load_extension", "readfile", "writefile",
                                                 "fts3_tokenizer", "edit"};
      for (const char* f : kRefused) {
        if (a2 != nullptr && strcasecmp(a2, f) == 0) return SQLITE_DENY;
      }
      return SQLITE_OK;
    }
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TABLE:
    case SQLITE_ALTER_TABLE:
    case SQLITE_CREATE_TEMP_INDEX:
    case SQLITE_CREATE_TEMP_TRIGGER:
      return is_view(action == SQLITE_ALTER_TABLE ? a2 : a1) ? SQLITE_DENY : SQLITE_OK;
    default:
      return SQLITE_OK;
  }
}

// The progress handler runs every this many VM steps.
constexpr int kProgressPeriod = 1000;

int Progress(void* arg) {
  auto* sandbox = static_cast<Sandbox*>(arg);
  if (Clock::now() < sandbox->deadline) return 0;
  sandbox->timed_out = true;
  return 1;
}

// CURRENT_USER(), CURRENT_ROLE(), … answer from the running statement's session.
void SessionFunction(sqlite3_context* ctx, int, sqlite3_value**) {
  const auto* binding = static_cast<const Engine::FunctionBinding*>(sqlite3_user_data(ctx));
  const SessionContext* context = *binding->context;
  const std::string* value = context == nullptr ? nullptr : &(context->*(binding->field));
  if (value == nullptr || value->empty()) {
    sqlite3_result_null(ctx);
    return;
  }
  sqlite3_result_text64(ctx, value->data(), value->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

struct SessionFunctionSpec {
  const char* name;
  std::string SessionContext::*field;
};
constexpr SessionFunctionSpec kSessionFunctions[] = {
    {"CURRENT_USER", &SessionContext::user},
    {"CURRENT_ROLE", &SessionContext::role},
    {"CURRENT_ACCOUNT", &SessionContext::account},
    {"CURRENT_DATABASE", &SessionContext::database},
    {"CURRENT_SCHEMA", &SessionContext::schema},
    {"CURRENT_WAREHOUSE", &SessionContext::warehouse},
    {"CURRENT_SESSION", &SessionContext::session},
    {"CURRENT_CLIENT", &SessionContext::client},
    {"CURRENT_VERSION", &SessionContext::version},
};
static_assert(std::size(kSessionFunctions) == Engine::kSessionFunctionCount);

std::string DeclaredType(ColumnType t) {
  switch (t) {
    case ColumnType::kFixed:
      return "INTEGER";
    case ColumnType::kReal:
      return "REAL";
    default:
      return std::string(ColumnTypeName(t));
  }
}

// Views keep timestamps as 'YYYY-MM-DD HH:MM:SS' text so that SQLite's date functions and
// string comparisons work on them; results convert them back to Unix seconds.
std::string SqlTimestamp(int64_t unix_seconds) {
  std::string s = FormatRfc3339(FromUnixSeconds(unix_seconds));  // 2015-08-30T12:36:00Z
  s[10] = ' ';
  s.pop_back();
  return s;
}

Cell ReadCell(sqlite3_stmt* stmt, int col, ColumnType type) {
  int storage = sqlite3_column_type(stmt, col);
  if (storage == SQLITE_NULL) return std::monostate();
  switch (type) {
    case ColumnType::kBoolean:
      return sqlite3_column_int64(stmt, col) != 0;
    case ColumnType::kFixed:
      if (storage == SQLITE_INTEGER) return static_cast<int64_t>(sqlite3_column_int64(stmt, col));
      break;
    case ColumnType::kReal:
      if (storage != SQLITE_TEXT && storage != SQLITE_BLOB) return sqlite3_column_double(stmt, col);
      break;
    case ColumnType::kTimestampLtz: {
      if (storage == SQLITE_INTEGER) return static_cast<int64_t>(sqlite3_column_int64(stmt, col));
      std::string text(reinterpret_cast<const char*>(sqlite3_column_text(stmt, col)),
                       sqlite3_column_bytes(stmt, col));
      std::string iso = text;
      if (iso.size() == 19 && iso[10] == ' ') iso[10] = 'T';
      auto t = ParseRfc3339(iso + "Z");
      if (t) return static_cast<int64_t>(ToUnixSeconds(*t));
      return text;
    }
    default:
      break;
  }
  if (storage == SQLITE_INTEGER) return static_cast<int64_t>(sqlite3_column_int64(stmt, col));
  if (storage == SQLITE_FLOAT) return sqlite3_column_double(stmt, col);
  const auto* p = sqlite3_column_blob(stmt, col);
  int n = sqlite3_column_bytes(stmt, col);
  return std::string(p == nullptr ? "" : static_cast<const char*>(p), n);
}

ColumnType TypeFromDeclared(const char* decl) {
  if (decl == nullptr) return ColumnType::kText;
  std::string d = AsciiUpper(decl);
  if (d == "TIMESTAMP_LTZ" || d == "TIMESTAMP" || d == "DATETIME") return ColumnType::kTimestampLtz;
  if (d == "BOOLEAN") return ColumnType::kBoolean;
  if (d == "OBJECT" || d == "VARIANT") return ColumnType::kObject;
  if (d == "ARRAY") return ColumnType::kArray;
  if (d.find("INT") != std::string::npos || d == "NUMBER") return ColumnType::kFixed;
  if (d == "REAL" || d == "FLOAT" || d == "DOUBLE") return ColumnType::kReal;
  return ColumnType::kText;
}

// The refusal of a statement whose first word the sandbox refuses outright; OK otherwise.
Status RefusedStatement(std::string_view sql) {
  auto tokens = Lex(sql);
  if (!tokens.ok() || tokens->empty()) return Status::Ok();
  const Token& first = tokens->front();
  for (auto w : {"VACUUM", "ATTACH", "DETACH", "PRAGMA"}) {
    if (first.IsWord(w)) {
      return SqlError(kUnsupported, std::string(w) +
                                        " is not allowed: statements run in a sandbox that "
                                        "cannot reach other database files or settings.");
    }
  }
  // A savepoint opens a transaction on the connection every session shares.
  for (auto w : {"SAVEPOINT", "RELEASE"}) {
    if (first.IsWord(w)) {
      return SqlError(kUnsupported, std::string(w) +
                                        " is not supported: every statement commits on its "
                                        "own, so there is no transaction to mark.");
    }
  }
  return Status::Ok();
}

// The SQL error for a failed prepare or step.
Status FailureOf(sqlite3* db, int rc, const Sandbox& sandbox, const SessionContext& context) {
  if (sandbox.timed_out) {
    return SqlError(kTimeout, "Statement reached its statement timeout of " +
                                  std::to_string(context.statement_timeout.count()) +
                                  " ms and was canceled.");
  }
  // The authorizer's refusals surface as SQLITE_AUTH or as SQLITE_ERROR "not authorized…".
  if ((rc & 0xff) == SQLITE_AUTH || std::strncmp(sqlite3_errmsg(db), "not authorized", 14) == 0) {
    return SqlError(kInsufficientPrivileges,
                    "SQL access control error:\nthe statement uses an operation the sandbox "
                    "refuses (ATTACH, DETACH, PRAGMA, virtual tables, extension functions, or "
                    "writes to an ACCOUNT_USAGE view): " +
                        std::string(sqlite3_errmsg(db)));
  }
  return SqlError(kExecutionError, sqlite3_errmsg(db));
}

// Steps the statement once per row of values; the rows changed.
Result<int64_t> StepEachRow(sqlite3* db, sqlite3_stmt* stmt, const BindPlan& plan,
                            const Binds& binds, const Sandbox& sandbox,
                            const SessionContext& context) {
  int64_t changed = 0;
  for (size_t r = 0; r < binds.rows.size(); ++r) {
    sqlite3_reset(stmt);
    WIFGATE_RETURN_IF_ERROR(plan.BindRow(db, stmt, binds.rows[r]));
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE && sandbox.timed_out) return FailureOf(db, rc, sandbox, context);
    if (rc != SQLITE_DONE) {
      return SqlError(kExecutionError, "Array bind row " + std::to_string(r + 1) + " of " +
                                           std::to_string(binds.rows.size()) +
                                           " failed, so no row was applied: " + sqlite3_errmsg(db));
    }
    changed += sqlite3_changes(db);
  }
  return changed;
}

// Array binds: the statement once per row of values, all rows in one transaction. BEGIN,
// COMMIT and ROLLBACK run without the progress handler: past the deadline it interrupts
// any statement, and an interrupted COMMIT may already be applied (SQLite calls the
// handler once more as the statement returns), while an interrupted ROLLBACK would leave
// the connection inside the transaction.
Result<ResultSet> RunEachRow(registry::SqliteDb& db, sqlite3_stmt* stmt, const BindPlan& plan,
                             const Binds& binds, Sandbox& sandbox, const SessionContext& context) {
  sqlite3* raw = db.get();
  sqlite3_progress_handler(raw, 0, nullptr, nullptr);
  WIFGATE_ASSIGN_OR_RETURN(auto transaction, registry::SqliteTransaction::Begin(db, "IMMEDIATE"));
  sqlite3_progress_handler(raw, kProgressPeriod, Progress, &sandbox);
  Result<int64_t> changed = StepEachRow(raw, stmt, plan, binds, sandbox, context);
  sqlite3_progress_handler(raw, 0, nullptr, nullptr);
  if (!changed.ok()) return changed.status();  // `transaction` rolls back
  WIFGATE_RETURN_IF_ERROR(transaction->Commit());
  return ResultSet::Status("Statement executed successfully. " + std::to_string(*changed) +
                           " row(s) affected.");
}

// The statement's result columns, typed by their declared types (TEXT for expressions).
ResultSet ColumnsOf(sqlite3_stmt* stmt) {
  ResultSet rs;
  for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
    rs.columns.push_back({AsciiUpper(sqlite3_column_name(stmt, i)),
                          TypeFromDeclared(sqlite3_column_decltype(stmt, i))});
  }
  return rs;
}

}  // namespace

ResultSet StatusColumns() {
  ResultSet rs = ResultSet::Status("");
  rs.rows.clear();
  return rs;
}

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& path,
                                             const EngineOptions& options) {
  WIFGATE_ASSIGN_OR_RETURN(auto db, registry::SqliteDb::Open(path, /*create=*/true));
  sqlite3* raw = db.get();
  sqlite3_db_config(raw, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_limit(raw, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit(raw, SQLITE_LIMIT_SQL_LENGTH, options.max_sql_length);
  sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, options.max_value_length);
  sqlite3_limit(raw, SQLITE_LIMIT_VARIABLE_NUMBER, static_cast<int>(kMaxBindVariables));
  WIFGATE_RETURN_IF_ERROR(db.Exec("PRAGMA busy_timeout = 10000"));
  if (path != ":memory:") WIFGATE_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode = WAL"));
  WIFGATE_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size = -16384"));  // 16 MiB page cache
  std::unique_ptr<Engine> engine(new Engine(std::move(db), options));
  for (size_t i = 0; i < std::size(kSessionFunctions); ++i) {
    engine->bindings_[i] = FunctionBinding{&engine->current_, kSessionFunctions[i].field};
    int rc = sqlite3_create_function_v2(raw, kSessionFunctions[i].name, 0,
                                        SQLITE_UTF8 | SQLITE_DIRECTONLY, &engine->bindings_[i],
                                        SessionFunction, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return engine->db_.Error("registering session functions");
  }
  return engine;
}

Status Engine::Materialise(const ViewTable& view) {
  std::string create = "CREATE TEMP TABLE \"" + view.name + "\" (";
  std::string insert = "INSERT INTO temp.\"" + view.name + "\" VALUES (";
  for (size_t i = 0; i < view.data.columns.size(); ++i) {
    const Column& c = view.data.columns[i];
    create += (i ? ", \"" : "\"") + c.name + "\" " + DeclaredType(c.type);
    insert += i ? ", ?" : "?";
  }
  WIFGATE_RETURN_IF_ERROR(db_.Exec(create + ")"));
  WIFGATE_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(insert + ")"));
  for (const auto& row : view.data.rows) {
    stmt.Reset();
    for (size_t i = 0; i < row.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      const Cell& cell = row[i];
      if (const auto* n = std::get_if<int64_t>(&cell)) {
        if (view.data.columns[i].type == ColumnType::kTimestampLtz) {
          stmt.Bind(idx, SqlTimestamp(*n));
        } else {
          stmt.Bind(idx, *n);
        }
      } else if (const auto* b = std::get_if<bool>(&cell)) {
        stmt.Bind(idx, int64_t{*b});
      } else if (const auto* d = std::get_if<double>(&cell)) {
        sqlite3_bind_double(stmt.get(), idx, *d);
      } else if (const auto* s = std::get_if<std::string>(&cell)) {
        stmt.Bind(idx, *s);
      } else {
        stmt.Bind(idx, std::optional<int64_t>());
      }
    }
    WIFGATE_RETURN_IF_ERROR(stmt.Run());
  }
  return Status::Ok();
}

Result<ResultSet> Engine::Run(std::string_view sql, const SessionContext& context,
                              const std::vector<ViewTable>& views, const Binds& binds) {
  return RunLocked(sql, context, views, binds, Mode::kRun);
}

Result<ResultSet> Engine::Describe(std::string_view sql, const SessionContext& context,
                                   const std::vector<ViewTable>& views) {
  return RunLocked(sql, context, views, Binds(), Mode::kDescribe);
}

Result<ResultSet> Engine::RunLocked(std::string_view sql, const SessionContext& context,
                                    const std::vector<ViewTable>& views, const Binds& binds,
                                    Mode mode) {
  WIFGATE_RETURN_IF_ERROR(RefusedStatement(sql));
  std::lock_guard lock(mu_);
  Status status;
  for (const auto& v : views) {
    status = Materialise(v);
    if (!status.ok()) break;
  }
  Result<ResultSet> result =
      status.ok() ? RunSandboxed(sql, context, views, binds, mode) : Result<ResultSet>(status);
  // Sessions share this connection, so a statement that leaves a transaction open (BEGIN,
  // or anything that slips past RefusedStatement) would hold every later session's writes
  // in it, uncommitted. Undo it before the views are dropped, which must not be undone.
  if (sqlite3_get_autocommit(db_.get()) == 0) {
    (void)db_.Exec("ROLLBACK");
    result = SqlError(kUnsupported,
                      "The statement left a transaction open, so it was rolled back: every "
                      "statement commits on its own, and BEGIN, COMMIT and ROLLBACK are not "
                      "supported here.");
  }
  for (const auto& v : views) (void)db_.Exec("DROP TABLE IF EXISTS temp.\"" + v.name + "\"");
  return result;
}

Result<ResultSet> Engine::RunSandboxed(std::string_view sql, const SessionContext& context,
                                       const std::vector<ViewTable>& views, const Binds& binds,
                                       Mode mode) {
  std::set<std::string, std::less<>> view_names;
  for (const auto& v : views) view_names.insert(AsciiLower(v.name));
  Sandbox sandbox;
  sandbox.view_tables = &view_names;
  sandbox.deadline = Clock::now() + context.statement_timeout;
  sqlite3* raw = db_.get();
  current_ = &context;
  struct Guard {
    sqlite3* db;
    const SessionContext** current;
    ~Guard() {
      *current = nullptr;
      sqlite3_set_authorizer(db, nullptr, nullptr);
      sqlite3_progress_handler(db, 0, nullptr, nullptr);
    }
  } guard{raw, &current_};
  sqlite3_set_authorizer(raw, Authorize, &sandbox);
  sqlite3_progress_handler(raw, kProgressPeriod, Progress, &sandbox);

  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(raw, sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(stmt, sqlite3_finalize);
  if (rc != SQLITE_OK) return FailureOf(raw, rc, sandbox, context);
  if (stmt == nullptr) return SqlError(kSyntaxError, "empty SQL statement.");
  auto rest = Lex(std::string_view(tail, sql.data() + sql.size() - tail));
  if (rest.ok() && !(rest->size() == 1 || (rest->size() == 2 && (*rest)[0].IsSymbol(";")))) {
    return SqlError(kUnsupported,
                    "Actual statement count 2 did not match the desired statement count 1; "
                    "send one statement at a time.");
  }
  int ncols = sqlite3_column_count(stmt);
  if (mode == Mode::kDescribe) return ncols == 0 ? StatusColumns() : ColumnsOf(stmt);
  WIFGATE_ASSIGN_OR_RETURN(BindPlan plan, BindPlan::Make(stmt, binds));
  if (binds.array) {
    if (ncols > 0) {
      return SqlError(kBindVariable,
                      "Array binds run a statement once per row, so they work only with "
                      "statements that return no rows (INSERT, UPDATE, DELETE); this one "
                      "returns columns.");
    }
    return RunEachRow(db_, stmt, plan, binds, sandbox, context);
  }
  ResultSet rs = ColumnsOf(stmt);
  bool has_expressions = false;
  for (int i = 0; i < ncols; ++i) {
    has_expressions = has_expressions || sqlite3_column_decltype(stmt, i) == nullptr;
  }
  std::vector<std::optional<ColumnType>> marker_types;
  if (!binds.empty()) {
    WIFGATE_RETURN_IF_ERROR(plan.BindRow(raw, stmt, binds.rows.front()));
  }
  if (!binds.empty() && has_expressions) {  // only expression columns can be bare markers
    std::string_view prepared(sql.data(), static_cast<size_t>(tail - sql.data()));
    marker_types = plan.MarkerColumnTypes(raw, prepared, ncols, binds.rows.front());
    for (int i = 0; i < ncols; ++i) {
      if (sqlite3_column_decltype(stmt, i) != nullptr) marker_types[i].reset();
    }
  }
  size_t bytes = 0;
  bool typed = false;
  while (true) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return FailureOf(raw, rc, sandbox, context);
    if (!typed) {  // expressions have no declared type: take the first row's
      for (int i = 0; i < ncols; ++i) {
        if (sqlite3_column_decltype(stmt, i) != nullptr) continue;
        int t = sqlite3_column_type(stmt, i);
        rs.columns[i].type = t == SQLITE_INTEGER ? ColumnType::kFixed
                             : t == SQLITE_FLOAT ? ColumnType::kReal
                                                 : ColumnType::kText;
      }
      typed = true;
    }
    auto& row = rs.rows.emplace_back();
    for (int i = 0; i < ncols; ++i) {
      row.push_back(ReadCell(stmt, i, rs.columns[i].type));
      bytes += static_cast<size_t>(sqlite3_column_bytes(stmt, i)) + 8;
    }
    if (rs.rows.size() > options_.max_rows || bytes > options_.max_result_bytes) {
      return SqlError(kLimitExceeded, "the result exceeds " + std::to_string(options_.max_rows) +
                                          " rows or " +
                                          std::to_string(options_.max_result_bytes >> 20) +
                                          " MiB; add a LIMIT or a WHERE clause.");
    }
  }
  if (ncols == 0) {
    return ResultSet::Status("Statement executed successfully. " +
                             std::to_string(sqlite3_changes(raw)) + " row(s) affected.");
  }
  ApplyMarkerTypes(rs, marker_types);
  return rs;
}

}  // namespace wifgate::sql
