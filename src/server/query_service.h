// QueryService: one query-request, from SQL text to the JSON reply.
//
// Session statements are handled here because they change the session, not the data:
// USE ROLE (only a role granted to the user), USE [DATABASE] / SCHEMA / WAREHOUSE, and
// BEGIN / COMMIT / ROLLBACK, which are accepted as no-ops since every statement commits on
// its own (Python's connector sends COMMIT when a `with` block ends). Everything else goes
// to the SQL executor with the session's context and the request's bind variables
// (sql/binds.h), which these session statements refuse. A describeOnly request runs
// nothing: it answers the statement's columns with no rows.
#ifndef WIFGATE_SERVER_QUERY_SERVICE_H_
#define WIFGATE_SERVER_QUERY_SERVICE_H_

#include <string>

#include "registry/snapshot.h"
#include "server/session_store.h"
#include "server/snowflake_protocol.h"
#include "sql/executor.h"
#include "wifgate/env.h"

namespace wifgate::server {

struct QueryServiceOptions {
  std::string account;
  std::chrono::seconds statement_timeout{600};
};

class QueryService {
 public:
  QueryService(Env& env, registry::Registry& registry, sql::Executor& executor,
               QueryServiceOptions options)
      : env_(env), registry_(registry), executor_(executor), options_(std::move(options)) {}

  // The complete JSON reply (success or failure) for `query` run in `session`.
  std::string Execute(Session& session, const QueryRequest& query);

 private:
  // USE …; nullopt when `sql` is not a USE statement.
  std::optional<Result<sql::ResultSet>> TryUse(Session& session, std::string_view sql);
  // describeOnly: the statement's columns without running it (sql::Executor::Describe);
  // session statements answer the status column and change nothing.
  Result<sql::ResultSet> Describe(Session& session, std::string_view sql);
  sql::SessionContext ContextOf(Session& session) const;
  std::string NewQueryId();

  Env& env_;
  registry::Registry& registry_;
  sql::Executor& executor_;
  QueryServiceOptions options_;
};

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_QUERY_SERVICE_H_
