#include "client/default_attestation.h"

#include <memory>

#include "attest/aws_attestation.h"
#include "attest/azure_attestation.h"
#include "attest/gcp_attestation.h"
#include "attest/oidc_attestation.h"

namespace wifgate::client {
namespace {

// Dispatches on the provider to the attest/ providers.
class BuiltInAttestationSource final : public AttestationSource {
 public:
  BuiltInAttestationSource(Env& env, net::HttpClient& http) : env_(env), http_(http) {}

  Result<Attestation> Attest(const WorkloadIdentityOptions& options) override {
    WIFGATE_ASSIGN_OR_RETURN(std::unique_ptr<attest::AttestationProvider> provider,
                             MakeProvider(options));
    WIFGATE_ASSIGN_OR_RETURN(attest::AttestationResult result, provider->Attest());
    return std::move(result.attestation);
  }

 private:
  Result<std::unique_ptr<attest::AttestationProvider>> MakeProvider(
      const WorkloadIdentityOptions& options) {
    if (options.provider == "AWS") {
      attest::AwsAttestationOptions aws;
      aws.impersonation_path = options.impersonation_path;
      aws.use_outbound_token = options.aws_use_outbound_token;
      return std::unique_ptr<attest::AttestationProvider>(
          std::make_unique<attest::AwsAttestationProvider>(env_, http_, std::move(aws)));
    }
    if (options.provider == "GCP") {
      attest::GcpAttestationOptions gcp;
      gcp.impersonation_path = options.impersonation_path;
      return std::unique_ptr<attest::AttestationProvider>(
          std::make_unique<attest::GcpAttestationProvider>(env_, http_, std::move(gcp)));
    }
    if (!options.impersonation_path.empty()) {
      return Status(
          Code::kInvalidArgument, "client.impersonation_unsupported",
          "an impersonation path is supported for AWS and GCP only, not " + options.provider);
    }
    if (options.provider == "AZURE") {
      attest::AzureAttestationOptions azure;
      if (!options.azure_entra_resource.empty()) azure.resource = options.azure_entra_resource;
      return std::unique_ptr<attest::AttestationProvider>(
          std::make_unique<attest::AzureAttestationProvider>(env_, http_, std::move(azure)));
    }
    attest::OidcAttestationOptions oidc;
    oidc.token = options.token;
    oidc.token_file = options.token_file;
    return std::unique_ptr<attest::AttestationProvider>(
        std::make_unique<attest::OidcAttestationProvider>(env_, std::move(oidc)));
  }

  Env& env_;
  net::HttpClient& http_;
};

}  // namespace

std::unique_ptr<AttestationSource> MakeDefaultAttestationSource(Env& env, net::HttpClient& http) {
  return std::make_unique<BuiltInAttestationSource>(env, http);
}

}  // namespace wifgate::client
