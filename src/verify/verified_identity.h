// VerifiedIdentity: what a verifier proved about the caller, and the canonical keys the
// registry matches it on.
//
// This header is the one piece of verify/ that the registry may use (DESIGN.md layering),
// so it holds the type and the pure functions that define identity matching, and nothing
// that touches the network or crypto. Matching is on canonical keys, never on raw strings:
//   - AWS role:  (partition, account, role name case-folded). The IAM path is display-only:
//                STS assumed-role ARNs never carry it, and IAM role names are unique within
//                an account regardless of path and case.
//   - AWS user:  (partition, account, user name case-folded), for the same reason.
//   - JWT:       (canonical issuer, subject), subject compared byte-exactly.
#ifndef WIFGATE_VERIFY_VERIFIED_IDENTITY_H_
#define WIFGATE_VERIFY_VERIFIED_IDENTITY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wifgate/status.h"

namespace wifgate::verify {

enum class Provider { kAws, kGcp, kAzure, kOidc };
std::string_view ProviderName(Provider p);                     // "AWS", "GCP", "AZURE", "OIDC"
std::optional<Provider> ParseProvider(std::string_view name);  // case-insensitive

enum class AwsPrincipalType { kRole, kUser };

struct AwsPrincipal {
  std::string partition;  // "aws", "aws-cn", "aws-us-gov"
  std::string account;    // 12 digits
  AwsPrincipalType type = AwsPrincipalType::kRole;
  std::string name;     // role or user name, as AWS spells it
  std::string path;     // "/" unless known; users only (STS never reports a role's path)
  std::string session;  // assumed-role session name; empty for users
  std::string arn;      // the ARN as the verified source stated it
};

struct JwtSubject {
  std::string issuer;  // canonical form (see CanonicalIssuer)
  std::string subject;
  std::vector<std::string> audiences;
};

struct VerifiedIdentity {
  Provider provider = Provider::kAws;
  std::optional<AwsPrincipal> aws;  // AWS, either method
  std::optional<JwtSubject> jwt;    // GCP, AZURE, OIDC, and AWS outbound tokens (both set)

  // One line for logs, errors and LOGIN_HISTORY: "AWS role arn:aws:sts::1…:assumed-role/R/s".
  std::string Describe() const;
};

// An AWS ARN as an administrator registers it, parsed.
struct ParsedAwsArn {
  enum class Kind { kRole, kUser, kAssumedRole };
  Kind kind = Kind::kRole;
  std::string partition;
  std::string account;
  std::string path;     // "/service-role/" etc.; "/" when none; empty for assumed-role
  std::string name;     // role or user name: the last path segment
  std::string session;  // assumed-role only
};

// Parses arn:<partition>:iam::<account>:role/<path/>name, …:user/<path/>name and
// arn:<partition>:sts::<account>:assumed-role/<name>/<session>. The message of a failure
// says which part is wrong and shows the expected form.
Result<ParsedAwsArn> ParseAwsArn(std::string_view arn);

// Canonical matching keys.
std::string AwsRoleKey(std::string_view partition, std::string_view account,
                       std::string_view role_name);
std::string AwsUserKey(std::string_view partition, std::string_view account,
                       std::string_view user_name);
std::string JwtKey(std::string_view canonical_issuer, std::string_view subject);

// The key of a verified identity: AWS identities by principal, JWT ones by (issuer, subject).
std::string IdentityKey(const VerifiedIdentity& id);

// Canonical issuer for a provider. AZURE: both v1 "https://sts.windows.net/<tenant>/" and v2
// "https://login.microsoftonline.com/<tenant>/v2.0" (trailing slash optional) become the v2
// form with the tenant lower-cased; GCP: "https://accounts.google.com" (also accepted without
// scheme, as Google sometimes issues); others: unchanged. Fails on an Azure issuer that is
// neither form.
Result<std::string> CanonicalIssuer(Provider provider, std::string_view issuer);

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_VERIFIED_IDENTITY_H_
