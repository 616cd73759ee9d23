// The login bodies this client sends, compared with what the official Node connector sent
// for the same logins (testdata/captures).
#include "client/login_request.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "wifgate/env.h"

namespace wifgate::client {
namespace {

boost::json::object CapturedLoginData(const std::string& name) {
  auto text =
      Env::Default().ReadFile(std::string(WIFGATE_SHARED_DIR) + "/testdata/captures/" + name);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  auto json = ParseStrictJson(*text);
  EXPECT_TRUE(json.ok());
  return json->as_object().at("body").as_object().at("data").as_object();
}

boost::json::object OurData(const LoginFields& fields) {
  auto json = ParseStrictJson(LoginBody(fields));
  EXPECT_TRUE(json.ok());
  return json->as_object().at("data").as_object();
}

// Every field the server reads must carry the captured value, and we send no field the
// connector does not send (the informational client fields aside).
void ExpectSameLogin(const boost::json::object& ours, const boost::json::object& captured) {
  for (std::string_view key : {"ACCOUNT_NAME", "AUTHENTICATOR", "LOGIN_NAME", "PASSWORD",
                               "PROVIDER", "TOKEN", "SESSION_PARAMETERS"}) {
    EXPECT_EQ(ours.contains(key), captured.contains(key)) << key;
    if (ours.contains(key) && captured.contains(key)) {
      EXPECT_EQ(ours.at(key), captured.at(key)) << key;
    }
  }
  for (const auto& [key, value] : ours) EXPECT_TRUE(captured.contains(key)) << key;
}

TEST(LoginRequestTest, PasswordMatchesNodeCapture) {
  auto captured = CapturedLoginData("password_01-login-request.json");
  LoginFields f;
  f.account_name = "TESTACCT";
  f.authenticator = "SNOWFLAKE";
  f.login_name = "TESTUSER";
  f.password = "test";
  ExpectSameLogin(OurData(f), captured);
}

TEST(LoginRequestTest, WorkloadIdentityAwsMatchesNodeCapture) {
  auto captured = CapturedLoginData("wif_aws_01-login-request.json");
  LoginFields f;
  f.account_name = "TESTACCT";
  f.authenticator = "WORKLOAD_IDENTITY";
  f.provider = "AWS";
  f.token = std::string(captured.at("TOKEN").as_string());
  ExpectSameLogin(OurData(f), captured);
  EXPECT_EQ(OurData(f)
                .at("CLIENT_ENVIRONMENT")
                .as_object()
                .at("WORKLOAD_IDENTITY_IMPERSONATION_PATH_LENGTH"),
            0);
}

TEST(LoginRequestTest, WorkloadIdentityOidcMatchesNodeCapture) {
  auto captured = CapturedLoginData("wif_oidc_01-login-request.json");
  LoginFields f;
  f.account_name = std::string(captured.at("ACCOUNT_NAME").as_string());
  f.authenticator = "WORKLOAD_IDENTITY";
  f.provider = "OIDC";
  f.token = std::string(captured.at("TOKEN").as_string());
  ExpectSameLogin(OurData(f), captured);
}

TEST(LoginRequestTest, KeypairSendsTokenAndLoginName) {
  LoginFields f;
  f.account_name = "A";
  f.authenticator = "SNOWFLAKE_JWT";
  f.login_name = "U";
  f.token = "h.c.s";
  auto data = OurData(f);
  EXPECT_EQ(data.at("AUTHENTICATOR"), "SNOWFLAKE_JWT");
  EXPECT_EQ(data.at("TOKEN"), "h.c.s");
  EXPECT_EQ(data.at("LOGIN_NAME"), "U");
  EXPECT_FALSE(data.contains("PASSWORD"));
  EXPECT_FALSE(data.contains("PROVIDER"));
}

TEST(LoginRequestTest, QueryParamsOnlyWhenSetAndEncoded) {
  LoginFields f;
  EXPECT_EQ(LoginQueryParams(f), "");
  f.warehouse = "WH";
  f.role = "my role&x=1";
  EXPECT_EQ(LoginQueryParams(f), "warehouse=WH&roleName=my%20role%26x%3D1");
  f.database = "DB";
  f.schema = "PUBLIC";
  EXPECT_EQ(LoginQueryParams(f),
            "warehouse=WH&databaseName=DB&schemaName=PUBLIC&roleName=my%20role%26x%3D1");
}

}  // namespace
}  // namespace wifgate::client
