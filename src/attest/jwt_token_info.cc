#include "attest/jwt_token_info.h"

#include <boost/json.hpp>

#include "common/base64.h"
#include "common/json.h"
#include "common/strings.h"

namespace wifgate::attest {
namespace {

std::optional<boost::json::object> Payload(std::string_view token) {
  std::vector<std::string_view> parts = Split(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
    return std::nullopt;
  }
  std::optional<std::string> json = Base64UrlDecode(parts[1]);
  if (!json) return std::nullopt;
  Result<boost::json::value> doc = ParseStrictJson(*json);
  if (!doc.ok() || !doc->is_object()) return std::nullopt;
  return doc->as_object();
}

}  // namespace

Status CheckJwtShape(std::string_view token, std::string_view source) {
  if (Payload(token)) return Status::Ok();
  return Status(Code::kFailedPrecondition, "attest.token_invalid",
                std::string(source) + " did not return a JWT (compact JWS with a JSON payload)");
}

std::vector<ExplainItem> ExplainJwt(std::string_view token) {
  std::vector<ExplainItem> out;
  std::optional<boost::json::object> claims = Payload(token);
  if (!claims) return out;
  out.push_back({"issuer", GetString(*claims, "iss").value_or("(none)")});
  out.push_back({"subject", GetString(*claims, "sub").value_or("(none)")});
  return out;
}

std::string QueryEscape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace wifgate::attest
