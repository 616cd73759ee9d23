#include "aws/sts_protocol.h"

#include "aws/partitions.h"
#include "aws/xml.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "net/url.h"

namespace wifgate::aws {
namespace {

constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded; charset=utf-8";
constexpr size_t kMaxQuotedMessage = 300;

SignableRequest FormPost(const StsEndpoint& endpoint, const std::vector<QueryParam>& params) {
  SignableRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"host", endpoint.host_header}, {"content-type", std::string(kFormContentType)}};
  r.body = FormEncode(params);
  return r;
}

Status Malformed(std::string_view action, const Status& cause) {
  return Status(Code::kUnavailable, "aws.sts_bad_response",
                "STS " + std::string(action) +
                    " answered 200 with a response wifgate cannot "
                    "use (" +
                    cause.message() + "); check that the STS endpoint is really STS");
}

Result<std::string> LeafText(std::string_view action, const XmlElement& root,
                             std::initializer_list<std::string_view> path) {
  auto element = FindUniquePath(root, path);
  if (!element.ok()) return Malformed(action, element.status());
  if (!(*element)->children.empty() || (*element)->text.empty()) {
    return Malformed(action, Status(Code::kInvalidArgument, "aws.xml_missing_field",
                                    "<" + (*element)->name + "> is empty or not a value"));
  }
  return (*element)->text;
}

Result<XmlElement> ParseRoot(std::string_view action, std::string_view body,
                             std::string_view expected_root) {
  auto root = ParseXml(body);
  if (!root.ok()) return Malformed(action, root.status());
  if (root->name != expected_root) {
    return Malformed(action, Status(Code::kInvalidArgument, "aws.xml_missing_field",
                                    "the root element is <" + root->name + ">, not <" +
                                        std::string(expected_root) + ">"));
  }
  return std::move(*root);
}

Result<SystemTime> ParseExpiration(std::string_view action, const std::string& text) {
  std::optional<SystemTime> t = ParseRfc3339(text);
  if (!t.has_value()) {
    return Malformed(action, Status(Code::kInvalidArgument, "aws.xml_malformed",
                                    "<Expiration> is not an RFC 3339 time"));
  }
  return *t;
}

// Printable ASCII only, bounded: STS's message is quoted into our own.
std::string Quote(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxQuotedMessage)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  return out;
}

}  // namespace

Result<StsEndpoint> ResolveStsEndpoint(std::string_view region, std::string_view override_url) {
  StsEndpoint endpoint;
  endpoint.region = std::string(region);
  if (override_url.empty()) {
    WIFGATE_ASSIGN_OR_RETURN(std::string host, StsHostForRegion(region));
    endpoint.base_url = "https://" + host;
    endpoint.host_header = std::move(host);
    return endpoint;
  }
  WIFGATE_RETURN_IF_ERROR(PartitionForRegion(region).status());
  auto url = net::ParseHttpUrl(override_url);
  if (!url.ok() || url->target != "/") {
    return Status(Code::kInvalidArgument, "aws.bad_sts_endpoint",
                  "the STS endpoint override '" + Quote(override_url) +
                      "' is not a plain http(s)://host[:port] URL; fix AWS_ENDPOINT_URL_STS "
                      "(or --sts-endpoint)");
  }
  endpoint.host_header = url->HostHeader();
  endpoint.base_url = std::string(url->scheme()) + "://" + endpoint.host_header;
  return endpoint;
}

std::string FormEncode(const std::vector<QueryParam>& params) {
  std::string out;
  for (const QueryParam& p : params) {
    if (!out.empty()) out += '&';
    out += UriEncode(p.name, true) + "=" + UriEncode(p.value, true);
  }
  return out;
}

SignableRequest GetCallerIdentityRequest(const StsEndpoint& endpoint,
                                         const net::HttpHeaders& extra_headers) {
  SignableRequest r;
  r.method = "POST";
  r.path = "/";
  r.query = "Action=GetCallerIdentity&Version=" + std::string(kStsApiVersion);
  r.headers.push_back({"host", endpoint.host_header});
  r.headers.insert(r.headers.end(), extra_headers.begin(), extra_headers.end());
  return r;
}

SignableRequest AssumeRoleRequest(const StsEndpoint& endpoint, std::string_view role_arn,
                                  std::string_view session_name, std::chrono::seconds duration) {
  return FormPost(endpoint, {{"Action", "AssumeRole"},
                             {"Version", std::string(kStsApiVersion)},
                             {"RoleArn", std::string(role_arn)},
                             {"RoleSessionName", std::string(session_name)},
                             {"DurationSeconds", std::to_string(duration.count())}});
}

SignableRequest GetWebIdentityTokenRequest(const StsEndpoint& endpoint, std::string_view audience,
                                           std::string_view signing_algorithm) {
  return FormPost(endpoint, {{"Action", "GetWebIdentityToken"},
                             {"Version", std::string(kStsApiVersion)},
                             {"Audience.member.1", std::string(audience)},
                             {"SigningAlgorithm", std::string(signing_algorithm)}});
}

net::HttpRequest AssumeRoleWithWebIdentityRequest(const StsEndpoint& endpoint,
                                                  std::string_view role_arn,
                                                  std::string_view session_name,
                                                  std::string_view web_identity_token) {
  SignableRequest form =
      FormPost(endpoint, {{"Action", "AssumeRoleWithWebIdentity"},
                          {"Version", std::string(kStsApiVersion)},
                          {"RoleArn", std::string(role_arn)},
                          {"RoleSessionName", std::string(session_name)},
                          {"WebIdentityToken", std::string(web_identity_token)}});
  net::HttpRequest r;
  r.method = "POST";
  r.url = endpoint.base_url + "/";
  r.headers = {{"content-type", std::string(kFormContentType)}};
  r.body = std::move(form.body);
  return r;
}

std::string RequestUrl(const StsEndpoint& endpoint, const SignableRequest& request) {
  std::string url = endpoint.base_url + request.path;
  if (!request.query.empty()) url += "?" + request.query;
  return url;
}

Status StsErrorStatus(std::string_view action, int http_status, std::string_view body) {
  std::string code = "unknown";
  std::string message;
  if (auto root = ParseXml(body); root.ok()) {
    if (auto c = FindUniquePath(*root, {"Error", "Code"}); c.ok()) code = Quote((*c)->text);
    if (auto m = FindUniquePath(*root, {"Error", "Message"}); m.ok()) message = Quote((*m)->text);
  }
  const std::string what = "STS " + std::string(action) + " refused the request (HTTP " +
                           std::to_string(http_status) + ", " + code +
                           (message.empty() ? "" : ": " + message) + ")";
  if (code == "ExpiredToken" || code == "ExpiredTokenException") {
    return Status(Code::kUnauthenticated, "aws.credentials_expired",
                  what +
                      "; the credentials have expired: refresh them (new session, or "
                      "restart the process that exported them)");
  }
  if (code == "AccessDenied" || http_status == 403) {
    return Status(Code::kPermissionDenied, "aws.sts_access_denied",
                  what + "; grant the calling identity sts:" + std::string(action) +
                      " (and, for roles, a trust policy that lets it assume the role)");
  }
  if (http_status >= 500 || code == "Throttling") {
    return Status(Code::kUnavailable, "aws.sts_unavailable", what + "; retry later");
  }
  return Status(Code::kFailedPrecondition, "aws.sts_refused",
                what + "; fix the request parameters STS names above");
}

Result<AssumedRole> ParseAssumeRoleResponse(std::string_view action, int http_status,
                                            std::string_view body) {
  if (http_status != 200) return StsErrorStatus(action, http_status, body);
  const std::string response = std::string(action) + "Response";
  const std::string result = std::string(action) + "Result";
  WIFGATE_ASSIGN_OR_RETURN(XmlElement root, ParseRoot(action, body, response));
  AssumedRole out;
  Credentials& c = out.credentials;
  WIFGATE_ASSIGN_OR_RETURN(c.access_key_id,
                           LeafText(action, root, {result, "Credentials", "AccessKeyId"}));
  WIFGATE_ASSIGN_OR_RETURN(c.secret_access_key,
                           LeafText(action, root, {result, "Credentials", "SecretAccessKey"}));
  WIFGATE_ASSIGN_OR_RETURN(c.session_token,
                           LeafText(action, root, {result, "Credentials", "SessionToken"}));
  WIFGATE_ASSIGN_OR_RETURN(std::string expiration,
                           LeafText(action, root, {result, "Credentials", "Expiration"}));
  WIFGATE_ASSIGN_OR_RETURN(c.expiration, ParseExpiration(action, expiration));
  WIFGATE_ASSIGN_OR_RETURN(out.assumed_role_arn,
                           LeafText(action, root, {result, "AssumedRoleUser", "Arn"}));
  return out;
}

Result<CallerIdentity> ParseGetCallerIdentityResponse(int http_status, std::string_view body) {
  constexpr std::string_view kAction = "GetCallerIdentity";
  if (http_status != 200) return StsErrorStatus(kAction, http_status, body);
  CallerIdentity out;
  if (TrimWhitespace(body).starts_with("{")) {
    auto json = ParseStrictJson(body);
    if (!json.ok()) return Malformed(kAction, json.status());
    const boost::json::object* response =
        json->is_object() ? GetObject(json->as_object(), "GetCallerIdentityResponse") : nullptr;
    const boost::json::object* result =
        response ? GetObject(*response, "GetCallerIdentityResult") : nullptr;
    std::optional<std::string> arn = result ? GetString(*result, "Arn") : std::nullopt;
    std::optional<std::string> account = result ? GetString(*result, "Account") : std::nullopt;
    std::optional<std::string> user_id = result ? GetString(*result, "UserId") : std::nullopt;
    if (!arn || !account || !user_id || arn->empty() || account->empty()) {
      return Malformed(kAction, Status(Code::kInvalidArgument, "json.missing_field",
                                       "GetCallerIdentityResult lacks Arn, Account or UserId"));
    }
    return CallerIdentity{*arn, *account, *user_id};
  }
  WIFGATE_ASSIGN_OR_RETURN(XmlElement root, ParseRoot(kAction, body, "GetCallerIdentityResponse"));
  WIFGATE_ASSIGN_OR_RETURN(out.arn, LeafText(kAction, root, {"GetCallerIdentityResult", "Arn"}));
  WIFGATE_ASSIGN_OR_RETURN(out.account,
                           LeafText(kAction, root, {"GetCallerIdentityResult", "Account"}));
  WIFGATE_ASSIGN_OR_RETURN(out.user_id,
                           LeafText(kAction, root, {"GetCallerIdentityResult", "UserId"}));
  return out;
}

Result<WebIdentityToken> ParseGetWebIdentityTokenResponse(int http_status, std::string_view body) {
  constexpr std::string_view kAction = "GetWebIdentityToken";
  if (http_status != 200) return StsErrorStatus(kAction, http_status, body);
  WIFGATE_ASSIGN_OR_RETURN(XmlElement root,
                           ParseRoot(kAction, body, "GetWebIdentityTokenResponse"));
  WebIdentityToken out;
  WIFGATE_ASSIGN_OR_RETURN(
      out.jwt, LeafText(kAction, root, {"GetWebIdentityTokenResult", "WebIdentityToken"}));
  WIFGATE_ASSIGN_OR_RETURN(std::string expiration,
                           LeafText(kAction, root, {"GetWebIdentityTokenResult", "Expiration"}));
  WIFGATE_ASSIGN_OR_RETURN(out.expiration, ParseExpiration(kAction, expiration));
  return out;
}

}  // namespace wifgate::aws
