// The Azure attestation: an Entra ID access token for Snowflake's Entra resource (or a
// custom one), from whichever source the workload's platform offers, checked in this order
// (as the Python connector does):
//   1. AKS workload identity: AZURE_FEDERATED_TOKEN_FILE (+ AZURE_CLIENT_ID,
//      AZURE_TENANT_ID): the projected token is exchanged at Entra with the client
//      credentials grant (client_assertion), for scope <resource>/.default;
//   2. App Service / Functions / Container Apps: IDENTITY_ENDPOINT with the
//      X-IDENTITY-HEADER from IDENTITY_HEADER (api-version 2019-08-01);
//   3. IMDS (VMs): GET …/metadata/identity/oauth2/token with `Metadata: true` — lower case,
//      which IMDS requires (libsnowflakeclient still sends "True").
// MANAGED_IDENTITY_CLIENT_ID selects a user-assigned identity for 2 and 3.
#ifndef WIFGATE_ATTEST_AZURE_ATTESTATION_H_
#define WIFGATE_ATTEST_AZURE_ATTESTATION_H_

#include <chrono>
#include <string>
#include <string_view>

#include "attest/attestation.h"
#include "net/http.h"
#include "wifgate/env.h"

namespace wifgate::attest {

struct AzureAttestationOptions {
  std::string resource = "api://fd3f753b-eed3-462c-b6a7-a4b5bb650aad";
  // Empty: WIFGATE_AZURE_IMDS_ENDPOINT, else http://169.254.169.254/metadata/identity/oauth2/token.
  std::string imds_endpoint;
  // Empty: AZURE_AUTHORITY_HOST, else https://login.microsoftonline.com.
  std::string authority_host;
  std::chrono::milliseconds metadata_timeout{3000};
};

class AzureAttestationProvider final : public AttestationProvider {
 public:
  // `env` and `http` must outlive the provider.
  AzureAttestationProvider(const Env& env, net::HttpClient& http, AzureAttestationOptions options)
      : env_(env), http_(http), options_(std::move(options)) {}

  std::string_view provider() const override { return "AZURE"; }
  Result<AttestationResult> Attest() override;

 private:
  // `assertion_text`: the contents of `token_file`, read once by Attest().
  Result<std::string> FromFederatedToken(const std::string& token_file,
                                         std::string_view assertion_text,
                                         AttestationResult& result);
  Result<std::string> FromManagedIdentity(AttestationResult& result);
  Result<std::string> AccessToken(const net::HttpRequest& request, const net::HttpOptions& options,
                                  std::string_view source);

  const Env& env_;
  net::HttpClient& http_;
  AzureAttestationOptions options_;
};

}  // namespace wifgate::attest

#endif  // WIFGATE_ATTEST_AZURE_ATTESTATION_H_
