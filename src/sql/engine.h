// Engine: runs ordinary SQL (anything that is not an admin statement) with SQLite on the
// user database — a separate file from the registry, which it never attaches.
//
// The sandbox (DESIGN.md): an authorizer refuses ATTACH, DETACH, every PRAGMA, virtual
// tables and dangerous functions, and writes to the materialised ACCOUNT_USAGE views;
// extension loading is off and the attach limit is 0; VACUUM (which can write a file) is
// refused; each statement has a deadline enforced by a progress handler; result rows and
// bytes, SQL length and value length are bounded. Registry data reaches a query only as
// the view tables the executor passes in, which exist for that one statement.
//
// One Engine is one SQLite connection, used by one statement at a time; temp tables a
// statement creates live as long as the connection, so give each session its own Engine
// when sessions must not see each other's temp tables.
#ifndef WIFGATE_SQL_ENGINE_H_
#define WIFGATE_SQL_ENGINE_H_

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "registry/sqlite_db.h"
#include "sql/binds.h"
#include "sql/result_set.h"
#include "sql/session_context.h"
#include "wifgate/status.h"

namespace wifgate::sql {

struct EngineOptions {
  size_t max_rows = 100000;
  size_t max_result_bytes = 64u << 20;
  int max_sql_length = 1 << 20;
  int max_value_length = 16 << 20;
};

// A table visible to one statement under `name` (a temp table).
struct ViewTable {
  std::string name;
  ResultSet data;
};

// The columns of a statement that returns no rows (one status column), without rows:
// what describing such a statement answers.
ResultSet StatusColumns();

class Engine {
 public:
  // How a session function (CURRENT_USER(), …) finds the running statement's context.
  struct FunctionBinding {
    const SessionContext* const* context = nullptr;
    std::string SessionContext::*field = nullptr;
  };

  // CURRENT_USER(), CURRENT_ROLE(), CURRENT_ACCOUNT(), CURRENT_DATABASE(), CURRENT_SCHEMA(),
  // CURRENT_WAREHOUSE(), CURRENT_SESSION(), CURRENT_CLIENT(), CURRENT_VERSION().
  static constexpr size_t kSessionFunctionCount = 9;

  // `path` is the user database file (":memory:" for tests).
  static Result<std::unique_ptr<Engine>> Open(const std::string& path,
                                              const EngineOptions& options = {});

  // Runs exactly one statement, with `binds` as the values of its markers (every marker
  // needs one); array binds run it once per row in one transaction.
  Result<ResultSet> Run(std::string_view sql, const SessionContext& context,
                        const std::vector<ViewTable>& views, const Binds& binds = Binds());

  // Prepares exactly one statement, in the sandbox, and returns its columns with no rows,
  // without running it; markers need no values. Expression columns read as TEXT, since
  // only a value would tell their type; a statement returning no rows has StatusColumns().
  Result<ResultSet> Describe(std::string_view sql, const SessionContext& context,
                             const std::vector<ViewTable>& views);

 private:
  enum class Mode { kRun, kDescribe };

  Engine(registry::SqliteDb db, EngineOptions options) : db_(std::move(db)), options_(options) {}
  Status Materialise(const ViewTable& view);
  Result<ResultSet> RunLocked(std::string_view sql, const SessionContext& context,
                              const std::vector<ViewTable>& views, const Binds& binds, Mode mode);
  Result<ResultSet> RunSandboxed(std::string_view sql, const SessionContext& context,
                                 const std::vector<ViewTable>& views, const Binds& binds,
                                 Mode mode);

  std::mutex mu_;
  registry::SqliteDb db_;
  EngineOptions options_;
  const SessionContext* current_ = nullptr;  // set while a statement runs
  std::array<FunctionBinding, kSessionFunctionCount> bindings_;
};

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_ENGINE_H_
