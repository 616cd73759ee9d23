// Parsing of compact-serialised JWS tokens (RFC 7515 §7.1), before any key is looked up.
//
// The parser is the first thing attacker bytes meet, so it is strict and bounded: exactly
// three non-empty segments (a five-segment JWE is refused, never decrypted), base64url
// without padding or whitespace, size caps on the token, header and payload, and both JSON
// documents through ParseStrictJson (duplicate keys refused). The header's `alg` must be
// one of jwt::Algorithm; key-carrying header parameters (`jwk`, `jku`, `x5u`, `x5c`) are
// ignored, because keys come only from the issuer's JWKS; `crit` is enforced — wifgate
// understands no extension, so any `crit` fails — and `zip`, `b64:false` and nested JWTs
// (`cty: JWT`) are refused.
#ifndef WIFGATE_JWT_JWS_H_
#define WIFGATE_JWT_JWS_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "jwt/algorithm.h"
#include "wifgate/status.h"

namespace wifgate::jwt {

struct JwsLimits {
  size_t max_token_bytes = 16 * 1024;  // real GCP/Azure/AWS tokens are 1-3 KiB
  size_t max_header_bytes = 2 * 1024;
  size_t max_json_depth = 8;
};

struct Jws {
  Algorithm alg = Algorithm::kRs256;
  std::optional<std::string> kid;  // absent when the header has none
  std::string signing_input;       // "<header>.<payload>" exactly as received
  std::string signature;           // decoded bytes
  boost::json::object header;
  boost::json::object claims;  // the payload, which must be a JSON object
};

// Parses `token`. Failures: jwt.malformed (structure, encoding, JSON), jwt.too_large,
// jwt.alg_not_allowed (an algorithm outside jwt::Algorithm, including none/HS*/PS*),
// jwt.crit_unsupported (any `crit`, `b64`, `zip` or nested JWT).
Result<Jws> ParseJws(std::string_view token, const JwsLimits& limits = {});

}  // namespace wifgate::jwt

#endif  // WIFGATE_JWT_JWS_H_
