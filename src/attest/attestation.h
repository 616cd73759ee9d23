// The client side of workload identity: an AttestationProvider builds the proof of identity
// a workload sends as TOKEN in a WORKLOAD_IDENTITY login (PROVIDER = AWS, GCP, AZURE, OIDC),
// using only what the workload's platform gives it and no cloud SDK.
//
// Each provider (attest/aws_attestation.h, and the GCP, Azure and OIDC ones) takes its
// options, an Env and a net::HttpClient in its constructor and implements Attest(). Besides
// the attestation it reports what went into it (`explain`), for `wifgate attest --explain`
// and `wifgate doctor`; explain values never contain secrets.
#ifndef WIFGATE_ATTEST_ATTESTATION_H_
#define WIFGATE_ATTEST_ATTESTATION_H_

#include <string>
#include <string_view>
#include <vector>

#include "wifgate/status.h"
#include "wifgate/workload_identity.h"

namespace wifgate::attest {

// One line of "what went into the attestation": ("credential source", "environment ..."),
// ("region", "us-east-1 (AWS_REGION)"), ... in the order a reader should see them.
struct ExplainItem {
  std::string key;
  std::string value;
};

struct AttestationResult {
  Attestation attestation;  // wifgate::Attestation: provider (upper case) + token (a secret)
  std::vector<ExplainItem> explain;
};

class AttestationProvider {
 public:
  virtual ~AttestationProvider() = default;
  // The PROVIDER login value: "AWS", "GCP", "AZURE" or "OIDC".
  virtual std::string_view provider() const = 0;
  virtual Result<AttestationResult> Attest() = 0;
};

}  // namespace wifgate::attest

#endif  // WIFGATE_ATTEST_ATTESTATION_H_
