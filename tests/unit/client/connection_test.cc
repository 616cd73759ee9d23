#include "wifgate/connection.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "fake_env.h"

namespace wifgate {
namespace {

using testing::FakeEnv;
using testing::FakeHttpClient;

constexpr char kLoginOk[] = R"({"data":{"token":"ST-1","masterToken":"MT-1","sessionId":5,
  "displayUserName":"LAMBDA_USER"},"success":true})";

// Records whether it was asked: the allow-list must refuse before any credential is read.
class CountingSource : public AttestationSource {
 public:
  Result<Attestation> Attest(const WorkloadIdentityOptions& options) override {
    ++calls;
    seen = options;
    return Attestation{"AWS", "ATTESTATION-SECRET"};
  }
  int calls = 0;
  WorkloadIdentityOptions seen;
};

class ConnectionTest : public ::testing::Test {
 protected:
  ConnectionOptions WifOptions(std::string url) {
    ConnectionOptions o;
    o.url = std::move(url);
    o.account = "testacct";
    o.authenticator = Authenticator::kWorkloadIdentity;
    o.workload_identity.provider = "aws";
    o.env = &env_;
    o.http = &http_;
    o.attestation_source = &source_;
    return o;
  }
  FakeEnv env_;
  FakeHttpClient http_;
  CountingSource source_;
};

TEST_F(ConnectionTest, WorkloadIdentityLoginSendsTheAttestation) {
  http_.Respond(200, kLoginOk);
  http_.Respond(200, R"({"success":true})");
  ConnectionOptions o = WifOptions("http://127.0.0.1:9000");
  o.allowed_hosts = {"127.0.0.1"};
  o.role = "APP";
  auto conn = Connection::Open(o);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  EXPECT_EQ((*conn)->user(), "LAMBDA_USER");
  EXPECT_EQ((*conn)->session_id(), 5);
  EXPECT_EQ(source_.calls, 1);
  EXPECT_EQ(source_.seen.provider, "AWS");

  auto body = ParseStrictJson(http_.requests[0].body);
  const auto& data = body->as_object().at("data").as_object();
  EXPECT_EQ(data.at("AUTHENTICATOR"), "WORKLOAD_IDENTITY");
  EXPECT_EQ(data.at("PROVIDER"), "AWS");
  EXPECT_EQ(data.at("TOKEN"), "ATTESTATION-SECRET");
  EXPECT_EQ(data.at("ACCOUNT_NAME"), "testacct");
  EXPECT_FALSE(data.contains("LOGIN_NAME"));
  EXPECT_NE(http_.requests[0].url.find("&roleName=APP"), std::string::npos);

  EXPECT_TRUE((*conn)->Close().ok());
  EXPECT_EQ(http_.requests.size(), 2u);
  conn->reset();  // the destructor does not log out twice
  EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(ConnectionTest, AllowListRefusesBeforeAnyCredentialIsFetched) {
  auto conn = Connection::Open(WifOptions("https://attacker.example"));
  EXPECT_EQ(conn.status().reason(), "client.wif_host_not_allowed");
  EXPECT_EQ(source_.calls, 0);
  EXPECT_TRUE(http_.requests.empty());

  // An allowed host over plain http is refused too, also before attesting.
  ConnectionOptions o = WifOptions("http://wifgate.corp.example");
  o.allowed_hosts = {"corp.example"};
  EXPECT_EQ(Connection::Open(o).status().reason(), "client.wif_insecure_transport");
  EXPECT_EQ(source_.calls, 0);

  // The environment variable adds hosts like allowed_hosts does.
  env_.vars["SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES"] = "127.0.0.1";
  http_.Respond(200, kLoginOk);
  EXPECT_TRUE(Connection::Open(WifOptions("http://127.0.0.1:9000")).ok());
  EXPECT_EQ(source_.calls, 1);
}

TEST_F(ConnectionTest, DefaultHostNeedsNoAllowListEntry) {
  http_.Respond(200, kLoginOk);
  auto conn = Connection::Open(WifOptions(""));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  EXPECT_TRUE(http_.requests[0].url.starts_with(
      "https://testacct.snowflakecomputing.com/session/v1/login-request?"));
}

TEST_F(ConnectionTest, AttestationFailureIsReturnedAndNothingIsSent) {
  class Failing : public AttestationSource {
   public:
    Result<Attestation> Attest(const WorkloadIdentityOptions&) override {
      return Status(Code::kNotFound, "aws.no_credentials", "no AWS credentials");
    }
  } failing;
  ConnectionOptions o = WifOptions("");
  o.attestation_source = &failing;
  EXPECT_EQ(Connection::Open(o).status().reason(), "aws.no_credentials");
  EXPECT_TRUE(http_.requests.empty());
}

TEST_F(ConnectionTest, ValidatesOptionsPerAuthenticator) {
  ConnectionOptions o = WifOptions("");
  o.workload_identity.provider = "ibm";
  EXPECT_EQ(Connection::Open(o).status().reason(), "client.bad_provider");
  o.authenticator = Authenticator::kSnowflake;
  EXPECT_EQ(Connection::Open(o).status().reason(), "client.missing_option");
  o.user = "u";
  EXPECT_EQ(Connection::Open(o).status().reason(), "client.missing_option");
  o.authenticator = Authenticator::kSnowflakeJwt;
  EXPECT_EQ(Connection::Open(o).status().reason(), "client.missing_option");
  o.private_key_pem = "not a key";
  EXPECT_EQ(Connection::Open(o).status().reason(), "client.bad_private_key");
  o.account = "";
  EXPECT_EQ(Connection::Open(o).status().reason(), "client.bad_account");
  EXPECT_TRUE(http_.requests.empty());
}

TEST_F(ConnectionTest, PasswordLogin) {
  http_.Respond(200, kLoginOk);
  ConnectionOptions o = WifOptions("http://127.0.0.1:9000");
  o.authenticator = Authenticator::kSnowflake;
  o.user = "TESTUSER";
  o.password = "pw";
  ASSERT_TRUE(Connection::Open(o).ok());
  auto body = ParseStrictJson(http_.requests[0].body);
  const auto& data = body->as_object().at("data").as_object();
  EXPECT_EQ(data.at("PASSWORD"), "pw");
  EXPECT_EQ(data.at("LOGIN_NAME"), "TESTUSER");
  EXPECT_EQ(source_.calls, 0);
}

TEST_F(ConnectionTest, BuiltInProvidersAttest) {
  // OIDC needs no network: the built-in provider reads the token file.
  env_.files["/var/run/token"] =
      "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwic3ViIjoieCIsImF1ZCI6InNub3dmbGFrZWNvbXB1dGluZy5j"
      "b20iLCJleHAiOjQxMDI0NDQ4MDB9.c2ln";
  http_.Respond(200, kLoginOk);
  ConnectionOptions o = WifOptions("");
  o.attestation_source = nullptr;
  o.workload_identity.provider = "oidc";
  o.workload_identity.token_file = "/var/run/token";
  ASSERT_TRUE(Connection::Open(o).ok());
  auto body = ParseStrictJson(http_.requests[0].body);
  const auto& data = body->as_object().at("data").as_object();
  EXPECT_EQ(data.at("PROVIDER"), "OIDC");
  EXPECT_EQ(data.at("TOKEN"),
            "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
            "eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwic3ViIjoieCIsImF1ZCI6InNub3dmbGFrZWNvbXB1dG"
            "luZy5jb20iLCJleHAiOjQxMDI0NDQ4MDB9.c2ln");

  // Impersonation is refused where the providers cannot do it, before any request.
  size_t sent = http_.requests.size();  // the login, and the logout of the closed connection
  o.workload_identity.impersonation_path = {"someone"};
  EXPECT_EQ(Connection::Open(o).status().reason(), "client.impersonation_unsupported");
  EXPECT_EQ(http_.requests.size(), sent);
}

TEST(ParseAuthenticatorTest, Names) {
  EXPECT_EQ(*ParseAuthenticator("workload_identity"), Authenticator::kWorkloadIdentity);
  EXPECT_EQ(*ParseAuthenticator("SNOWFLAKE"), Authenticator::kSnowflake);
  EXPECT_EQ(*ParseAuthenticator("snowflake_jwt"), Authenticator::kSnowflakeJwt);
  EXPECT_EQ(ParseAuthenticator("oauth").status().reason(), "client.bad_authenticator");
}

}  // namespace
}  // namespace wifgate
