// Validation of the registered JWT claims (RFC 7519 §4.1) that every provider shares:
// `sub`, `aud`, `exp`, `nbf`, `iat`, and the token's lifetime.
//
// `iss` is read here but matched by the caller, which knows the provider's canonical forms
// and must pick the issuer's keys before the signature is checked. Times allow a leeway of
// at most two minutes (RFC 7519 says "a few minutes"; RFC 8725 and the catalogue in
// security.md say keep it small). NumericDates may be integers or finite JSON numbers with
// a fraction (RFC 7519 §2), never strings. `sub` and `iss` must be non-empty strings
// without control characters, so that an embedded NUL cannot truncate a later comparison.
#ifndef WIFGATE_JWT_CLAIMS_H_
#define WIFGATE_JWT_CLAIMS_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::jwt {

constexpr std::chrono::seconds kMaxLeeway{120};

struct ClaimsPolicy {
  // Accepted audiences; the token's `aud` must contain at least one (exact byte match).
  std::vector<std::string> audiences;
  // Whether `aud` may also name audiences outside `audiences`. Off by default, as OpenID
  // Connect Core §3.1.3.7 asks: a token addressed to several relying parties can be replayed
  // by any of them, so one of them could log in here with a token meant for itself.
  bool allow_extra_audiences = false;
  std::chrono::seconds leeway{60};  // clamped to kMaxLeeway
  // Longest accepted exp - iat (or exp - now without iat). Azure managed-identity tokens
  // live up to 24 hours.
  std::chrono::seconds max_lifetime{24 * 3600};
  bool require_iat = true;
};

struct Claims {
  std::string iss;
  std::string sub;
  std::vector<std::string> aud;
  int64_t exp = 0;
  std::optional<int64_t> iat;
  std::optional<int64_t> nbf;
};

// Reads `iss` alone, before the signature is verified, to find the issuer's keys.
// Fails with jwt.malformed.
Result<std::string> ReadIssuer(const boost::json::object& claims);

// Validates the claims at time `now`. Failures: jwt.malformed, jwt.expired, jwt.not_yet_valid,
// jwt.issued_in_future, jwt.lifetime_too_long, jwt.audience_mismatch, jwt.audience_untrusted,
// jwt.claim_missing.
Result<Claims> ValidateClaims(const boost::json::object& claims, const ClaimsPolicy& policy,
                              SystemTime now);

}  // namespace wifgate::jwt

#endif  // WIFGATE_JWT_CLAIMS_H_
