// SigV4 verification for the dev STS: recomputes the signature of an incoming request,
// header-signed or presigned, with the project's one signer (aws/sigv4.h), so that the dev
// STS accepts exactly what the signer produces and rejects what real STS would.
//
// Failures are Statuses whose reason is the STS error code the dev STS answers with
// (SignatureDoesNotMatch, IncompleteSignature, MissingAuthenticationToken, RequestExpired,
// and whatever the secret lookup returns, such as InvalidClientTokenId or ExpiredToken).
#ifndef WIFGATE_DEV_DEV_STS_SIGV4_H_
#define WIFGATE_DEV_DEV_STS_SIGV4_H_

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "net/http_server.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::dev {

// The signing window: requests dated further than this from now (either way), and
// presigned URLs older than this even if X-Amz-Expires says more, are refused.
inline constexpr std::chrono::minutes kSigV4Window{15};

struct SignedBy {
  std::string access_key_id;
  std::string session_token;  // as presented; empty when none
  std::string region;         // from the credential scope
  bool presigned = false;
};

// Returns the secret access key for `access_key_id` presented with `session_token`, or the
// STS error to answer with. Called only after the request's shape has been checked.
using SecretLookup = std::function<Result<std::string>(std::string_view access_key_id,
                                                       std::string_view session_token)>;

Result<SignedBy> VerifySigV4Request(const net::ServerRequest& request, SystemTime now,
                                    const SecretLookup& lookup);

}  // namespace wifgate::dev

#endif  // WIFGATE_DEV_DEV_STS_SIGV4_H_
