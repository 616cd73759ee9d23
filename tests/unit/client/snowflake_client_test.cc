#include "client/snowflake_client.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "fake_env.h"

namespace wifgate::client {
namespace {

using testing::FakeEnv;
using testing::FakeHttpClient;

constexpr char kLoginOk[] = R"({"data":{"token":"ST-1","masterToken":"MT-1",
  "validityInSeconds":3600,"masterValidityInSeconds":14400,"sessionId":77,
  "displayUserName":"TESTUSER","serverVersion":"wifgate 0.1.0",
  "sessionInfo":{"roleName":"PUBLIC","databaseName":"DB"}},
  "code":null,"message":null,"success":true})";

constexpr char kQueryOk[] = R"json({"data":{"rowtype":[{"name":"CURRENT_USER()","type":"text",
  "nullable":true}],"rowset":[["TESTUSER"]],"total":1,"returned":1,"queryId":"q1",
  "queryResultFormat":"json","statementTypeId":4096},"code":null,"message":null,"success":true})json";

constexpr char kExpired[] = R"({"data":null,"code":"390112",
  "message":"Your session has expired. Please login again.","success":false})";

class SnowflakeClientTest : public ::testing::Test {
 protected:
  SnowflakeClient MakeClient() {
    return SnowflakeClient(*ResolveEndpoint("http://127.0.0.1:8080", "testacct"), http_, env_);
  }
  LoginFields PasswordFields() {
    LoginFields f;
    f.account_name = "testacct";
    f.authenticator = "SNOWFLAKE";
    f.login_name = "TESTUSER";
    f.password = "hunter2";
    return f;
  }
  static std::string QueryParam(const std::string& url, const std::string& name) {
    size_t at = url.find(name + "=");
    if (at == std::string::npos) return "";
    size_t start = at + name.size() + 1;
    return url.substr(start, url.find('&', start) - start);
  }

  FakeEnv env_;
  FakeHttpClient http_;
};

TEST_F(SnowflakeClientTest, LoginQueryLogout) {
  SnowflakeClient client = MakeClient();
  http_.Respond(200, kLoginOk, {{"Content-Type", "application/json"}});
  http_.Respond(200, kQueryOk);
  http_.Respond(200, R"({"data":null,"code":null,"message":null,"success":true})");

  auto info = client.Login(PasswordFields(), Operation::kLogin);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->session_id, 77);
  EXPECT_EQ(info->user, "TESTUSER");
  EXPECT_EQ(info->role, "PUBLIC");

  auto rs = client.Query("SELECT current_user()", {});
  ASSERT_TRUE(rs.ok()) << rs.status().ToString();
  EXPECT_EQ(rs->rows.at(0).at(0), Value::String("TESTUSER"));
  ASSERT_TRUE(client.Logout().ok());
  EXPECT_FALSE(client.logged_in());

  ASSERT_EQ(http_.requests.size(), 3u);
  const auto& login = http_.requests[0];
  EXPECT_EQ(login.method, "POST");
  EXPECT_TRUE(login.url.starts_with("http://127.0.0.1:8080/session/v1/login-request?requestId="));
  EXPECT_EQ(QueryParam(login.url, "requestId").size(), 36u);
  EXPECT_FALSE(net::FindHeader(login.headers, "Authorization").has_value());
  EXPECT_EQ(net::FindHeader(login.headers, "Content-Type"), "application/json");

  const auto& query = http_.requests[1];
  EXPECT_TRUE(query.url.starts_with("http://127.0.0.1:8080/queries/v1/query-request?requestId="));
  EXPECT_EQ(net::FindHeader(query.headers, "Authorization"), "Snowflake Token=\"ST-1\"");
  EXPECT_EQ(net::FindHeader(query.headers, "Accept"), "application/snowflake");
  auto body = ParseStrictJson(query.body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(GetString(body->as_object(), "sqlText"), "SELECT current_user()");
  EXPECT_EQ(GetInt(body->as_object(), "sequenceId"), 1);

  const auto& logout = http_.requests[2];
  EXPECT_TRUE(logout.url.starts_with("http://127.0.0.1:8080/session?delete=true&requestId="));
  EXPECT_EQ(net::FindHeader(logout.headers, "Authorization"), "Snowflake Token=\"ST-1\"");
  EXPECT_TRUE(client.Logout().ok());  // idempotent, no request
  EXPECT_EQ(http_.requests.size(), 3u);
}

TEST_F(SnowflakeClientTest, RenewsOn390112AndReplaysWithTheSameRequestId) {
  SnowflakeClient client = MakeClient();
  http_.Respond(200, kLoginOk);
  http_.Respond(200, kExpired);
  http_.Respond(200, R"({"data":{"sessionToken":"ST-2","validityInSecondsST":3600,
      "masterToken":"MT-2","validityInSecondsMT":14400,"sessionId":77},"success":true})");
  http_.Respond(200, kQueryOk);
  http_.Respond(200, kExpired);
  http_.Respond(200, R"({"data":{"sessionToken":"ST-3"},"success":true})");
  http_.Respond(200, R"({"success":true})");
  ASSERT_TRUE(client.Login(PasswordFields(), Operation::kLogin).ok());

  auto rs = client.Query("SELECT 1", {});
  ASSERT_TRUE(rs.ok()) << rs.status().ToString();
  ASSERT_EQ(http_.requests.size(), 4u);
  const auto& first = http_.requests[1];
  const auto& renew = http_.requests[2];
  const auto& replay = http_.requests[3];
  EXPECT_TRUE(renew.url.starts_with("http://127.0.0.1:8080/session/token-request?requestId="));
  EXPECT_EQ(net::FindHeader(renew.headers, "Authorization"), "Snowflake Token=\"MT-1\"");
  auto renew_body = ParseStrictJson(renew.body);
  EXPECT_EQ(GetString(renew_body->as_object(), "requestType"), "RENEW");
  EXPECT_EQ(GetString(renew_body->as_object(), "oldSessionToken"), "ST-1");
  EXPECT_EQ(replay.url, first.url);  // same requestId
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(net::FindHeader(replay.headers, "Authorization"), "Snowflake Token=\"ST-2\"");

  // The master token from the renewal is used next time; a reply without one keeps it.
  ASSERT_TRUE(client.Heartbeat().ok());
  EXPECT_EQ(net::FindHeader(http_.requests[5].headers, "Authorization"),
            "Snowflake Token=\"MT-2\"");
  EXPECT_EQ(net::FindHeader(http_.requests[6].headers, "Authorization"),
            "Snowflake Token=\"ST-3\"");
}

TEST_F(SnowflakeClientTest, FailedRenewalReportsTheServerError) {
  SnowflakeClient client = MakeClient();
  http_.Respond(200, kLoginOk);
  http_.Respond(200, kExpired);
  http_.Respond(
      200,
      R"({"data":null,"code":"390114","message":"Authentication token has expired.  The user must authenticate again.","success":false})");
  ASSERT_TRUE(client.Login(PasswordFields(), Operation::kLogin).ok());
  auto rs = client.Query("SELECT 1", {});
  EXPECT_EQ(rs.status().reason(), "snowflake.390114");
  EXPECT_NE(rs.status().message().find("open a new connection"), std::string::npos);
}

TEST_F(SnowflakeClientTest, LoginErrorsCarryCodeMessageAndHintButNoSecret) {
  SnowflakeClient client = MakeClient();
  http_.Respond(200, R"({"data":{"nextAction":"RETRY_LOGIN"},"code":"390100",
      "message":"Incorrect username or password was specified.","success":false})");
  auto info = client.Login(PasswordFields(), Operation::kLogin);
  EXPECT_EQ(info.status().reason(), "snowflake.390100");
  EXPECT_EQ(info.status().code(), Code::kUnauthenticated);
  EXPECT_NE(info.status().message().find("Incorrect username or password"), std::string::npos);
  EXPECT_NE(info.status().message().find("Check the user name and password"), std::string::npos);
  EXPECT_EQ(info.status().ToString().find("hunter2"), std::string::npos);

  http_.Respond(
      200,
      R"({"data":null,"code":"390304","message":"Workload identity not mapped.","success":false})");
  auto wif = client.Login(PasswordFields(), Operation::kWorkloadIdentityLogin);
  EXPECT_EQ(wif.status().reason(), "snowflake.390304");
  EXPECT_NE(wif.status().message().find("wifgate doctor"), std::string::npos);
}

TEST_F(SnowflakeClientTest, QueryErrorKeepsTheSessionUsable) {
  SnowflakeClient client = MakeClient();
  http_.Respond(200, kLoginOk);
  http_.Respond(200, R"({"data":{"errorCode":"002003","sqlState":"42S02","queryId":"q"},
      "code":"002003","message":"SQL compilation error:\nObject 'T' does not exist or not authorized.",
      "success":false})");
  http_.Respond(200, kQueryOk);
  ASSERT_TRUE(client.Login(PasswordFields(), Operation::kLogin).ok());
  auto bad = client.Query("SELECT * FROM T", {});
  EXPECT_EQ(bad.status().reason(), "snowflake.002003");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("role, database and schema"), std::string::npos);
  EXPECT_TRUE(client.Query("SELECT 1", {}).ok());
}

TEST_F(SnowflakeClientTest, HttpAndEnvelopeFailures) {
  SnowflakeClient client = MakeClient();
  http_.Respond(404, "<html>not found</html>");
  EXPECT_EQ(client.Login(PasswordFields(), Operation::kLogin).status().reason(),
            "client.http_status");
  http_.Respond(503, "");
  EXPECT_EQ(client.Login(PasswordFields(), Operation::kLogin).status().code(), Code::kUnavailable);
  http_.Respond(200, "not json");
  EXPECT_EQ(client.Login(PasswordFields(), Operation::kLogin).status().reason(),
            "client.bad_reply");
  http_.Respond(200, R"({"data":{"token":""},"success":true})");
  EXPECT_EQ(client.Login(PasswordFields(), Operation::kLogin).status().reason(),
            "client.bad_reply");
  // Nothing scripted: the transport failure is reported with where it happened.
  auto unreachable = client.Login(PasswordFields(), Operation::kLogin);
  EXPECT_EQ(unreachable.status().reason(), "net.connect");
  EXPECT_NE(unreachable.status().message().find("127.0.0.1:8080/session/v1/login-request"),
            std::string::npos);
  EXPECT_EQ(client.Query("SELECT 1", {}).status().reason(), "client.not_connected");
}

TEST_F(SnowflakeClientTest, UnauthorizedWithSnowflakeCodeIsASessionError) {
  SnowflakeClient client = MakeClient();
  http_.Respond(200, kLoginOk);
  http_.Respond(
      401,
      R"({"data":null,"code":"390104","message":"User must login again to access the service.","success":false})");
  ASSERT_TRUE(client.Login(PasswordFields(), Operation::kLogin).ok());
  auto rs = client.Query("SELECT 1", {});
  EXPECT_EQ(rs.status().reason(), "snowflake.390104");
  EXPECT_NE(rs.status().message().find("open a new connection"), std::string::npos);
}

TEST_F(SnowflakeClientTest, FollowsInProgressReplies) {
  SnowflakeClient client = MakeClient();
  http_.Respond(200, kLoginOk);
  http_.Respond(
      200,
      R"({"code":"333334","data":{"queryId":"q9","getResultUrl":"/queries/q9/result"},"success":true})");
  ASSERT_TRUE(client.Login(PasswordFields(), Operation::kLogin).ok());
  // success:true with an in-progress code still has no rows: treat as in progress.
  http_.Respond(200, kQueryOk);
  auto rs = client.Query("SELECT 1", {});
  ASSERT_TRUE(rs.ok()) << rs.status().ToString();
  EXPECT_EQ(http_.requests.back().method, "GET");
  EXPECT_TRUE(
      http_.requests.back().url.starts_with("http://127.0.0.1:8080/queries/q9/result?requestId="));
}

TEST(QueryBodyTest, EncodesBindsAsSnowflakeDoes) {
  std::vector<Value> binds = {Value::Int64(1),
                              Value::String("a"),
                              Value::Bool(true),
                              Value::Double(1.5),
                              Value::Null(),
                              Value::Binary("AB"),
                              Value::Date(1),
                              Value::TimestampOf({-2, 500000000, std::nullopt}),
                              Value::TimestampOf({0, 0, 60})};
  auto body = ParseStrictJson(QueryBody("SELECT ?", binds, 3, 1795945180734));
  ASSERT_TRUE(body.ok());
  const auto& o = body->as_object();
  EXPECT_EQ(GetInt(o, "sequenceId"), 3);
  EXPECT_EQ(GetInt(o, "querySubmissionTime"), 1795945180734);
  const auto& b = o.at("bindings").as_object();
  auto expect = [&](const char* index, const char* type, boost::json::value value) {
    EXPECT_EQ(b.at(index).as_object().at("type"), type) << index;
    EXPECT_EQ(b.at(index).as_object().at("value"), value) << index;
  };
  expect("1", "FIXED", "1");
  expect("2", "TEXT", "a");
  expect("3", "BOOLEAN", "true");
  expect("4", "REAL", "1.5");
  expect("5", "ANY", nullptr);
  expect("6", "BINARY", "4142");
  expect("7", "DATE", "86400000");
  expect("8", "TIMESTAMP_NTZ", "-1500000000");
  expect("9", "TIMESTAMP_TZ", "0 1500");
  EXPECT_FALSE(ParseStrictJson(QueryBody("SELECT 1", {}, 1, 0))->as_object().contains("bindings"));
}

}  // namespace
}  // namespace wifgate::client
