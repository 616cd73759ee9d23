#include "client/default_attestation.h"

namespace wifgate::client {
namespace {

// Placeholder until src/attest lands: every built-in provider is unavailable, so a
// WORKLOAD_IDENTITY connection needs ConnectionOptions::attestation_source.
class UnavailableAttestationSource final : public AttestationSource {
 public:
  Result<Attestation> Attest(const WorkloadIdentityOptions& options) override {
    return Status(Code::kFailedPrecondition, "client.attestation_unavailable",
                  "this build has no built-in " + options.provider +
                      " attestation provider; set ConnectionOptions::attestation_source");
  }
};

}  // namespace

std::unique_ptr<AttestationSource> MakeDefaultAttestationSource(Env&, net::HttpClient&) {
  return std::make_unique<UnavailableAttestationSource>();
}

}  // namespace wifgate::client
