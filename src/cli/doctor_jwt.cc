#include "cli/doctor_jwt.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

#include "common/json.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "jwt/jws.h"

namespace wifgate::cli {
namespace {

namespace json = boost::json;

std::string ClaimText(const json::object& claims, std::string_view key) {
  std::optional<std::string> value = GetString(claims, key);
  return value ? ForDisplay(*value) : "(none)";
}

std::string Audiences(const json::object& claims) {
  if (std::optional<std::string> one = GetString(claims, "aud")) return ForDisplay(*one);
  const json::array* many = GetArray(claims, "aud");
  if (many == nullptr) return "(none)";
  std::vector<std::string> names;
  for (const json::value& v : *many) {
    names.push_back(v.is_string() ? ForDisplay(v.get_string()) : "(not a string)");
  }
  return Join(names, ", ");
}

// RFC 7519 NumericDate: an integer or a finite number with a fraction.
std::optional<int64_t> NumericDate(const json::object& claims, std::string_view key) {
  const json::value* v = claims.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX / 2)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  if (v->is_double() && std::isfinite(v->get_double()) && std::fabs(v->get_double()) < 1e15) {
    return static_cast<int64_t>(v->get_double());
  }
  return std::nullopt;
}

std::string TimeAndDistance(int64_t at, int64_t now) {
  std::string when = FormatRfc3339(FromUnixSeconds(at));
  if (at == now) return when + " (now)";
  if (at > now) return when + " (in " + HumanDuration(std::chrono::seconds(at - now)) + ")";
  return when + " (" + HumanDuration(std::chrono::seconds(now - at)) + " ago)";
}

std::string ExpiryVerdict(std::optional<int64_t> exp, int64_t now) {
  if (!exp) {
    return "the token has no usable exp claim: the server refuses it (jwt.malformed or "
           "jwt.claim_missing)";
  }
  if (*exp <= now) {
    return "EXPIRED " + HumanDuration(std::chrono::seconds(now - *exp)) +
           " ago: the server refuses it (jwt.expired); the platform should have handed out a "
           "fresh one, so check what refreshes it (token file, metadata endpoint)";
  }
  std::chrono::seconds left(*exp - now);
  if (left < kJwtExpiresSoon) {
    return "about to expire (in " + HumanDuration(left) +
           "): a login now may pass, the next one needs a refreshed token";
  }
  return "valid for another " + HumanDuration(left);
}

bool HasControlCharacter(std::string_view value) {
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

// A string literal wifgate's SQL lexer reads back as `value`: it honours backslash escapes
// in single-quoted strings, so a backslash is doubled as well as a quote.
std::string SqlQuote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += c;
    out += c;
  }
  return out + "'";
}

// The clause an administrator puts in CREATE USER / ALTER USER ... ADD WORKLOAD IDENTITY,
// or why none is suggested. The values are never cut: a shortened value would register
// another identity.
std::optional<attest::ExplainItem> Registration(std::string_view provider,
                                                const json::object& claims) {
  std::optional<std::string> iss = GetString(claims, "iss");
  std::optional<std::string> sub = GetString(claims, "sub");
  if (!iss || !sub) return std::nullopt;
  std::vector<std::pair<std::string_view, std::string>> fields;  // keyword, value
  if (provider == "GCP") {
    fields = {{"SUBJECT", *sub}};
  } else if (provider == "AZURE") {
    // Entra v1 and v2 tokens of one tenant are the same identity; the registry keys on the
    // v2 issuer, which the tid names.
    std::optional<std::string> tid = GetString(claims, "tid");
    fields = {{"ISSUER", tid ? "https://login.microsoftonline.com/" + *tid + "/v2.0" : *iss},
              {"SUBJECT", *sub}};
  } else if (provider == "AWS") {
    fields = {{"ARN", *sub}, {"ISSUER", *iss}};
  } else {
    fields = {{"ISSUER", *iss}, {"SUBJECT", *sub}};
  }
  std::string clause = "WORKLOAD_IDENTITY = (TYPE = " + std::string(provider);
  for (const auto& [keyword, value] : fields) {
    if (HasControlCharacter(value)) {
      // Printed, they would be replaced or would rewrite the terminal; either way the
      // administrator would copy a different value than the token holds.
      return attest::ExplainItem{
          "registration",
          "no clause suggested: the token's " + std::string(keyword) +
              " holds control characters, which this output does not print as they are"};
    }
    clause += " " + std::string(keyword) + " = " + SqlQuote(value);
  }
  return attest::ExplainItem{"register it with", clause + ")"};
}

}  // namespace

std::string ForDisplay(std::string_view untrusted, size_t max_chars) {
  std::string out;
  for (char c : untrusted.substr(0, max_chars)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (untrusted.size() > max_chars) out += "...";
  return out;
}

std::string HumanDuration(std::chrono::seconds d) {
  int64_t s = d.count() < 0 ? -d.count() : d.count();
  struct Unit {
    int64_t seconds;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (size_t i = 0; i < std::size(kUnits); ++i) {
    if (s < kUnits[i].seconds && i + 1 < std::size(kUnits)) continue;
    std::string out = std::to_string(s / kUnits[i].seconds) + kUnits[i].name;
    int64_t rest = s % kUnits[i].seconds;
    if (i + 1 < std::size(kUnits) && rest / kUnits[i + 1].seconds > 0) {
      out += " " + std::to_string(rest / kUnits[i + 1].seconds) + kUnits[i + 1].name;
    }
    return out;
  }
  return "0s";
}

std::vector<attest::ExplainItem> DescribeJwt(std::string_view provider, std::string_view token,
                                             SystemTime now) {
  std::vector<attest::ExplainItem> out;
  out.push_back({"decoded",
                 "WITHOUT verifying the signature (the server verifies it against "
                 "the issuer's keys); the token itself is not shown"});
  Result<jwt::Jws> jws = jwt::ParseJws(token);
  if (!jws.ok()) {
    out.push_back({"refused by the parser", jws.status().ToString()});
    return out;
  }
  std::string alg(jwt::AlgorithmName(jws->alg));
  out.push_back({"algorithm", jws->kid ? alg + ", key id " + ForDisplay(*jws->kid) : alg});
  const json::object& claims = jws->claims;
  out.push_back({"iss", ClaimText(claims, "iss")});
  out.push_back({"sub", ClaimText(claims, "sub")});
  out.push_back({"aud", Audiences(claims)});
  if (provider == "GCP" && claims.contains("email")) {
    out.push_back({"email", ClaimText(claims, "email")});
  }
  if (provider == "AZURE" && claims.contains("tid")) {
    out.push_back({"tid", ClaimText(claims, "tid")});
  }
  int64_t now_s = ToUnixSeconds(now);
  if (std::optional<int64_t> iat = NumericDate(claims, "iat")) {
    out.push_back({"issued", TimeAndDistance(*iat, now_s)});
  }
  if (std::optional<int64_t> nbf = NumericDate(claims, "nbf"); nbf && *nbf > now_s) {
    out.push_back({"not before", TimeAndDistance(*nbf, now_s) +
                                     ": the server refuses it until then (jwt.not_yet_valid)"});
  }
  std::optional<int64_t> exp = NumericDate(claims, "exp");
  if (exp) out.push_back({"expires", TimeAndDistance(*exp, now_s)});
  out.push_back({"expiry", ExpiryVerdict(exp, now_s)});
  if (std::optional<attest::ExplainItem> registration = Registration(provider, claims)) {
    out.push_back(std::move(*registration));
  }
  return out;
}

}  // namespace wifgate::cli
