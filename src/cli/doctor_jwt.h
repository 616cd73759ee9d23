// The doctor's reading of a JWT attestation (GCP, Azure, OIDC, and AWS outbound tokens):
// which identity the token claims, whether it is still valid, and how an administrator
// would register it.
//
// The token is decoded WITHOUT verifying its signature: the doctor runs on the workload and
// has no business trusting its own token; the server verifies it against the issuer's keys.
// The same strict parser as the server's (jwt::ParseJws) reads it, so a token the server
// would refuse for its shape is reported here with the server's reason. Neither the token
// nor its signature is ever part of the output.
#ifndef WIFGATE_CLI_DOCTOR_JWT_H_
#define WIFGATE_CLI_DOCTOR_JWT_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "attest/attestation.h"
#include "wifgate/env.h"

namespace wifgate::cli {

// A token expiring sooner than this is reported as about to expire: a login that starts now
// may still pass, but the next one will not unless the platform refreshes the token.
inline constexpr std::chrono::seconds kJwtExpiresSoon{300};

// Describes `token` as the login of `provider` ("GCP", "AZURE", "OIDC" or "AWS") would send
// it, at time `now`: algorithm and key id, iss, sub, aud, the times, an expiry verdict and
// ("register it with", the WORKLOAD_IDENTITY clause that registers the identity), or
// ("registration", why no clause is suggested) when a value holds control characters. A
// token the server's parser refuses yields ("refused by the parser", "<reason>: <message>")
// instead of the claims. Claims are already passed through ForDisplay; the clause is whole
// and free of control characters, so it must be printed without a length cap.
std::vector<attest::ExplainItem> DescribeJwt(std::string_view provider, std::string_view token,
                                             SystemTime now);

// `untrusted` made safe for a terminal: control characters become '?', and text beyond
// `max_chars` becomes "...". For claims nobody has verified yet, and for what providers
// echo from them.
std::string ForDisplay(std::string_view untrusted, size_t max_chars = 200);

// "3h 2m", "59m 58s", "45s": a duration in its two largest units, for expiry lines.
std::string HumanDuration(std::chrono::seconds d);

}  // namespace wifgate::cli

#endif  // WIFGATE_CLI_DOCTOR_JWT_H_
