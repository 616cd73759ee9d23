// The SigV4 Authorization header of an AWS attestation, parsed by an exact grammar.
//
//   AWS4-HMAC-SHA256 Credential=AKID/YYYYMMDD/REGION/SERVICE/aws4_request,
//   SignedHeaders=h1;h2;..., Signature=<64 lower-case hex>
//
// with exactly ", " between the three parameters, in that order, as every AWS SDK and
// Smithy signer writes it. A laxer parser would let the verifier and STS read two
// different credentials out of one header (the CVE-2022-2385 class).
#ifndef WIFGATE_VERIFY_AWS_AUTHORIZATION_H_
#define WIFGATE_VERIFY_AWS_AUTHORIZATION_H_

#include <string>
#include <string_view>
#include <vector>

#include "wifgate/status.h"

namespace wifgate::verify {

struct SigV4Authorization {
  std::string access_key_id;
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;                      // always "sts" once parsed (checked here)
  std::vector<std::string> signed_headers;  // lower-case, strictly ascending
  std::string signature;                    // 64 lower-case hex

  // The header value, rebuilt from the parts (what the verifier forwards).
  std::string Format() const;
};

// Fails with aws.authorization_invalid (kInvalidArgument) naming the part that is wrong,
// never echoing the signature.
Result<SigV4Authorization> ParseSigV4Authorization(std::string_view value);

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AWS_AUTHORIZATION_H_
