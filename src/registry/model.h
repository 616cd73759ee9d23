// The registry's data model: users, their workload identities, roles and grants,
// authentication policies and login events, as plain values.
//
// RegistryState is the whole registry minus login history. The store loads it, the admin
// executor changes a copy of it (registry/catalog.h), and the store writes the difference
// back in one transaction; the resolver reads it through an immutable Snapshot. Plain
// values keep every one of those steps free of the database.
#ifndef WIFGATE_REGISTRY_MODEL_H_
#define WIFGATE_REGISTRY_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verify/verified_identity.h"

namespace wifgate::registry {

enum class UserType { kPerson, kService, kLegacyService };
std::string_view UserTypeName(UserType t);  // "PERSON", "SERVICE", "LEGACY_SERVICE"
std::optional<UserType> ParseUserType(std::string_view name);  // case-insensitive

// The name of the identity set through the WORKLOAD_IDENTITY user property.
inline constexpr std::string_view kDefaultIdentityName = "DEFAULT";
inline constexpr size_t kMaxIdentitiesPerUser = 10;

// One registered workload identity. TYPE, ARN, ISSUER, SUBJECT and the audience list are
// immutable after creation (as in Snowflake); the match key is derived from them.
struct WorkloadIdentity {
  int64_t id = 0;  // 0 until stored; CREDENTIALS.CREDENTIAL_ID afterwards
  std::string name;
  verify::Provider type = verify::Provider::kAws;
  std::string arn;                     // AWS, as registered (path kept)
  std::string issuer;                  // as registered; AZURE/GCP canonicalised
  std::string subject;                 // AZURE, GCP, OIDC
  std::vector<std::string> audiences;  // OIDC_AUDIENCE_LIST
  std::string match_key;               // verify::IdentityKey space; unique in the account
  bool disabled = false;
  std::string comment;
  int64_t created_on = 0;  // Unix seconds
  std::string created_by;
  int64_t last_altered = 0;
  std::string last_altered_by;
  std::optional<int64_t> last_used_on;

  bool operator==(const WorkloadIdentity&) const = default;
};

struct RoleGrant {
  std::string role;
  std::string granted_by;
  int64_t created_on = 0;
  bool operator==(const RoleGrant&) const = default;
};

struct User {
  int64_t id = 0;  // 0 until stored
  std::string name;
  std::string login_name;
  std::string display_name;
  std::string email;
  UserType type = UserType::kPerson;
  std::string default_role;
  bool disabled = false;
  std::string comment;
  std::string password_hash;  // registry/password.h encoding; empty = no password
  std::string rsa_public_key;
  std::string authentication_policy;  // empty = the account's
  std::string owner;
  int64_t created_on = 0;
  int64_t last_altered = 0;
  std::optional<int64_t> last_success_login;
  std::vector<WorkloadIdentity> identities;
  std::vector<RoleGrant> grants;  // PUBLIC is implicit and never stored

  bool operator==(const User&) const = default;
};

struct Role {
  std::string name;
  std::string comment;
  bool system = false;
  std::string owner;
  int64_t created_on = 0;
  bool operator==(const Role&) const = default;
};

inline constexpr std::string_view kSystemRoles[] = {"ACCOUNTADMIN", "SECURITYADMIN", "USERADMIN",
                                                    "SYSADMIN", "PUBLIC"};

struct AuthenticationPolicy {
  int64_t id = 0;
  std::string name;
  std::vector<std::string> authentication_methods;  // empty = ALL
  std::vector<verify::Provider> allowed_providers;  // empty = ALL
  std::vector<std::string> allowed_aws_accounts;    // empty = any
  std::vector<std::string> allowed_azure_issuers;   // canonical; empty = any
  std::vector<std::string> allowed_oidc_issuers;    // empty = any
  std::string comment;
  std::string owner;
  int64_t created_on = 0;
  int64_t last_altered = 0;
  bool operator==(const AuthenticationPolicy&) const = default;
};

struct RegistryState {
  std::vector<User> users;
  std::vector<Role> roles;
  std::vector<AuthenticationPolicy> policies;
  std::string account_authentication_policy;  // empty = none
  uint64_t version = 0;                       // the store's change counter when loaded

  User* FindUser(std::string_view name);
  const User* FindUser(std::string_view name) const;
  Role* FindRole(std::string_view name);
  AuthenticationPolicy* FindPolicy(std::string_view name);
  const AuthenticationPolicy* FindPolicy(std::string_view name) const;
};

// One LOGIN_HISTORY row (Snowflake's columns; see specs/wif.md §1.7).
struct LoginEvent {
  int64_t event_id = 0;  // assigned by the store
  int64_t event_timestamp = 0;
  std::optional<std::string> user_name;  // unset when no user was resolved
  std::string client_ip;
  std::string reported_client_type;
  std::string reported_client_version;
  std::string first_authentication_factor;  // "WORKLOAD_IDENTITY", "PASSWORD", …
  bool is_success = false;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;               // the admin message; never a secret
  std::optional<int64_t> first_authentication_factor_id;  // WorkloadIdentity::id
  std::string login_details;                              // JSON object text, or empty
};

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_MODEL_H_
