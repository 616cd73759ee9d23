// How an administrator's WORKLOAD_IDENTITY = ( TYPE = … ) becomes a registered identity:
// which properties each TYPE takes, how each value is validated, and the canonical key the
// identity is matched on (verify/verified_identity.h defines the key space).
//
// Where Snowflake is ambiguous we are strict and say why: an AWS role ARN with a path
// registers the role by name (the path is kept for display, never keyed, because STS
// assumed-role ARNs carry no path); an AWS ISSUER must be an STS outbound issuer; an Azure
// issuer is canonicalised to its tenant; a GCP SUBJECT must be the numeric uniqueId.
#ifndef WIFGATE_REGISTRY_IDENTITY_RULES_H_
#define WIFGATE_REGISTRY_IDENTITY_RULES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/model.h"
#include "wifgate/status.h"

namespace wifgate::registry {

// The provider properties as written in SQL; unset ones were not written.
struct IdentitySpec {
  std::string type;
  std::optional<std::string> arn;
  std::optional<std::string> issuer;
  std::optional<std::string> subject;
  std::optional<std::vector<std::string>> audiences;
};

inline constexpr size_t kMaxIssuerLength = 2048;
inline constexpr size_t kMaxSubjectLength = 255;

// Validates `spec` and returns the identity named `name` with its match key. Failures have
// reasons "registry.identity_invalid" or "registry.aws_issuer_invalid" and messages that
// name the property and show the expected form.
Result<WorkloadIdentity> BuildIdentity(std::string_view name, const IdentitySpec& spec);

// Identity names follow identifier rules; DEFAULT is reserved for WORKLOAD_IDENTITY.
Status ValidateIdentityName(std::string_view name, bool allow_default);

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_IDENTITY_RULES_H_
