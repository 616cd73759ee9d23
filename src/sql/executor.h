// Executor: runs one SQL statement for a session and returns its ResultSet.
//
// Admin statements (users, workload identities, roles, grants, authentication policies)
// are checked against the session's role, applied to the registry in one transaction (a
// failing statement changes nothing), and answered from the live registry. Everything else
// goes to the sandboxed Engine; SNOWFLAKE.ACCOUNT_USAGE.{CREDENTIALS, LOGIN_HISTORY, USERS}
// in such a query are materialised from the live registry for that statement, for roles
// allowed to see them (ACCOUNTADMIN).
#ifndef WIFGATE_SQL_EXECUTOR_H_
#define WIFGATE_SQL_EXECUTOR_H_

#include <string_view>

#include "registry/snapshot.h"
#include "sql/binds.h"
#include "sql/engine.h"
#include "sql/result_set.h"
#include "sql/session_context.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::sql {

class Executor {
 public:
  Executor(registry::Registry& registry, Engine& engine, Env& env)
      : registry_(registry), engine_(engine), env_(env) {}

  // Failures are SqlErrors (sql/errors.h): a Snowflake code and a message saying what to fix.
  // `binds` are for queries and DML only: admin statements refuse them, since their values
  // become registry identifiers and properties that the parser must see as literals.
  Result<ResultSet> Execute(const SessionContext& context, std::string_view sql,
                            const Binds& binds = Binds());

  // The statement's result columns, with no rows, and no side effect: a query is only
  // prepared (Engine::Describe); DESCRIBE and SHOW run, as they change nothing, and drop
  // their rows; other admin statements are parsed but not run, and answer the status
  // column.
  Result<ResultSet> Describe(const SessionContext& context, std::string_view sql);

 private:
  Result<ResultSet> RunQuery(const SessionContext& context, std::string_view sql,
                             const Binds& binds, bool describe_only);

  registry::Registry& registry_;
  Engine& engine_;
  Env& env_;
};

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_EXECUTOR_H_
