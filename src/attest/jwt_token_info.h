// Helpers shared by the JWT-based attestation providers (GCP, Azure, OIDC): a sanity check
// that what a metadata service or file returned looks like a JWT, the unverified iss/sub
// for --explain (the server does the real verification), and URL query encoding.
#ifndef WIFGATE_ATTEST_JWT_TOKEN_INFO_H_
#define WIFGATE_ATTEST_JWT_TOKEN_INFO_H_

#include <string>
#include <string_view>
#include <vector>

#include "attest/attestation.h"
#include "wifgate/status.h"

namespace wifgate::attest {

// OK when `token` is a compact JWS whose payload is a JSON object; `source` names where it
// came from in the failure (reason attest.token_invalid). The token is never echoed.
Status CheckJwtShape(std::string_view token, std::string_view source);

// ("issuer", iss) and ("subject", sub), read without verification, for explain output.
std::vector<ExplainItem> ExplainJwt(std::string_view token);

// RFC 3986 percent-encoding of a query value (unreserved characters kept).
std::string QueryEscape(std::string_view value);

}  // namespace wifgate::attest

#endif  // WIFGATE_ATTEST_JWT_TOKEN_INFO_H_
