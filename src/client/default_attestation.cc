#include "client/default_attestation.h"

#include "attest/aws_attestation.h"

namespace wifgate::client {
namespace {

// Dispatches on the provider to the attest/ providers.
class BuiltInAttestationSource final : public AttestationSource {
 public:
  BuiltInAttestationSource(Env& env, net::HttpClient& http) : env_(env), http_(http) {}

  Result<Attestation> Attest(const WorkloadIdentityOptions& options) override {
    if (options.provider == "AWS") {
      attest::AwsAttestationOptions aws;
      aws.impersonation_path = options.impersonation_path;
      aws.use_outbound_token = options.aws_use_outbound_token;
      attest::AwsAttestationProvider provider(env_, http_, std::move(aws));
      WIFGATE_ASSIGN_OR_RETURN(attest::AttestationResult result, provider.Attest());
      return std::move(result.attestation);
    }
    return Status(Code::kFailedPrecondition, "client.attestation_unavailable",
                  "this build has no built-in " + options.provider +
                      " attestation provider yet (only AWS); set "
                      "ConnectionOptions::attestation_source");
  }

 private:
  Env& env_;
  net::HttpClient& http_;
};

}  // namespace

std::unique_ptr<AttestationSource> MakeDefaultAttestationSource(Env& env, net::HttpClient& http) {
  return std::make_unique<BuiltInAttestationSource>(env, http);
}

}  // namespace wifgate::client
