#include "sql/executor.h"

#include <algorithm>

#include "common/strings.h"
#include "sql/account_usage.h"
#include "sql/admin_statements.h"
#include "sql/errors.h"
#include "sql/lexer.h"
#include "sql/parser.h"

namespace wifgate::sql {
namespace {

constexpr std::string_view kUserAdminRoles[] = {"ACCOUNTADMIN", "SECURITYADMIN", "USERADMIN"};
constexpr std::string_view kSecurityAdminRoles[] = {"ACCOUNTADMIN", "SECURITYADMIN"};
constexpr std::string_view kAccountAdminRoles[] = {"ACCOUNTADMIN"};

template <size_t N>
Status Require(const SessionContext& s, const std::string_view (&roles)[N], std::string_view what) {
  if (std::find(std::begin(roles), std::end(roles), s.role) != std::end(roles)) {
    return Status::Ok();
  }
  std::vector<std::string> names(std::begin(roles), std::end(roles));
  return SqlError(kInsufficientPrivileges,
                  "SQL access control error:\nInsufficient privileges to " + std::string(what) +
                      " with role " + (s.role.empty() ? "(none)" : s.role) + "; use one of " +
                      Join(names, ", ") + ".");
}

bool IsSelf(const SessionContext& s, const std::optional<std::string>& user) {
  return !s.user.empty() && (!user || *user == s.user);
}

// A reference SNOWFLAKE.ACCOUNT_USAGE.<VIEW> in a query: where it is and which view.
struct ViewReference {
  size_t begin = 0, end = 0;
  std::string view;
};

std::string TempTableName(std::string_view view) { return "account_usage_" + AsciiLower(view); }

}  // namespace

Result<ResultSet> Executor::Execute(const SessionContext& context, std::string_view sql,
                                    const Binds& binds) {
  Result<Statement> parsed = Parse(sql);
  // The parser fails only on an empty statement, on text that does not lex, and on admin
  // statements (anything else is a Query): so a failure on non-empty text that lexes is
  // an admin statement that did not parse, likely at its first marker.
  auto tokens = parsed.ok() ? Result<std::vector<Token>>(std::vector<Token>{}) : Lex(sql);
  bool admin_statement =
      parsed.ok() ? !std::holds_alternative<Query>(*parsed) : tokens.ok() && tokens->size() > 1;
  if (!binds.empty() && admin_statement) {
    return SqlError(kUnsupported,
                    "Bind variables are not supported in admin statements (CREATE, ALTER, "
                    "DROP, DESCRIBE, SHOW, GRANT and REVOKE on users, roles, workload "
                    "identities and authentication policies); write the values into the "
                    "statement as literals.");
  }
  WIFGATE_ASSIGN_OR_RETURN(Statement stmt, std::move(parsed));
  AdminContext admin{registry_, env_, context};
  return std::visit(
      [&](auto& s) -> Result<ResultSet> {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, Query>) {
          return RunQuery(context, s.text, binds, /*describe_only=*/false);
        } else if constexpr (std::is_same_v<T, CreateUser>) {
          WIFGATE_RETURN_IF_ERROR(Require(context, kUserAdminRoles, "create users"));
          return RunCreateUser(admin, s);
        } else if constexpr (std::is_same_v<T, AlterUser>) {
          bool policy = s.action == AlterUser::Action::kSetPolicy ||
                        s.action == AlterUser::Action::kUnsetPolicy;
          if (policy) {
            WIFGATE_RETURN_IF_ERROR(
                Require(context, kSecurityAdminRoles, "set authentication policies on users"));
          } else {
            WIFGATE_RETURN_IF_ERROR(Require(context, kUserAdminRoles, "alter users"));
          }
          return RunAlterUser(admin, s);
        } else if constexpr (std::is_same_v<T, CreateRole> || std::is_same_v<T, GrantRole>) {
          WIFGATE_RETURN_IF_ERROR(Require(context, kUserAdminRoles, "manage roles"));
          if constexpr (std::is_same_v<T, GrantRole>) {
            if (s.role == "ACCOUNTADMIN") {
              WIFGATE_RETURN_IF_ERROR(
                  Require(context, kAccountAdminRoles, "grant or revoke ACCOUNTADMIN"));
            } else if (s.role == "SECURITYADMIN") {
              WIFGATE_RETURN_IF_ERROR(
                  Require(context, kSecurityAdminRoles, "grant or revoke SECURITYADMIN"));
            }
            return RunGrant(admin, s);
          } else {
            return RunCreateRole(admin, s);
          }
        } else if constexpr (std::is_same_v<T, CreatePolicy> || std::is_same_v<T, AlterPolicy>) {
          WIFGATE_RETURN_IF_ERROR(
              Require(context, kSecurityAdminRoles, "manage authentication policies"));
          if constexpr (std::is_same_v<T, CreatePolicy>) {
            return RunCreatePolicy(admin, s);
          } else {
            return RunAlterPolicy(admin, s);
          }
        } else if constexpr (std::is_same_v<T, AlterAccount>) {
          WIFGATE_RETURN_IF_ERROR(Require(context, kAccountAdminRoles, "alter the account"));
          return RunAlterAccount(admin, s);
        } else if constexpr (std::is_same_v<T, DropObject>) {
          if (s.kind == ObjectKind::kAuthenticationPolicy) {
            WIFGATE_RETURN_IF_ERROR(
                Require(context, kSecurityAdminRoles, "drop authentication policies"));
          } else {
            WIFGATE_RETURN_IF_ERROR(Require(context, kUserAdminRoles, "drop users or roles"));
          }
          return RunDrop(admin, s);
        } else if constexpr (std::is_same_v<T, DescribeObject>) {
          if (!(s.kind == ObjectKind::kUser && IsSelf(context, s.name))) {
            WIFGATE_RETURN_IF_ERROR(Require(context, kUserAdminRoles, "describe this object"));
          }
          return RunDescribe(admin, s);
        } else if constexpr (std::is_same_v<T, ShowWorkloadIdentities>) {
          if (!IsSelf(context, s.user)) {
            WIFGATE_RETURN_IF_ERROR(
                Require(context, kUserAdminRoles, "show another user's workload identities"));
          }
          return RunShowIdentities(admin, s);
        } else if constexpr (std::is_same_v<T, ShowGrantsToUser>) {
          if (!IsSelf(context, s.user)) {
            WIFGATE_RETURN_IF_ERROR(Require(context, kUserAdminRoles, "show grants to a user"));
          }
          return RunShowGrants(admin, s);
        } else {
          static_assert(std::is_same_v<T, ShowObjects>);
          WIFGATE_RETURN_IF_ERROR(Require(context, kUserAdminRoles, "list account objects"));
          return RunShow(admin, s);
        }
      },
      stmt);
}

Result<ResultSet> Executor::Describe(const SessionContext& context, std::string_view sql) {
  WIFGATE_ASSIGN_OR_RETURN(Statement stmt, Parse(sql));
  if (const auto* query = std::get_if<Query>(&stmt)) {
    return RunQuery(context, query->text, Binds(), /*describe_only=*/true);
  }
  bool read_only = std::holds_alternative<DescribeObject>(stmt) ||
                   std::holds_alternative<ShowObjects>(stmt) ||
                   std::holds_alternative<ShowWorkloadIdentities>(stmt) ||
                   std::holds_alternative<ShowGrantsToUser>(stmt);
  if (!read_only) return StatusColumns();
  WIFGATE_ASSIGN_OR_RETURN(ResultSet rs, Execute(context, sql));
  rs.rows.clear();
  return rs;
}

// Replaces each SNOWFLAKE.ACCOUNT_USAGE.<VIEW> with a temp table materialised from the live
// registry for this statement, after checking the role may read the views.
Result<ResultSet> Executor::RunQuery(const SessionContext& context, std::string_view sql,
                                     const Binds& binds, bool describe_only) {
  auto run = [&](std::string_view text, const std::vector<ViewTable>& views) {
    return describe_only ? engine_.Describe(text, context, views)
                         : engine_.Run(text, context, views, binds);
  };
  WIFGATE_ASSIGN_OR_RETURN(auto tokens, Lex(sql));
  std::vector<ViewReference> refs;
  for (size_t i = 0; i + 4 < tokens.size(); ++i) {
    auto word = [&](size_t k, std::string_view w) {
      return tokens[k].IsIdentifier() && AsciiUpper(tokens[k].text) == w;
    };
    if (word(i, "SNOWFLAKE") && tokens[i + 1].IsSymbol(".") && word(i + 2, "ACCOUNT_USAGE") &&
        tokens[i + 3].IsSymbol(".") && tokens[i + 4].IsIdentifier()) {
      refs.push_back({tokens[i].offset, tokens[i + 4].offset + tokens[i + 4].length,
                      AsciiUpper(tokens[i + 4].text)});
      i += 4;
    }
  }
  if (refs.empty()) return run(sql, {});

  for (const auto& r : refs) {
    bool known = std::find(std::begin(kAccountUsageViews), std::end(kAccountUsageViews), r.view) !=
                 std::end(kAccountUsageViews);
    if (!known || context.role != "ACCOUNTADMIN") {
      return SqlError(kDoesNotExist,
                      "Object 'SNOWFLAKE.ACCOUNT_USAGE." + r.view +
                          "' does not exist or not authorized." +
                          (known ? " The ACCOUNT_USAGE views need role ACCOUNTADMIN."
                                 : " Views available: CREDENTIALS, LOGIN_HISTORY, USERS."));
    }
  }
  WIFGATE_ASSIGN_OR_RETURN(auto state, registry_.store().Load());
  std::vector<registry::LoginEvent> history;
  bool needs_history = std::any_of(
      refs.begin(), refs.end(), [](const ViewReference& r) { return r.view == "LOGIN_HISTORY"; });
  if (needs_history) {
    WIFGATE_ASSIGN_OR_RETURN(history, registry_.store().LoginHistory());
  }
  std::vector<ViewTable> views;
  std::string rewritten;
  size_t last = 0;
  for (const auto& r : refs) {
    rewritten += std::string(sql.substr(last, r.begin - last));
    rewritten += "temp." + TempTableName(r.view);
    last = r.end;
    bool have = std::any_of(views.begin(), views.end(),
                            [&](const ViewTable& v) { return v.name == TempTableName(r.view); });
    if (!have) views.push_back({TempTableName(r.view), *AccountUsageView(r.view, state, history)});
  }
  rewritten += std::string(sql.substr(last));
  return run(rewritten, views);
}

}  // namespace wifgate::sql
