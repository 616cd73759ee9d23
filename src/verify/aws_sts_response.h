// Interpreting STS's answer to a replayed GetCallerIdentity: the HTTP status, the JSON
// body (fixed schema, strictly parsed), and the caller ARN mapped to an AwsPrincipal.
//
// STS's answer is only as trustworthy as its format is exact: CVE-2020-16250 turned a
// lenient parser that found an identity-shaped fragment inside another API's reply into
// an authentication bypass. So the verifier asks for JSON, requires a 200 with
// Content-Type application/json, and accepts exactly
//   {"GetCallerIdentityResponse": {"GetCallerIdentityResult": {"Account", "Arn", "UserId"},
//                                  "ResponseMetadata": {"RequestId"}}}
// with string values and no other keys. Nothing from an error body is echoed to clients.
#ifndef WIFGATE_VERIFY_AWS_STS_RESPONSE_H_
#define WIFGATE_VERIFY_AWS_STS_RESPONSE_H_

#include <string>
#include <string_view>

#include "net/http.h"
#include "verify/verified_identity.h"
#include "wifgate/status.h"

namespace wifgate::verify {

struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

// Maps a non-200 response to a named failure: aws.sts_redirect and aws.sts_unavailable
// (5xx) and aws.sts_throttled (429 or a throttling error code) are kUnavailable;
// other 4xx are aws.sts_rejected (kUnauthenticated) with STS's error code, such as
// SignatureDoesNotMatch, in the admin message. A 200 yields the parsed body or
// aws.sts_bad_response.
Result<CallerIdentity> ParseGetCallerIdentityResponse(const net::HttpResponse& response);

// Turns the verified caller into a principal. Assumed roles become IAM_ROLE without a
// path (STS never reports it); IAM users keep their path. Root, federated users and any
// other shape fail with aws.principal_not_supported; an ARN whose partition is not
// `partition` (the STS endpoint's) or whose account is not `caller.account` fails with
// aws.sts_identity_inconsistent.
Result<AwsPrincipal> MapCallerIdentity(const CallerIdentity& caller, std::string_view partition);

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AWS_STS_RESPONSE_H_
