// The AWS attestation, exactly as the official Snowflake connectors build it.
//
// Default mode: a SigV4-signed sts:GetCallerIdentity request that the workload does not
// send; it sends its description instead, as standard base64 of the compact JSON
//   {"url":"https://sts.<region>.<suffix>/?Action=GetCallerIdentity&Version=2011-06-15",
//    "method":"POST",
//    "headers":{"host":…,"x-snowflake-audience":"snowflakecomputing.com","x-amz-date":…,
//               ["x-amz-security-token":…,] "authorization":…}}
// byte for byte what the Node connector sends (tests/unit/attest reproduces its recorded
// TOKEN). The server replays it to STS and learns the caller's ARN; X-Snowflake-Audience is
// signed so the request cannot be replayed to another service that accepts these.
//
// Impersonation: each role ARN in `impersonation_path` is assumed in turn (sts:AssumeRole)
// and the last role's credentials sign. Outbound token mode: sts:GetWebIdentityToken
// (audience, ES384) and the returned JWT is the attestation.
#ifndef WIFGATE_ATTEST_AWS_ATTESTATION_H_
#define WIFGATE_ATTEST_AWS_ATTESTATION_H_

#include <optional>
#include <string>
#include <vector>

#include "attest/attestation.h"
#include "aws/credentials.h"
#include "aws/metadata_credentials.h"
#include "aws/sigv4.h"
#include "net/http.h"
#include "wifgate/env.h"

namespace wifgate::attest {

inline constexpr std::string_view kSnowflakeAudience = "snowflakecomputing.com";

struct AwsAttestationOptions {
  std::string audience = std::string(kSnowflakeAudience);
  // The STS host named in the envelope (URL and Host header); empty: the region's regional
  // host. For FIPS, private or unknown-partition endpoints (the connectors' workloadIdentityHost).
  std::string sts_host;
  std::vector<std::string> impersonation_path;                    // role ARNs, assumed in order
  std::string role_session_name = "identity-federation-session";  // as py/node/go use
  bool use_outbound_token = false;
  std::string signing_algorithm = "ES384";  // outbound token mode
  std::optional<SystemTime> at;             // signing time; default Env::Now() (tests pin it)
  // Where wifgate's own STS calls go (AssumeRole, GetWebIdentityToken, web identity);
  // empty: AWS_ENDPOINT_URL_STS, else the regional endpoint.
  std::string sts_endpoint_override;
  aws::MetadataEndpoints metadata;
};

// The signed GetCallerIdentity request of the envelope, for given credentials.
Result<aws::SignedRequest> SignAwsEnvelopeRequest(const aws::Credentials& credentials,
                                                  std::string_view region,
                                                  std::string_view sts_host,
                                                  std::string_view audience, SystemTime at);
// The compact JSON of the envelope (before base64), and a copy with the signature and the
// session token replaced by "<redacted>" for display.
std::string AwsEnvelopeJson(const aws::SignedRequest& signed_request, std::string_view sts_host);
std::string RedactedAwsEnvelopeJson(const aws::SignedRequest& signed_request,
                                    std::string_view sts_host);

class AwsAttestationProvider final : public AttestationProvider {
 public:
  // `env` and `http` must outlive the provider.
  AwsAttestationProvider(const Env& env, net::HttpClient& http, AwsAttestationOptions options);

  std::string_view provider() const override { return "AWS"; }
  Result<AttestationResult> Attest() override;

 private:
  const Env& env_;
  net::HttpClient& http_;
  AwsAttestationOptions options_;
};

}  // namespace wifgate::attest

#endif  // WIFGATE_ATTEST_AWS_ATTESTATION_H_
