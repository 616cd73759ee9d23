#include "server/snowflake_protocol.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "common/json.h"

namespace wifgate::server {
namespace {

namespace json = boost::json;

// The body and decoded query parameters of a request recorded from the Node connector.
struct Capture {
  std::string body;
  std::map<std::string, std::string> query;
};

Capture LoadCapture(const std::string& name) {
  std::ifstream in(std::string(WIFGATE_SHARED_DIR) + "/testdata/captures/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  json::value doc = json::parse(ss.str());
  Capture c;
  const json::value& body = doc.at("body");
  c.body = body.is_string() ? std::string(body.get_string()) : json::serialize(body);
  for (const auto& kv : doc.at("query").as_object()) {
    c.query[std::string(kv.key())] = std::string(kv.value().as_string());
  }
  return c;
}

TEST(ParseLoginRequest, NodeWorkloadIdentityAwsCapture) {
  Capture c = LoadCapture("wif_aws_01-login-request.json");
  auto req = ParseLoginRequest(c.body, c.query);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->account, "TESTACCT");
  EXPECT_EQ(req->authenticator, "WORKLOAD_IDENTITY");
  EXPECT_EQ(req->provider, "AWS");
  EXPECT_EQ(req->login_name, "");
  EXPECT_EQ(req->client_app_id, "JavaScript");
  EXPECT_TRUE(req->token.starts_with("eyJ1cmwiOi"));
  EXPECT_TRUE(req->session_parameters.contains("CLIENT_STORE_TEMPORARY_CREDENTIAL"));
}

TEST(ParseLoginRequest, NodePasswordCapture) {
  Capture c = LoadCapture("password_01-login-request.json");
  auto req = ParseLoginRequest(c.body, c.query);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->authenticator, "SNOWFLAKE");
  EXPECT_EQ(req->login_name, "TESTUSER");
  EXPECT_EQ(req->password, "test");
}

TEST(ParseLoginRequest, PythonShapeDefaultsToPasswordAndReadsUrlContext) {
  auto req = ParseLoginRequest(
      R"({"data":{"ACCOUNT_NAME":"a","LOGIN_NAME":"u","PASSWORD":"p","SVN_REVISION":null}})",
      {{"roleName", "SYSADMIN"}, {"databaseName", "DB"}, {"warehouse", "WH"}});
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->authenticator, "SNOWFLAKE");
  EXPECT_EQ(req->role, "SYSADMIN");
  EXPECT_EQ(req->database, "DB");
  EXPECT_EQ(req->warehouse, "WH");
}

TEST(ParseLoginRequest, RejectsMalformedBodiesNamingTheField) {
  const char* bad[] = {"",
                       "[]",
                       "{}",
                       R"({"data":[]})",
                       R"({"data":{}})",
                       R"({"data":{"ACCOUNT_NAME":1}})",
                       R"({"data":{"ACCOUNT_NAME":"a","TOKEN":{"x":1}}})",
                       R"({"data":{"ACCOUNT_NAME":"a","ACCOUNT_NAME":"b"}})"};
  for (const char* body : bad) {
    auto req = ParseLoginRequest(body, {});
    ASSERT_FALSE(req.ok()) << body;
    EXPECT_EQ(req.status().reason(), "login.malformed");
  }
  auto req = ParseLoginRequest(R"({"data":{"ACCOUNT_NAME":"a","TOKEN":7}})", {});
  EXPECT_NE(req.status().message().find("TOKEN"), std::string::npos);
}

// INJ-03: names are names; 200 KB of one is refused before it is echoed or stored.
TEST(ParseLoginRequest, RefusesOversizedNames) {
  const std::string huge(200 * 1024, 'A');
  for (const char* field : {"ACCOUNT_NAME", "LOGIN_NAME", "AUTHENTICATOR", "PROVIDER",
                            "CLIENT_APP_ID", "CLIENT_APP_VERSION"}) {
    std::string account = std::string_view(field) == "ACCOUNT_NAME" ? "" : R"("ACCOUNT_NAME":"a",)";
    std::string body = R"({"data":{)" + account + "\"" + field + R"(":")" + huge + R"("}})";
    auto req = ParseLoginRequest(body, {});
    ASSERT_FALSE(req.ok()) << field;
    EXPECT_EQ(req.status().reason(), "login.malformed");
    EXPECT_NE(req.status().message().find(field), std::string::npos) << req.status().message();
    EXPECT_LT(req.status().message().size(), 200u);
  }
  std::string longest_name(255, 'n');
  auto ok = ParseLoginRequest(R"({"data":{"ACCOUNT_NAME":")" + longest_name + R"("}})", {});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
}

TEST(ParseQueryRequest, NodeCaptureAndBinds) {
  Capture c = LoadCapture("wif_aws_03-query-request.json");
  auto q = ParseQueryRequest(c.body);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->sql_text, "SELECT current_user()");

  auto b = ParseQueryRequest(
      R"({"sqlText":"select ?, ?","bindings":{"1":{"type":"FIXED","value":"1"},"2":{"type":"ANY","value":null}}})");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->bindings.size(), 2u);
  EXPECT_EQ(b->bindings[0].name, "1");
  EXPECT_FALSE(b->bindings[0].array);
  EXPECT_EQ(b->bindings[0].values, (std::vector<std::optional<std::string>>{"1"}));
  EXPECT_EQ(b->bindings[1].values, (std::vector<std::optional<std::string>>{std::nullopt}));

  EXPECT_FALSE(ParseQueryRequest(R"({"sql":"x"})").ok());
  EXPECT_FALSE(ParseQueryRequest(R"({"sqlText":"x","bindings":{"1":{"value":["a"]}}})").ok());
}

TEST(SnowflakeAuthorization, ParsesOnlyTheExactForm) {
  EXPECT_EQ(ParseSnowflakeAuthorization(R"(Snowflake Token="abc")"), "abc");
  EXPECT_FALSE(ParseSnowflakeAuthorization(R"(Bearer abc)"));
  EXPECT_FALSE(ParseSnowflakeAuthorization(R"(Snowflake Token="")"));
  EXPECT_FALSE(ParseSnowflakeAuthorization(R"(Snowflake Token="a"b")"));
  EXPECT_FALSE(ParseSnowflakeAuthorization(R"(Snowflake Token=abc)"));
}

TEST(Replies, EnvelopeUsesStringCodesAndCarriesFormatParameters) {
  auto err = ParseStrictJson(ErrorReply("390100", "Incorrect username or password was specified."));
  ASSERT_TRUE(err.ok());
  EXPECT_TRUE(err->at("code").is_string());
  EXPECT_EQ(err->at("success").as_bool(), false);

  Session session;
  session.user = "SVC";
  session.role = "PUBLIC";
  IssuedTokens tokens{"wgs_a", "wgm_b", std::chrono::seconds(3600), std::chrono::seconds(14400),
                      42};
  auto ok = ParseStrictJson(LoginSuccessReply(tokens, session, "wifgate 0.1.0"));
  ASSERT_TRUE(ok.ok());
  const json::object& data = ok->at("data").as_object();
  EXPECT_EQ(data.at("token").as_string(), "wgs_a");
  EXPECT_EQ(data.at("masterToken").as_string(), "wgm_b");
  EXPECT_EQ(data.at("sessionId").as_int64(), 42);
  bool has_threshold = false;
  for (const auto& p : data.at("parameters").as_array()) {
    if (p.at("name") == "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD") has_threshold = true;
  }
  EXPECT_TRUE(has_threshold);

  auto renew = ParseStrictJson(RenewReply(tokens));
  ASSERT_TRUE(renew.ok());
  EXPECT_EQ(renew->at("data").at("sessionToken").as_string(), "wgs_a");
}

}  // namespace
}  // namespace wifgate::server
