// The SNOWFLAKE.ACCOUNT_USAGE views over the registry — CREDENTIALS, LOGIN_HISTORY, USERS —
// with Snowflake's column names (specs/wif.md §1.5–1.7), built from the live store for each
// statement that reads them, so there is no lag. Also the per-type identity details that
// SHOW (camelCase additional_info) and CREDENTIALS (snake_case additional_details) show.
#ifndef WIFGATE_SQL_ACCOUNT_USAGE_H_
#define WIFGATE_SQL_ACCOUNT_USAGE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/model.h"
#include "sql/result_set.h"

namespace wifgate::sql {

enum class KeyStyle { kCamelCase, kSnakeCase };

// JSON object text. AWS: partition, account, type (IAM_ROLE|IAM_USER), role/user name, and
// — beyond Snowflake — the ARN and its path; issuer when set. AZURE: issuer, subject. GCP:
// subject. OIDC: issuer, subject, audience list.
std::string IdentityDetails(const registry::WorkloadIdentity& identity, KeyStyle style);

// The view names after SNOWFLAKE.ACCOUNT_USAGE.
inline constexpr std::string_view kAccountUsageViews[] = {"CREDENTIALS", "LOGIN_HISTORY", "USERS"};

// The rows of one view; nullopt for an unknown view name.
std::optional<ResultSet> AccountUsageView(std::string_view view,
                                          const registry::RegistryState& state,
                                          const std::vector<registry::LoginEvent>& history);

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_ACCOUNT_USAGE_H_
