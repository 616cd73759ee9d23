#include "verify/azure_verifier.h"

#include "common/json.h"
#include "common/strings.h"

namespace wifgate::verify {
namespace {

// Entra tenant ids are GUIDs: 8-4-4-4-12 hex digits.
bool IsGuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (dash_position ? c != '-' : !hex) return false;
  }
  return true;
}

constexpr std::string_view kCanonicalPrefix = "https://login.microsoftonline.com/";

// The tenant of a canonical issuer "https://login.microsoftonline.com/<tenant>/v2.0".
std::string_view TenantOf(std::string_view canonical) {
  return canonical.substr(kCanonicalPrefix.size(), canonical.size() - kCanonicalPrefix.size() -
                                                       std::string_view("/v2.0").size());
}

Status IssuerInvalid() {
  return Status(Code::kUnauthenticated, "azure.issuer_invalid",
                "an Azure token must be issued by https://login.microsoftonline.com/<tenant>/v2.0 "
                "or https://sts.windows.net/<tenant>/ (use provider OIDC for other issuers)",
                "The token is not an Entra ID token.");
}

}  // namespace

Result<TrustedIssuer> AzureVerifier::Trust(std::string_view iss) const {
  std::string_view tenant;
  if (iss.starts_with(options_.v1_prefix) && iss.ends_with('/')) {
    tenant = iss.substr(options_.v1_prefix.size());
    tenant.remove_suffix(1);
  } else if (iss.starts_with(options_.v2_prefix) && iss.ends_with("/v2.0")) {
    tenant = iss.substr(options_.v2_prefix.size());
    tenant.remove_suffix(5);
  }
  if (!IsGuid(tenant)) return IssuerInvalid();
  std::string lower_tenant = AsciiLower(tenant);
  WIFGATE_ASSIGN_OR_RETURN(
      std::string canonical,
      CanonicalIssuer(Provider::kAzure, std::string(kCanonicalPrefix) + lower_tenant + "/v2.0"));
  TrustedIssuer trusted;
  trusted.canonical = std::move(canonical);
  trusted.keys.issuer = options_.v2_prefix + lower_tenant + "/v2.0";
  trusted.keys.allow_insecure = options_.allow_insecure;
  trusted.algorithms = options_.algorithms;
  return trusted;
}

Result<VerifiedIdentity> AzureVerifier::MakeIdentity(const jwt::Claims& claims,
                                                     const boost::json::object& payload,
                                                     const TrustedIssuer& issuer) const {
  if (const boost::json::value* tid = payload.if_contains("tid")) {
    if (!tid->is_string() || AsciiLower(tid->as_string()) != TenantOf(issuer.canonical)) {
      return Status(Code::kUnauthenticated, "azure.tenant_mismatch",
                    "the token's tid does not match the tenant of its issuer",
                    "The token's tenant is inconsistent.");
    }
  }
  VerifiedIdentity id;
  id.provider = Provider::kAzure;
  id.jwt = Subject(claims, issuer);
  return id;
}

}  // namespace wifgate::verify
