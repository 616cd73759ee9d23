// Policy: whether a resolved principal may log in through workload identity federation.
//
// Checked in order, first failure wins: the user is disabled; the identity is disabled; the
// user is a PERSON (only SERVICE and LEGACY_SERVICE users may use WIF); the token audience is
// not one the identity accepts (OIDC_AUDIENCE_LIST, default snowflakecomputing.com); the
// effective authentication policy (the user's, else the account's) does not allow the
// method WORKLOAD_IDENTITY, the provider, the AWS account, or the Azure/OIDC issuer.
#ifndef WIFGATE_REGISTRY_POLICY_H_
#define WIFGATE_REGISTRY_POLICY_H_

#include "registry/resolver.h"

namespace wifgate::registry {

inline constexpr std::string_view kDefaultAudience = "snowflakecomputing.com";

// The policy that applies to `user`: its own, else the account's; null when neither is set.
const AuthenticationPolicy* EffectivePolicy(const RegistryState& state, const User& user);

// OK, or kPermissionDenied with a reason such as "registry.user_disabled",
// "registry.identity_disabled", "registry.person_user", "registry.audience_not_allowed",
// "registry.policy_method", "registry.policy_provider", "registry.policy_aws_account",
// "registry.policy_azure_issuer", "registry.policy_oidc_issuer".
Status CheckWorkloadLogin(const Principal& principal, const verify::VerifiedIdentity& identity);

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_POLICY_H_
