// The dev STS's world: accounts, IAM users with access keys, and roles with their path and
// trust policy, read from a TOML file (config/dev-sts.toml is the default).
//
//   [[accounts]]
//   id = "111111111111"
//     [[accounts.users]]
//     name = "developer"            # path defaults to "/"
//     access_key_id = "AKIADEVSTS0DEVELOPER"
//     secret_access_key = "…"
//     [[accounts.roles]]
//     name = "my-function-role"
//     path = "/service-role/"
//     trusted_principals = ["arn:aws:iam::111111111111:user/developer"]  # or "*"
//     trusted_issuers = ["dev-sts"]  # AssumeRoleWithWebIdentity; "dev-sts" = own issuers
//
// A trust entry names a user ARN, a role ARN (its assumed-role sessions may assume), an
// account ("111111111111": any principal of it) or "*".
#ifndef WIFGATE_DEV_DEV_STS_CONFIG_H_
#define WIFGATE_DEV_DEV_STS_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

#include "wifgate/status.h"

namespace wifgate::dev {

// An IAM user or role ARN, or an STS assumed-role ARN, split into its parts. (dev/ may not
// use verify/, whose parser is for the server side; this one only reads configuration and
// request parameters of the dev fixture.)
struct DevArn {
  enum class Kind { kUser, kRole, kAssumedRole };
  Kind kind = Kind::kUser;
  std::string account;
  std::string path;     // "/" or "/a/b/"; "" for assumed roles
  std::string name;     // user or role name
  std::string session;  // assumed roles only
};
// Fails with dev_sts.bad_arn.
Result<DevArn> ParseDevArn(std::string_view arn);

struct DevStsUser {
  std::string account;
  std::string name;
  std::string path = "/";
  std::string access_key_id;
  std::string secret_access_key;

  std::string Arn() const;     // arn:aws:iam::ACCT:user/<path>name
  std::string UserId() const;  // "AIDA…", stable per user
};

struct DevStsRole {
  std::string account;
  std::string name;
  std::string path = "/";
  std::vector<std::string> trusted_principals;
  std::vector<std::string> trusted_issuers;

  std::string Arn() const;     // arn:aws:iam::ACCT:role/<path>name
  std::string RoleId() const;  // "AROA…", stable per role
  // Whether `caller_arn` (a user ARN or an assumed-role ARN) may AssumeRole this role.
  bool Trusts(std::string_view caller_arn) const;
};

struct DevStsConfig {
  std::vector<std::string> accounts;
  std::vector<DevStsUser> users;
  std::vector<DevStsRole> roles;

  const DevStsUser* FindUserByKey(std::string_view access_key_id) const;
  // By ARN as IAM spells it, path included or not (STS does the same lookup by name).
  const DevStsRole* FindRole(std::string_view role_arn) const;
  const DevStsRole* FindRoleByName(std::string_view account, std::string_view name) const;
};

// Parses TOML text; `source` names it in error messages. Fails with dev_sts.bad_config.
Result<DevStsConfig> ParseDevStsConfig(std::string_view toml_text, std::string_view source);

}  // namespace wifgate::dev

#endif  // WIFGATE_DEV_DEV_STS_CONFIG_H_
