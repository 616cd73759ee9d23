// The OIDC attestation: a token the platform already gave the workload (a Kubernetes
// projected service-account token, a GitHub Actions ID token, ...), passed as is.
//
// From a file the token is re-read on every Attest(), because such tokens live minutes and
// the platform rewrites the file (the Go and Node connectors do the same). The client only
// checks the token's shape; the server verifies it.
#ifndef WIFGATE_ATTEST_OIDC_ATTESTATION_H_
#define WIFGATE_ATTEST_OIDC_ATTESTATION_H_

#include <string>

#include "attest/attestation.h"
#include "wifgate/env.h"

namespace wifgate::attest {

struct OidcAttestationOptions {
  std::string token;       // the token itself, or
  std::string token_file;  // a file holding it
};

class OidcAttestationProvider final : public AttestationProvider {
 public:
  // `env` must outlive the provider.
  OidcAttestationProvider(const Env& env, OidcAttestationOptions options)
      : env_(env), options_(std::move(options)) {}

  std::string_view provider() const override { return "OIDC"; }
  Result<AttestationResult> Attest() override;

 private:
  const Env& env_;
  OidcAttestationOptions options_;
};

}  // namespace wifgate::attest

#endif  // WIFGATE_ATTEST_OIDC_ATTESTATION_H_
