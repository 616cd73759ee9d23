#include "client/login_request.h"

#include <boost/json/object.hpp>

#include "common/json.h"

namespace wifgate::client {

constexpr std::string_view kClientAppId = "wifgate";
constexpr std::string_view kClientAppVersion = "0.1.0";

std::string LoginBody(const LoginFields& fields) {
  boost::json::object environment{{"OS", "Linux"}, {"APPLICATION", "wifgate"}};
  if (fields.authenticator == "WORKLOAD_IDENTITY") {
    environment["WORKLOAD_IDENTITY_IMPERSONATION_PATH_LENGTH"] =
        static_cast<int64_t>(fields.impersonation_path_length);
  }
  boost::json::object data{
      {"ACCOUNT_NAME", fields.account_name},
      {"CLIENT_APP_ID", kClientAppId},
      {"CLIENT_APP_VERSION", kClientAppVersion},
      {"CLIENT_ENVIRONMENT", std::move(environment)},
      {"AUTHENTICATOR", fields.authenticator},
      {"SESSION_PARAMETERS", boost::json::object{{"CLIENT_REQUEST_MFA_TOKEN", false},
                                                 {"CLIENT_STORE_TEMPORARY_CREDENTIAL", false}}},
  };
  if (!fields.login_name.empty()) data["LOGIN_NAME"] = fields.login_name;
  if (fields.authenticator == "SNOWFLAKE") data["PASSWORD"] = fields.password;
  if (fields.authenticator == "WORKLOAD_IDENTITY") data["PROVIDER"] = fields.provider;
  if (fields.authenticator != "SNOWFLAKE") data["TOKEN"] = fields.token;
  return ToJson(boost::json::object{{"data", std::move(data)}});
}

std::string PercentEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string LoginQueryParams(const LoginFields& fields) {
  std::string out;
  auto add = [&out](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    if (!out.empty()) out += '&';
    out += std::string(name) + "=" + PercentEncode(value);
  };
  add("warehouse", fields.warehouse);
  add("databaseName", fields.database);
  add("schemaName", fields.schema);
  add("roleName", fields.role);
  return out;
}

}  // namespace wifgate::client
