// The STS query protocol: building the requests wifgate sends (GetCallerIdentity,
// AssumeRole, AssumeRoleWithWebIdentity, GetWebIdentityToken) and strictly parsing the
// responses, including STS's error documents. No I/O here; aws/sts_client.h sends them.
#ifndef WIFGATE_AWS_STS_PROTOCOL_H_
#define WIFGATE_AWS_STS_PROTOCOL_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "aws/sigv4.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::aws {

inline constexpr std::string_view kStsApiVersion = "2011-06-15";
inline constexpr std::string_view kStsService = "sts";

// Where STS requests go: the regional endpoint, or an override (AWS_ENDPOINT_URL_STS) such
// as a loopback stand-in in tests.
struct StsEndpoint {
  std::string base_url;     // "https://sts.us-east-1.amazonaws.com", no trailing slash
  std::string host_header;  // "sts.us-east-1.amazonaws.com" (with ":port" when not default)
  std::string region;       // the signing region
};

// The regional endpoint for `region`, or `override_url` when non-empty. An override must be
// a plain http(s)://host[:port][/] URL (aws.bad_sts_endpoint otherwise).
Result<StsEndpoint> ResolveStsEndpoint(std::string_view region, std::string_view override_url);

// application/x-www-form-urlencoded, in the given order, each name and value URI-encoded.
std::string FormEncode(const std::vector<QueryParam>& params);

// ---- Requests. Signed ones come back as SignableRequest (Host header included), to be
// signed with service "sts" and the endpoint's region.

// POST /?Action=GetCallerIdentity&Version=2011-06-15 with an empty body; `extra_headers`
// (such as X-Snowflake-Audience) follow Host and are signed too.
SignableRequest GetCallerIdentityRequest(const StsEndpoint& endpoint,
                                         const net::HttpHeaders& extra_headers);
SignableRequest AssumeRoleRequest(const StsEndpoint& endpoint, std::string_view role_arn,
                                  std::string_view session_name, std::chrono::seconds duration);
// Audience.member.1=<audience>&SigningAlgorithm=<algorithm>.
SignableRequest GetWebIdentityTokenRequest(const StsEndpoint& endpoint, std::string_view audience,
                                           std::string_view signing_algorithm);
// Unsigned: the web identity token is the credential.
net::HttpRequest AssumeRoleWithWebIdentityRequest(const StsEndpoint& endpoint,
                                                  std::string_view role_arn,
                                                  std::string_view session_name,
                                                  std::string_view web_identity_token);

// An absolute URL for a SignableRequest built for `endpoint`.
std::string RequestUrl(const StsEndpoint& endpoint, const SignableRequest& request);

// ---- Responses. Every parser first turns a non-200 status into the STS error (below).

struct AssumedRole {
  Credentials credentials;  // expiration always set
  std::string assumed_role_arn;
};
struct CallerIdentity {
  std::string arn;
  std::string account;
  std::string user_id;
};
struct WebIdentityToken {
  std::string jwt;
  SystemTime expiration;
};

// `action` is "AssumeRole" or "AssumeRoleWithWebIdentity".
Result<AssumedRole> ParseAssumeRoleResponse(std::string_view action, int http_status,
                                            std::string_view body);
// XML, or the JSON STS sends for "Accept: application/json".
Result<CallerIdentity> ParseGetCallerIdentityResponse(int http_status, std::string_view body);
Result<WebIdentityToken> ParseGetWebIdentityTokenResponse(int http_status, std::string_view body);

// The Status for a non-200 STS response: aws.credentials_expired (ExpiredToken),
// aws.sts_access_denied (AccessDenied), aws.sts_unavailable (5xx, throttling), otherwise
// aws.sts_refused; the admin message quotes STS's code and message and says what to do.
Status StsErrorStatus(std::string_view action, int http_status, std::string_view body);

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_STS_PROTOCOL_H_
