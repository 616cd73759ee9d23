// Parsing and local validation of an AWS attestation: the base64 JSON envelope
// {"url","method","headers"} describing a SigV4-signed sts:GetCallerIdentity request, as
// the Snowflake connectors build it (wif.md §2.1).
//
// Everything in the envelope is attacker data. This file checks it completely before any
// network call (security.md §4 rule 2, §5.A-5.C) and keeps only the parts the verifier
// needs to rebuild the request itself: the allow-listed STS endpoint, the allow-listed
// signed headers and the parsed Authorization. Nothing else from the client ever reaches
// STS: unsigned extra headers are dropped, and anything unexpected that is signed is
// refused (it would change what STS sees).
#ifndef WIFGATE_VERIFY_AWS_ATTESTATION_H_
#define WIFGATE_VERIFY_AWS_ATTESTATION_H_

#include <chrono>
#include <string>
#include <string_view>

#include "net/http.h"
#include "verify/aws_authorization.h"
#include "verify/aws_sts_hosts.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::verify {

// The one query GetCallerIdentity attestations carry, and the one the verifier sends.
inline constexpr std::string_view kGetCallerIdentityQuery =
    "Action=GetCallerIdentity&Version=2011-06-15";
inline constexpr std::string_view kSnowflakeAudience = "snowflakecomputing.com";

struct AwsAttestationPolicy {
  std::string audience{kSnowflakeAudience};  // required X-Snowflake-Audience value
  // How old X-Amz-Date may be: 15 minutes is STS's own bound on a signature's life, so
  // nothing STS would accept as fresh is refused.
  std::chrono::seconds max_age{15 * 60};
  // How far ahead of the server's clock it may be: only clock skew explains a date in the
  // future, and AWS's SigV4 guidance allows 5 minutes of it (security.md HDR-10); more
  // would stretch a captured attestation's life beyond its 15 minutes.
  std::chrono::seconds max_future{5 * 60};
  size_t max_token_bytes = 16 * 1024;
};

struct AwsAttestation {
  StsEndpoint endpoint;
  SystemTime signed_at;  // X-Amz-Date
  SigV4Authorization authorization;
  // The signed headers other than Authorization, lower-case names in SignedHeaders order
  // (so "host" first), values verbatim.
  net::HttpHeaders signed_headers;

  // A digest of everything STS would see, so two attestations with the same key are the
  // same signed request (the verification cache's key).
  std::string CanonicalKey() const;
  // When STS would stop accepting the signature.
  SystemTime Expiry() const;
};

// Decodes and validates `token`. Malformed input fails with kInvalidArgument (or
// kResourceExhausted for size) and an aws.* reason; well-formed input that is not
// acceptable (host not allowed, wrong audience, stale date) fails with kUnauthenticated.
Result<AwsAttestation> ParseAwsAttestation(std::string_view token,
                                           const AwsAttestationPolicy& policy,
                                           const StsHostAllowList& hosts, SystemTime now);

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AWS_ATTESTATION_H_
