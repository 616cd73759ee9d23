#include "registry/policy.h"

#include <algorithm>

#include "common/strings.h"

namespace wifgate::registry {
namespace {

using verify::Provider;

Status Deny(std::string reason, std::string message, std::string client) {
  return Status(Code::kPermissionDenied, std::move(reason), std::move(message), std::move(client));
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Status CheckPolicy(const AuthenticationPolicy& p, const verify::VerifiedIdentity& id,
                   const User& user) {
  const std::string which =
      "authentication policy " + p.name + " (applying to user " + user.name + ")";
  // The caller is told which rule refused it, in terms of its own identity only.
  auto client = [](std::string what) {
    return "an authentication policy does not allow " + what + " for this user";
  };
  if (!p.authentication_methods.empty() && !Contains(p.authentication_methods, "ALL") &&
      !Contains(p.authentication_methods, "WORKLOAD_IDENTITY")) {
    return Deny("registry.policy_method",
                which + " has AUTHENTICATION_METHODS = (" + Join(p.authentication_methods, ", ") +
                    "), without WORKLOAD_IDENTITY",
                client("workload identity logins"));
  }
  if (!p.allowed_providers.empty() &&
      std::find(p.allowed_providers.begin(), p.allowed_providers.end(), id.provider) ==
          p.allowed_providers.end()) {
    std::vector<std::string> names;
    for (auto pr : p.allowed_providers) names.emplace_back(verify::ProviderName(pr));
    return Deny("registry.policy_provider",
                which + " allows providers (" + Join(names, ", ") + "), not " +
                    std::string(verify::ProviderName(id.provider)),
                client("provider " + std::string(verify::ProviderName(id.provider))));
  }
  if (id.aws && !p.allowed_aws_accounts.empty() &&
      !Contains(p.allowed_aws_accounts, id.aws->account)) {
    return Deny("registry.policy_aws_account",
                which + " allows AWS accounts (" + Join(p.allowed_aws_accounts, ", ") + "), not " +
                    id.aws->account,
                client("AWS account " + id.aws->account));
  }
  if (id.provider == Provider::kAzure && id.jwt && !p.allowed_azure_issuers.empty() &&
      !Contains(p.allowed_azure_issuers, id.jwt->issuer)) {
    return Deny("registry.policy_azure_issuer",
                which + " allows Azure issuers (" + Join(p.allowed_azure_issuers, ", ") +
                    "), not " + id.jwt->issuer,
                client("Azure issuer " + id.jwt->issuer));
  }
  if (id.provider == Provider::kOidc && id.jwt && !p.allowed_oidc_issuers.empty() &&
      !Contains(p.allowed_oidc_issuers, id.jwt->issuer)) {
    return Deny("registry.policy_oidc_issuer",
                which + " allows OIDC issuers (" + Join(p.allowed_oidc_issuers, ", ") + "), not " +
                    id.jwt->issuer,
                client("OIDC issuer " + id.jwt->issuer));
  }
  return Status::Ok();
}

}  // namespace

const AuthenticationPolicy* EffectivePolicy(const RegistryState& state, const User& user) {
  const std::string& name = !user.authentication_policy.empty()
                                ? user.authentication_policy
                                : state.account_authentication_policy;
  return name.empty() ? nullptr : state.FindPolicy(name);
}

Status CheckWorkloadLogin(const Principal& principal, const verify::VerifiedIdentity& id) {
  const User& user = *principal.user;
  const WorkloadIdentity& w = *principal.identity;
  if (user.disabled) {
    return Deny("registry.user_disabled", "user " + user.name + " is disabled (DISABLED = TRUE)",
                "User access disabled. Contact your local system administrator.");
  }
  if (w.disabled) {
    return Deny("registry.identity_disabled",
                "workload identity " + w.name + " of user " + user.name +
                    " is disabled; ALTER USER " + user.name + " MODIFY WORKLOAD IDENTITY " +
                    w.name + " SET DISABLED = FALSE re-enables it",
                "the workload identity is disabled");
  }
  if (user.type == UserType::kPerson) {
    return Deny("registry.person_user",
                "user " + user.name +
                    " has TYPE = PERSON; only SERVICE and LEGACY_SERVICE users may log in with "
                    "a workload identity (ALTER USER " +
                    user.name + " SET TYPE = SERVICE)",
                "this user may not log in with a workload identity");
  }
  if (w.type == Provider::kOidc && id.jwt) {
    bool ok = false;
    for (const auto& aud : id.jwt->audiences) {
      ok = ok || (w.audiences.empty() ? aud == kDefaultAudience : Contains(w.audiences, aud));
    }
    if (!ok) {
      return Deny(
          "registry.audience_not_allowed",
          "the token's audiences (" + Join(id.jwt->audiences, ", ") +
              ") include none that identity " + w.name + " of user " + user.name + " accepts (" +
              (w.audiences.empty() ? std::string(kDefaultAudience) : Join(w.audiences, ", ")) + ")",
          "the token audience is not accepted");
    }
  }
  const AuthenticationPolicy* p = EffectivePolicy(principal.snapshot->state(), user);
  if (p != nullptr) WIFGATE_RETURN_IF_ERROR(CheckPolicy(*p, id, user));
  return Status::Ok();
}

}  // namespace wifgate::registry
