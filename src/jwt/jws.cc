#include "jwt/jws.h"

#include <string>
#include <vector>

#include "common/base64.h"
#include "common/json.h"
#include "common/strings.h"

namespace wifgate::jwt {
namespace {

namespace json = boost::json;

Status Malformed(std::string what) {
  return Status(Code::kUnauthenticated, "jwt.malformed", "the token is not a valid JWS: " + what,
                "The token is malformed.");
}

Result<json::object> DecodeJsonSegment(std::string_view segment, std::string_view name,
                                       size_t max_depth) {
  std::optional<std::string> bytes = Base64UrlDecode(segment);
  if (!bytes) {
    return Malformed("the " + std::string(name) +
                     " is not canonical base64url (padding, whitespace or stray bits)");
  }
  JsonLimits limits;
  limits.max_depth = max_depth;
  Result<json::value> parsed = ParseStrictJson(*bytes, limits);
  if (!parsed.ok()) {
    return Malformed("the " + std::string(name) + " is not strict JSON (" +
                     parsed.status().message() + ")");
  }
  if (!parsed->is_object()) return Malformed("the " + std::string(name) + " is not an object");
  return std::move(parsed->as_object());
}

Status Unsupported(std::string what) {
  return Status(Code::kUnauthenticated, "jwt.crit_unsupported",
                "the token uses a JWS extension wifgate does not implement: " + what,
                "The token uses an unsupported JWS extension.");
}

// RFC 7515 §4.1.11: a recipient must reject a token whose `crit` lists a parameter it does
// not understand. We understand none, and a malformed `crit` is malformed.
Status CheckHeaderExtensions(const json::object& header) {
  if (const json::value* crit = header.if_contains("crit")) {
    if (!crit->is_array() || crit->as_array().empty()) {
      return Malformed("`crit` must be a non-empty array of names");
    }
    for (const json::value& name : crit->as_array()) {
      if (!name.is_string()) return Malformed("`crit` must be a non-empty array of names");
    }
    return Unsupported("critical header parameters are present");
  }
  if (header.contains("b64")) return Unsupported("`b64` (RFC 7797 unencoded payload)");
  if (header.contains("zip")) return Unsupported("`zip` (compressed payload)");
  if (const json::value* cty = header.if_contains("cty")) {
    if (!cty->is_string()) return Malformed("`cty` is not a string");
    if (AsciiEqualsIgnoreCase(cty->as_string(), "JWT")) return Unsupported("nested JWT (cty)");
  }
  return Status::Ok();
}

}  // namespace

Result<Jws> ParseJws(std::string_view token, const JwsLimits& limits) {
  if (token.size() > limits.max_token_bytes) {
    return Status(Code::kUnauthenticated, "jwt.too_large",
                  "the token is " + std::to_string(token.size()) + " bytes; the limit is " +
                      std::to_string(limits.max_token_bytes),
                  "The token is too large.");
  }
  std::vector<std::string_view> parts = Split(token, '.');
  if (parts.size() != 3) {
    return Malformed("expected 3 dot-separated segments, found " + std::to_string(parts.size()) +
                     (parts.size() == 5 ? " (JWE is not accepted)" : ""));
  }
  for (std::string_view part : parts) {
    if (part.empty()) return Malformed("a segment is empty");
  }
  if (parts[0].size() > limits.max_header_bytes) {
    return Status(Code::kUnauthenticated, "jwt.too_large", "the JWS header is too large",
                  "The token is too large.");
  }

  Jws jws;
  WIFGATE_ASSIGN_OR_RETURN(jws.header, DecodeJsonSegment(parts[0], "header", 4));
  const json::value* alg = jws.header.if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return Malformed("the header has no string `alg`");
  std::optional<Algorithm> parsed_alg = ParseAlgorithm(alg->as_string());
  if (!parsed_alg) {
    return Status(Code::kUnauthenticated, "jwt.alg_not_allowed",
                  "the token's algorithm is not one of RS256/384/512 or ES256/384/512",
                  "The token's signing algorithm is not accepted.");
  }
  jws.alg = *parsed_alg;
  if (const json::value* kid = jws.header.if_contains("kid")) {
    if (!kid->is_string()) return Malformed("`kid` is not a string");
    jws.kid = std::string(kid->as_string());
  }
  WIFGATE_RETURN_IF_ERROR(CheckHeaderExtensions(jws.header));

  WIFGATE_ASSIGN_OR_RETURN(jws.claims,
                           DecodeJsonSegment(parts[1], "payload", limits.max_json_depth));
  std::optional<std::string> signature = Base64UrlDecode(parts[2]);
  if (!signature) return Malformed("the signature is not canonical base64url");
  jws.signature = std::move(*signature);
  jws.signing_input = std::string(token.substr(0, parts[0].size() + 1 + parts[1].size()));
  return jws;
}

}  // namespace wifgate::jwt
