// The admin statements' semantics, one function per statement kind, used by the Executor.
// Each validates against the registry state inside the store's write transaction and
// returns Snowflake's answer; privileges are checked by the caller.
#ifndef WIFGATE_SQL_ADMIN_STATEMENTS_H_
#define WIFGATE_SQL_ADMIN_STATEMENTS_H_

#include "registry/snapshot.h"
#include "sql/ast.h"
#include "sql/result_set.h"
#include "sql/session_context.h"
#include "wifgate/env.h"

namespace wifgate::sql {

struct AdminContext {
  registry::Registry& registry;
  Env& env;
  const SessionContext& session;
};

Result<ResultSet> RunCreateUser(AdminContext& ctx, const CreateUser& stmt);
Result<ResultSet> RunAlterUser(AdminContext& ctx, const AlterUser& stmt);
Result<ResultSet> RunCreateRole(AdminContext& ctx, const CreateRole& stmt);
Result<ResultSet> RunCreatePolicy(AdminContext& ctx, const CreatePolicy& stmt);
Result<ResultSet> RunAlterPolicy(AdminContext& ctx, const AlterPolicy& stmt);
Result<ResultSet> RunAlterAccount(AdminContext& ctx, const AlterAccount& stmt);
Result<ResultSet> RunDrop(AdminContext& ctx, const DropObject& stmt);
Result<ResultSet> RunGrant(AdminContext& ctx, const GrantRole& stmt);
Result<ResultSet> RunDescribe(AdminContext& ctx, const DescribeObject& stmt);
Result<ResultSet> RunShow(AdminContext& ctx, const ShowObjects& stmt);
Result<ResultSet> RunShowIdentities(AdminContext& ctx, const ShowWorkloadIdentities& stmt);
Result<ResultSet> RunShowGrants(AdminContext& ctx, const ShowGrantsToUser& stmt);

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_ADMIN_STATEMENTS_H_
