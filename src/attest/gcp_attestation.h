// The GCP attestation: a Google-signed ID token for audience snowflakecomputing.com.
//
// Directly from the metadata server (GET .../service-accounts/default/identity?audience=…
// with `Metadata-Flavor: Google`), or, with an impersonation path of service-account
// emails, through IAM Credentials generateIdToken for the last one with the others as
// delegates, authorised by the metadata server's access token. The token's `sub` is then
// the last service account's unique id, which is what must be registered.
//
// The metadata host is GCE_METADATA_HOST when set (as google-auth), else
// metadata.google.internal; metadata calls bypass proxies and time out quickly.
#ifndef WIFGATE_ATTEST_GCP_ATTESTATION_H_
#define WIFGATE_ATTEST_GCP_ATTESTATION_H_

#include <chrono>
#include <string>
#include <vector>

#include "attest/attestation.h"
#include "net/http.h"
#include "wifgate/env.h"

namespace wifgate::attest {

struct GcpAttestationOptions {
  std::string audience = "snowflakecomputing.com";
  std::vector<std::string> impersonation_path;  // service-account emails, last = identity
  std::string metadata_host;                    // empty: GCE_METADATA_HOST or the default
  std::string iam_credentials_url = "https://iamcredentials.googleapis.com";
  std::chrono::milliseconds metadata_timeout{3000};
};

class GcpAttestationProvider final : public AttestationProvider {
 public:
  // `env` and `http` must outlive the provider.
  GcpAttestationProvider(const Env& env, net::HttpClient& http, GcpAttestationOptions options)
      : env_(env), http_(http), options_(std::move(options)) {}

  std::string_view provider() const override { return "GCP"; }
  Result<AttestationResult> Attest() override;

 private:
  Result<std::string> MetadataGet(const std::string& host, const std::string& path);
  Result<std::string> Impersonate(const std::string& host);

  const Env& env_;
  net::HttpClient& http_;
  GcpAttestationOptions options_;
};

}  // namespace wifgate::attest

#endif  // WIFGATE_ATTEST_GCP_ATTESTATION_H_
