#include "verify/aws_sts_response.h"

#include <boost/json.hpp>

#include "common/json.h"
#include "common/strings.h"

namespace wifgate::verify {
namespace {

constexpr size_t kMaxBodyBytes = 64 * 1024;

Status BadResponse(std::string_view what) {
  return Status(Code::kUnavailable, "aws.sts_bad_response",
                "STS answered GetCallerIdentity with something other than the expected JSON: " +
                    std::string(what) +
                    ". Check that the STS endpoint (or its dev mapping) is really AWS STS.",
                "the identity service gave an unusable answer");
}

// STS error codes are short CamelCase words; anything else is not repeated in logs.
std::string SafeErrorCode(const net::HttpResponse& response) {
  auto json = ParseStrictJson(response.body, JsonLimits{kMaxBodyBytes, 8});
  if (!json.ok() || !json->is_object()) return "unknown";
  const auto* error = GetObject(json->get_object(), "Error");
  if (error == nullptr) return "unknown";
  auto code = GetString(*error, "Code");
  if (!code || code->empty() || code->size() > 64) return "unknown";
  for (char c : *code) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_';
    if (!ok) return "unknown";
  }
  return *code;
}

bool IsJsonContentType(const net::HttpResponse& response) {
  auto type = response.Header("Content-Type");
  if (!type) return false;
  std::string_view media = *type;
  media = TrimWhitespace(media.substr(0, media.find(';')));
  return AsciiEqualsIgnoreCase(media, "application/json");
}

// `obj` has exactly the keys in `keys` (all required unless listed in `optional`).
bool HasExactKeys(const boost::json::object& obj, std::initializer_list<std::string_view> keys,
                  std::initializer_list<std::string_view> optional = {}) {
  size_t required_seen = 0;
  for (const auto& [key, value] : obj) {
    bool known = false;
    for (auto k : keys) known = known || key == k;
    for (auto k : optional) known = known || key == k;
    if (!known) return false;
  }
  for (auto k : keys) required_seen += obj.contains(k) ? 1 : 0;
  return required_seen == keys.size();
}

bool IsUserIdChars(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view(":+=,.@_-").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

Status NotSupported(std::string_view arn, std::string_view what) {
  return Status(Code::kPermissionDenied, "aws.principal_not_supported",
                "STS verified the caller as " + std::string(arn) + ", " + std::string(what) +
                    "; only assumed roles and IAM users can log in with workload identity",
                "this kind of AWS principal cannot use workload identity");
}

}  // namespace

Result<CallerIdentity> ParseGetCallerIdentityResponse(const net::HttpResponse& response) {
  const int s = response.status;
  if (s >= 300 && s < 400) {
    return Status(Code::kUnavailable, "aws.sts_redirect",
                  "STS answered with redirect " + std::to_string(s) +
                      "; redirects are never followed. Check the STS endpoint configuration.",
                  "the identity service could not be used");
  }
  if (s != 200) {
    std::string code = SafeErrorCode(response);
    if (s == 429 || code == "Throttling" || code == "ThrottlingException" ||
        code == "RequestLimitExceeded") {
      return Status(Code::kUnavailable, "aws.sts_throttled",
                    "STS throttled GetCallerIdentity (HTTP " + std::to_string(s) + ", " + code +
                        "); retry later or lower the login rate",
                    "the identity service is busy; retry later");
    }
    if (s >= 500) {
      return Status(Code::kUnavailable, "aws.sts_unavailable",
                    "STS failed with HTTP " + std::to_string(s) + " (" + code + ")",
                    "the identity service is unavailable; retry later");
    }
    return Status(Code::kUnauthenticated, "aws.sts_rejected",
                  "STS rejected the attestation's signed request: HTTP " + std::to_string(s) + " " +
                      code +
                      " (SignatureDoesNotMatch: wrong secret or altered request; "
                      "InvalidClientTokenId / ExpiredToken: unknown or expired credentials)",
                  "AWS did not accept the attestation's signature");
  }
  if (!IsJsonContentType(response)) return BadResponse("Content-Type is not application/json");
  if (response.body.size() > kMaxBodyBytes) return BadResponse("the body is too large");
  auto json = ParseStrictJson(response.body, JsonLimits{kMaxBodyBytes, 4});
  if (!json.ok()) return BadResponse("the body is not strict JSON");
  const auto* top = json->if_object();
  if (top == nullptr || !HasExactKeys(*top, {"GetCallerIdentityResponse"})) {
    return BadResponse("the top level is not {\"GetCallerIdentityResponse\": …}");
  }
  const auto* resp = GetObject(*top, "GetCallerIdentityResponse");
  if (resp == nullptr || !HasExactKeys(*resp, {"GetCallerIdentityResult"}, {"ResponseMetadata"})) {
    return BadResponse("GetCallerIdentityResponse has unexpected members");
  }
  if (resp->contains("ResponseMetadata")) {
    const auto* meta = GetObject(*resp, "ResponseMetadata");
    if (meta == nullptr || !HasExactKeys(*meta, {"RequestId"}) || !GetString(*meta, "RequestId")) {
      return BadResponse("ResponseMetadata is not {\"RequestId\": string}");
    }
  }
  const auto* result = GetObject(*resp, "GetCallerIdentityResult");
  if (result == nullptr || !HasExactKeys(*result, {"Account", "Arn", "UserId"})) {
    return BadResponse("GetCallerIdentityResult is not exactly Account, Arn, UserId");
  }
  CallerIdentity out;
  auto account = GetString(*result, "Account");
  auto arn = GetString(*result, "Arn");
  auto user_id = GetString(*result, "UserId");
  if (!account || !arn || !user_id) return BadResponse("Account, Arn or UserId is not a string");
  if (!IsUserIdChars(*user_id)) return BadResponse("UserId is malformed");
  out.account = std::move(*account);
  out.arn = std::move(*arn);
  out.user_id = std::move(*user_id);
  return out;
}

Result<AwsPrincipal> MapCallerIdentity(const CallerIdentity& caller, std::string_view partition) {
  auto fields = Split(caller.arn, ':');
  if (fields.size() == 6) {
    if (fields[5] == "root") return NotSupported(caller.arn, "the account's root user");
    if (fields[5].starts_with("federated-user/")) {
      return NotSupported(caller.arn, "a federated user (GetFederationToken)");
    }
  }
  auto parsed = ParseAwsArn(caller.arn);
  if (!parsed.ok()) return NotSupported(caller.arn, "an ARN of a form wifgate does not map");
  if (parsed->kind == ParsedAwsArn::Kind::kRole) {
    return NotSupported(caller.arn, "an IAM role ARN where an assumed-role ARN was expected");
  }
  if (parsed->partition != partition || parsed->account != caller.account) {
    return Status(Code::kUnauthenticated, "aws.sts_identity_inconsistent",
                  "STS answered with Arn " + caller.arn + " and Account " + caller.account +
                      ", which disagree with each other or with the partition of the STS "
                      "endpoint (" +
                      std::string(partition) + "); the answer is not trusted",
                  "the identity service gave an unusable answer");
  }

  AwsPrincipal p;
  p.partition = parsed->partition;
  p.account = parsed->account;
  p.name = parsed->name;
  p.arn = caller.arn;
  if (parsed->kind == ParsedAwsArn::Kind::kAssumedRole) {
    // An assumed role's UserId is "<role unique id>:<session name>".
    if (!caller.user_id.ends_with(":" + parsed->session)) {
      return BadResponse("UserId does not end with the session name");
    }
    p.type = AwsPrincipalType::kRole;
    p.session = parsed->session;
  } else {
    if (caller.user_id.find(':') != std::string::npos) {
      return BadResponse("an IAM user's UserId has a ':'");
    }
    p.type = AwsPrincipalType::kUser;
    p.path = parsed->path;
  }
  return p;
}

}  // namespace wifgate::verify
