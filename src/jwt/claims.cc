#include "jwt/claims.h"

#include <algorithm>
#include <cmath>

#include "common/time_format.h"

namespace wifgate::jwt {
namespace {

namespace json = boost::json;

constexpr size_t kMaxAudiences = 32;
constexpr size_t kMaxStringClaimBytes = 1024;
// NumericDates beyond year 9999 are nonsense and would overflow arithmetic below.
constexpr double kMaxNumericDate = 253402300799.0;

Status Malformed(std::string what) {
  return Status(Code::kUnauthenticated, "jwt.malformed", "the token's claims are invalid: " + what,
                "The token's claims are malformed.");
}

Status Missing(std::string_view name) {
  return Status(Code::kUnauthenticated, "jwt.claim_missing",
                "the token has no `" + std::string(name) + "` claim",
                "The token lacks a required claim: " + std::string(name) + ".");
}

Result<std::string> ReadText(const json::object& claims, std::string_view name) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return Missing(name);
  if (!v->is_string()) return Malformed("`" + std::string(name) + "` is not a string");
  std::string_view s = v->as_string();
  if (s.empty() || s.size() > kMaxStringClaimBytes) {
    return Malformed("`" + std::string(name) + "` is empty or longer than 1024 bytes");
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Malformed("`" + std::string(name) + "` contains a control character");
    }
  }
  return std::string(s);
}

// A NumericDate: integer, or a finite number whose fraction is dropped.
Result<std::optional<int64_t>> ReadDate(const json::object& claims, std::string_view name) {
  const json::value* v = claims.if_contains(name);
  if (v == nullptr) return std::optional<int64_t>();
  double d = 0;
  if (v->is_int64()) {
    d = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->get_uint64());
  } else if (v->is_double()) {
    d = v->get_double();
  } else {
    return Malformed("`" + std::string(name) + "` is not a number");
  }
  if (!std::isfinite(d) || d < 0 || d > kMaxNumericDate) {
    return Malformed("`" + std::string(name) + "` is out of range");
  }
  return std::optional<int64_t>(static_cast<int64_t>(d));
}

Result<std::vector<std::string>> ReadAudiences(const json::object& claims) {
  const json::value* v = claims.if_contains("aud");
  if (v == nullptr) return Missing("aud");
  std::vector<std::string> out;
  auto add = [&out](const json::value& item) -> Status {
    if (!item.is_string() || item.as_string().empty()) {
      return Malformed("`aud` holds something other than non-empty strings");
    }
    out.emplace_back(item.as_string());
    return Status::Ok();
  };
  if (v->is_array()) {
    if (v->as_array().size() > kMaxAudiences) return Malformed("`aud` has too many entries");
    for (const json::value& item : v->as_array()) WIFGATE_RETURN_IF_ERROR(add(item));
  } else {
    WIFGATE_RETURN_IF_ERROR(add(*v));
  }
  if (out.empty()) return Malformed("`aud` is empty");
  return out;
}

Status Reject(std::string reason, std::string message, std::string client) {
  return Status(Code::kUnauthenticated, std::move(reason), std::move(message), std::move(client));
}

}  // namespace

Result<std::string> ReadIssuer(const json::object& claims) { return ReadText(claims, "iss"); }

Result<Claims> ValidateClaims(const json::object& claims, const ClaimsPolicy& policy,
                              SystemTime now_time) {
  Claims out;
  WIFGATE_ASSIGN_OR_RETURN(out.iss, ReadText(claims, "iss"));
  WIFGATE_ASSIGN_OR_RETURN(out.sub, ReadText(claims, "sub"));
  WIFGATE_ASSIGN_OR_RETURN(out.aud, ReadAudiences(claims));
  WIFGATE_ASSIGN_OR_RETURN(std::optional<int64_t> exp, ReadDate(claims, "exp"));
  WIFGATE_ASSIGN_OR_RETURN(out.iat, ReadDate(claims, "iat"));
  WIFGATE_ASSIGN_OR_RETURN(out.nbf, ReadDate(claims, "nbf"));
  if (!exp) return Missing("exp");
  if (policy.require_iat && !out.iat) return Missing("iat");
  out.exp = *exp;

  const int64_t now = ToUnixSeconds(now_time);
  const int64_t leeway = std::min(policy.leeway, kMaxLeeway).count();
  if (now > out.exp + leeway) {
    return Reject("jwt.expired",
                  "the token expired at " + FormatRfc3339(FromUnixSeconds(out.exp)) +
                      "; the workload must fetch a fresh one",
                  "The token has expired.");
  }
  if (out.nbf && now + leeway < *out.nbf) {
    return Reject("jwt.not_yet_valid", "the token's nbf is in the future; check clocks",
                  "The token is not yet valid.");
  }
  if (out.iat && now + leeway < *out.iat) {
    return Reject("jwt.issued_in_future",
                  "the token's iat is in the future; check the issuer's and this host's clocks",
                  "The token was issued in the future.");
  }
  int64_t start = out.iat ? *out.iat : now;
  if (out.exp - start > policy.max_lifetime.count()) {
    return Reject("jwt.lifetime_too_long",
                  "the token is valid for " + std::to_string(out.exp - start) +
                      " s; the limit is " + std::to_string(policy.max_lifetime.count()) + " s",
                  "The token's lifetime is too long.");
  }

  auto accepted = [&](const std::string& a) {
    return std::find(policy.audiences.begin(), policy.audiences.end(), a) != policy.audiences.end();
  };
  size_t untrusted = static_cast<size_t>(std::count_if(
      out.aud.begin(), out.aud.end(), [&](const std::string& a) { return !accepted(a); }));
  if (untrusted == out.aud.size()) {
    return Reject("jwt.audience_mismatch",
                  "the token's audience is not one this issuer is registered with; mint the "
                  "token for one of the accepted audiences",
                  "The token's audience is not accepted.");
  }
  if (untrusted > 0 && !policy.allow_extra_audiences) {
    return Reject("jwt.audience_untrusted",
                  "the token names an accepted audience but also " + std::to_string(untrusted) +
                      " other one(s); any relying party it names could replay it here, so it "
                      "is refused. Mint the token for the accepted audience alone, or set "
                      "[jwt] allow_extra_audiences = true",
                  "The token's audience is not accepted.");
  }
  return out;
}

}  // namespace wifgate::jwt
