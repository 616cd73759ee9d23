#include "verify/aws_attestation.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "common/base64.h"
#include "common/crypto.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace wifgate::verify {
namespace {

constexpr size_t kMaxHeaders = 32;
constexpr size_t kMaxHeaderValueBytes = 8 * 1024;  // session tokens reach a few KiB
constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Headers that may be signed: what the reference clients sign (host, x-amz-date,
// x-snowflake-audience, x-amz-security-token with temporary credentials) plus
// x-amz-content-sha256, which the Go connector signs. Anything else signed would change
// the request STS sees in a way the verifier does not control, so it is refused.
const std::set<std::string, std::less<>>& SignableHeaders() {
  static const auto* names = new std::set<std::string, std::less<>>{
      "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token", "x-snowflake-audience"};
  return *names;
}

Status Malformed(std::string reason, std::string admin, std::string client) {
  return Status(Code::kInvalidArgument, std::move(reason),
                "AWS attestation refused: " + std::move(admin),
                "invalid AWS attestation: " + std::move(client));
}

Status Refused(std::string reason, std::string admin, std::string client) {
  return Status(Code::kUnauthenticated, std::move(reason),
                "AWS attestation refused: " + std::move(admin),
                "AWS attestation not accepted: " + std::move(client));
}

// RFC 9110 token characters, the only ones a header name may have.
bool IsToken(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (unsigned char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// Printable ASCII and space: no CR/LF (header injection), no other controls, no DEL, no
// bytes that different HTTP stacks would treat differently.
bool IsPlainValue(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Characters of a host name as the allow-list spells it. Everything else (':' ports, '@'
// userinfo, '%' escapes, upper case, non-ASCII, IPv6 brackets) is refused before lookup.
bool IsHostChars(std::string_view s) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  return !s.empty();
}

// Unreserved characters plus the query's own separators: no escapes, no spaces, no '#'.
bool IsQueryChars(std::string_view s) {
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '~' || c == '=' || c == '&';
    if (!ok) return false;
  }
  return true;
}

Status CheckQuery(std::string_view query) {
  if (!IsQueryChars(query)) {
    return Malformed("aws.query_invalid", "the URL query has characters outside A-Z a-z 0-9 -._~=&",
                     "the STS URL query must be " + std::string(kGetCallerIdentityQuery));
  }
  std::map<std::string, std::string, std::less<>> params;  // case-folded name -> "Name=value"
  for (auto param : Split(query, '&')) {
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) {
      return Malformed("aws.query_invalid", "a query parameter has no '='",
                       "the STS URL query must be " + std::string(kGetCallerIdentityQuery));
    }
    if (!params.emplace(AsciiLower(param.substr(0, eq)), std::string(param)).second) {
      return Malformed("aws.query_invalid",
                       "a query parameter appears twice (names compared "
                       "case-insensitively)",
                       "the STS URL query has a duplicate parameter");
    }
  }
  auto action = params.find("action");
  auto version = params.find("version");
  if (params.size() != 2 || action == params.end() || version == params.end() ||
      action->second != "Action=GetCallerIdentity" || version->second != "Version=2011-06-15") {
    return Malformed("aws.query_invalid",
                     "the URL query is not exactly Action=GetCallerIdentity and "
                     "Version=2011-06-15; only GetCallerIdentity attestations are accepted",
                     "the STS URL query must be " + std::string(kGetCallerIdentityQuery));
  }
  return Status::Ok();
}

// Checks the URL and returns its allow-listed endpoint.
Result<StsEndpoint> CheckUrl(std::string_view url, const StsHostAllowList& hosts) {
  constexpr std::string_view kScheme = "https://";
  if (!url.starts_with(kScheme)) {
    return Malformed("aws.url_invalid", "the URL does not start with https://",
                     "the STS URL must be https");
  }
  std::string_view rest = url.substr(kScheme.size());
  size_t host_end = rest.find_first_of("/?#");
  std::string_view host = rest.substr(0, host_end);
  if (!IsHostChars(host)) {
    return Malformed("aws.url_invalid",
                     "the URL's host part is not a plain lower-case host name (a port, "
                     "userinfo, escapes, upper case or non-ASCII letters are not accepted)",
                     "the STS URL host is malformed");
  }
  auto endpoint = hosts.Find(host);
  if (!endpoint) {
    return Refused("aws.sts_host_not_allowed",
                   "the URL's host is not an allow-listed STS endpoint; add it to the "
                   "verifier's configured STS hosts if it is a genuine endpoint",
                   "the STS host is not allowed");
  }
  rest.remove_prefix(host.size());
  size_t q = rest.find('?');
  std::string_view path = rest.substr(0, q);
  if (path != "/") {
    return Malformed("aws.url_path_invalid", "the URL path is not exactly '/'",
                     "the STS URL path must be /");
  }
  if (q == std::string_view::npos) {
    return Malformed("aws.query_invalid", "the URL has no query",
                     "the STS URL query must be " + std::string(kGetCallerIdentityQuery));
  }
  WIFGATE_RETURN_IF_ERROR(CheckQuery(rest.substr(q + 1)));
  return *endpoint;
}

// The envelope's top level: exactly url, method, headers (and an optional empty body).
struct Envelope {
  std::string url;
  std::string method;
  std::map<std::string, std::string, std::less<>> headers;  // lower-case name -> value
};

Result<Envelope> ParseEnvelope(std::string_view token, const AwsAttestationPolicy& policy) {
  if (token.size() > policy.max_token_bytes) {
    return Status(Code::kResourceExhausted, "aws.token_too_large",
                  "AWS attestation refused: the token is " + std::to_string(token.size()) +
                      " bytes, over the limit of " + std::to_string(policy.max_token_bytes),
                  "invalid AWS attestation: too large");
  }
  auto decoded = Base64Decode(token);
  if (!decoded || decoded->empty()) {
    return Malformed("aws.token_not_base64",
                     "the token is not standard padded base64 (RFC 4648 §4)",
                     "the token is not base64");
  }
  JsonLimits limits;
  limits.max_bytes = policy.max_token_bytes;
  limits.max_depth = 4;
  auto json = ParseStrictJson(*decoded, limits);
  if (!json.ok()) {
    return Malformed(
        "aws.envelope_not_json",
        "the decoded token is not one strict JSON document: " + json.status().message(),
        "the token is not a JSON attestation");
  }
  const auto* obj = json->if_object();
  if (obj == nullptr) {
    return Malformed("aws.envelope_invalid", "the decoded token is not a JSON object",
                     "the attestation is not a JSON object");
  }
  Envelope env;
  const boost::json::object* headers = nullptr;
  for (const auto& [key, value] : *obj) {
    if (key == "url" && value.is_string()) {
      env.url = std::string(value.get_string());
    } else if (key == "method" && value.is_string()) {
      env.method = std::string(value.get_string());
    } else if (key == "headers" && value.is_object()) {
      headers = &value.get_object();
    } else if (key == "body" && value.is_string()) {
      if (!value.get_string().empty()) {
        return Malformed("aws.body_not_empty", "the request body is not empty",
                         "the STS request must have an empty body");
      }
    } else {
      return Malformed("aws.envelope_invalid",
                       "the attestation must be exactly {\"url\": string, \"method\": string, "
                       "\"headers\": object}; it has another key or a value of another type",
                       "the attestation has unexpected fields");
    }
  }
  if (!obj->contains("url") || !obj->contains("method") || headers == nullptr) {
    return Malformed("aws.envelope_invalid", "the attestation lacks url, method or headers",
                     "the attestation lacks url, method or headers");
  }
  if (headers->size() > kMaxHeaders) {
    return Status(Code::kResourceExhausted, "aws.too_many_headers",
                  "AWS attestation refused: more than " + std::to_string(kMaxHeaders) + " headers",
                  "invalid AWS attestation: too many headers");
  }
  for (const auto& [name, value] : *headers) {
    if (!IsToken(name)) {
      return Malformed("aws.header_invalid", "a header name is not an HTTP token",
                       "a header name is malformed");
    }
    if (!value.is_string()) {
      return Malformed("aws.envelope_invalid", "a header value is not a string",
                       "a header value is not a string");
    }
    std::string_view v = value.get_string();
    if (v.size() > kMaxHeaderValueBytes || !IsPlainValue(v)) {
      return Malformed("aws.header_invalid",
                       "a header value is too long or has control or non-ASCII characters",
                       "a header value is malformed");
    }
    if (!env.headers.emplace(AsciiLower(name), std::string(v)).second) {
      return Malformed("aws.header_duplicate",
                       "a header appears twice (names compared case-insensitively)",
                       "a header appears twice");
    }
  }
  return env;
}

const std::string* FindIn(const std::map<std::string, std::string, std::less<>>& headers,
                          std::string_view name) {
  auto it = headers.find(name);
  return it == headers.end() ? nullptr : &it->second;
}

}  // namespace

std::string AwsAttestation::CanonicalKey() const {
  std::string material = endpoint.host + "\n";
  for (const auto& h : signed_headers) material += h.name + ":" + h.value + "\n";
  material += authorization.Format();
  return HexEncode(Sha256(material));
}

SystemTime AwsAttestation::Expiry() const { return signed_at + std::chrono::minutes(15); }

Result<AwsAttestation> ParseAwsAttestation(std::string_view token,
                                           const AwsAttestationPolicy& policy,
                                           const StsHostAllowList& hosts, SystemTime now) {
  WIFGATE_ASSIGN_OR_RETURN(Envelope env, ParseEnvelope(token, policy));
  if (env.method != "POST") {
    return Malformed("aws.method_not_post", "the method is not exactly POST",
                     "the STS request method must be POST");
  }
  AwsAttestation out;
  WIFGATE_ASSIGN_OR_RETURN(out.endpoint, CheckUrl(env.url, hosts));

  const std::string* host = FindIn(env.headers, "host");
  if (host == nullptr || *host != out.endpoint.host) {
    return Malformed("aws.host_header_mismatch",
                     "the Host header is missing or differs from the URL's host",
                     "the Host header must equal the STS URL host");
  }
  if (FindIn(env.headers, "date") != nullptr) {
    return Malformed("aws.date_header_forbidden",
                     "the request carries a Date header; only X-Amz-Date is accepted",
                     "the request must not carry a Date header");
  }
  const std::string* auth_value = FindIn(env.headers, "authorization");
  if (auth_value == nullptr) {
    return Malformed("aws.authorization_invalid", "the Authorization header is missing",
                     "the Authorization header is missing");
  }
  WIFGATE_ASSIGN_OR_RETURN(out.authorization, ParseSigV4Authorization(*auth_value));
  const auto& signed_names = out.authorization.signed_headers;
  auto is_signed = [&](std::string_view name) {
    return std::binary_search(signed_names.begin(), signed_names.end(), name);
  };

  // The audience binds the signature to Snowflake-protocol relying parties; a signature
  // made without it was meant for someone else.
  const std::string* audience = FindIn(env.headers, "x-snowflake-audience");
  if (audience == nullptr) {
    return Refused("aws.audience_missing", "the X-Snowflake-Audience header is missing",
                   "the X-Snowflake-Audience header is missing");
  }
  if (!ConstantTimeEquals(*audience, policy.audience)) {
    return Refused(
        "aws.audience_mismatch",
        "the X-Snowflake-Audience header is not the configured audience '" + policy.audience + "'",
        "the X-Snowflake-Audience header has the wrong value");
  }
  if (!is_signed("x-snowflake-audience")) {
    return Refused("aws.audience_not_signed",
                   "X-Snowflake-Audience is not listed in SignedHeaders, so it was not part of "
                   "the signature",
                   "the X-Snowflake-Audience header is not signed");
  }

  const std::string* amz_date = FindIn(env.headers, "x-amz-date");
  auto signed_at = amz_date ? ParseAmzDate(*amz_date) : std::nullopt;
  // Only the canonical spelling of a time (no second 60, no normalised overflow).
  if (!signed_at || FormatAmzDate(*signed_at) != *amz_date) {
    return Malformed("aws.amz_date_invalid",
                     "X-Amz-Date is missing or not of the form YYYYMMDDTHHMMSSZ",
                     "the X-Amz-Date header is missing or malformed");
  }
  if (*signed_at < now - policy.max_age) {
    return Refused("aws.amz_date_stale",
                   "X-Amz-Date " + *amz_date + " is more than " +
                       std::to_string(policy.max_age.count()) + " s before the server's clock (" +
                       FormatAmzDate(now) + "); the attestation is stale or a clock is wrong",
                   "the attestation has expired or is dated in the future");
  }
  if (*signed_at > now + policy.max_future) {
    return Refused("aws.amz_date_stale",
                   "X-Amz-Date " + *amz_date + " is more than " +
                       std::to_string(policy.max_future.count()) +
                       " s ahead of the server's clock (" + FormatAmzDate(now) +
                       "); the workload's clock is wrong (sync it with NTP)",
                   "the attestation has expired or is dated in the future");
  }
  out.signed_at = *signed_at;
  if (out.authorization.date != amz_date->substr(0, 8)) {
    return Malformed("aws.credential_scope_mismatch",
                     "the credential scope date differs from the X-Amz-Date day",
                     "the credential scope does not match the request");
  }
  if (out.authorization.region != out.endpoint.region) {
    return Malformed("aws.credential_scope_mismatch",
                     "the credential scope region '" + out.authorization.region +
                         "' is not the region of the STS host (" + out.endpoint.region + ")",
                     "the credential scope does not match the request");
  }

  for (const auto& name : signed_names) {
    if (!SignableHeaders().contains(name)) {
      return Malformed("aws.signed_header_not_allowed",
                       "SignedHeaders lists '" + name +
                           "', which is not one of host, x-amz-date, x-amz-security-token, "
                           "x-snowflake-audience, x-amz-content-sha256",
                       "a signed header is not allowed");
    }
    if (FindIn(env.headers, name) == nullptr) {
      return Malformed("aws.signed_header_missing",
                       "SignedHeaders lists '" + name + "' but the request has no such header",
                       "a signed header is missing");
    }
  }
  for (std::string_view required : {"host", "x-amz-date"}) {
    if (!is_signed(required)) {
      return Malformed("aws.signed_header_missing",
                       "SignedHeaders does not list '" + std::string(required) + "'",
                       "a required header is not signed");
    }
  }
  // Present-but-unsigned AWS headers would reach STS unchecked; refuse rather than drop
  // them, because dropping the session token would change which credential STS checks.
  for (std::string_view name : {"x-amz-security-token", "x-amz-content-sha256"}) {
    if (FindIn(env.headers, name) != nullptr && !is_signed(name)) {
      return Malformed("aws.header_not_signed",
                       "'" + std::string(name) + "' is present but not in SignedHeaders",
                       "an AWS header is not signed");
    }
  }
  if (const std::string* sha = FindIn(env.headers, "x-amz-content-sha256");
      sha != nullptr && *sha != kEmptyPayloadSha256) {
    return Malformed("aws.body_not_empty",
                     "x-amz-content-sha256 is not the SHA-256 of an empty body",
                     "the STS request must have an empty body");
  }
  for (const auto& name : signed_names) {
    out.signed_headers.push_back({name, *FindIn(env.headers, name)});
  }
  // "host" sorts before the x- headers; keep it first for readability of the rebuilt request.
  std::stable_partition(out.signed_headers.begin(), out.signed_headers.end(),
                        [](const net::HttpHeader& h) { return h.name == "host"; });
  return out;
}

}  // namespace wifgate::verify
