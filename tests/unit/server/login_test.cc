#include "server/login.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "fake_env.h"
#include "registry/sqlite_store.h"
#include "sql/engine.h"
#include "sql/executor.h"

namespace wifgate::server {
namespace {

// A verifier that answers with a fixed result, as a real one would after STS or JWKS.
class FakeVerifier : public verify::Verifier {
 public:
  explicit FakeVerifier(Result<verify::VerifiedIdentity> answer) : answer_(std::move(answer)) {}
  verify::Provider provider() const override { return verify::Provider::kAws; }
  void VerifyAsync(std::string attestation, Callback done) override {
    last_attestation = std::move(attestation);
    done(answer_);
  }
  std::string last_attestation;

 private:
  Result<verify::VerifiedIdentity> answer_;
};

verify::VerifiedIdentity LambdaRole(std::string role = "my-fn-role") {
  verify::VerifiedIdentity id;
  id.provider = verify::Provider::kAws;
  id.aws = verify::AwsPrincipal{"aws",
                                "123456789012",
                                verify::AwsPrincipalType::kRole,
                                role,
                                "",
                                "sess",
                                "arn:aws:sts::123456789012:assumed-role/" + role + "/sess"};
  return id;
}

class LoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("wifgate-login-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = registry::OpenSqliteStore(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto registry = registry::Registry::Open(std::move(*store));
    ASSERT_TRUE(registry.ok());
    registry_ = std::move(*registry);
    auto engine = sql::Engine::Open(":memory:");
    ASSERT_TRUE(engine.ok());
    engine_ = std::move(*engine);
    executor_ = std::make_unique<sql::Executor>(*registry_, *engine_, env_);
    Sql("CREATE USER fn_user TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AWS ARN = "
        "'arn:aws:iam::123456789012:role/service-role/my-fn-role')");
    config_.account = "ACME";
    sessions_ = std::make_unique<SessionStore>(env_, SessionLimits{});
    limiter_ = std::make_unique<RateLimiter>(env_, 60, 3);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Sql(const std::string& statement) {
    auto r = executor_->Execute(sql::SessionContext::LocalAdmin(), statement);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  LoginResult Login(FakeVerifier& verifier, LoginRequest req) {
    LoginService service(env_, config_, *registry_, *sessions_, *limiter_,
                         Verifiers{&verifier, nullptr, nullptr, nullptr, nullptr});
    LoginResult out;
    service.Login(std::move(req), ClientContext{"10.0.0.7"},
                  [&](LoginResult r) { out = std::move(r); });
    return out;
  }

  static LoginRequest AwsRequest() {
    LoginRequest r;
    r.account = "acme";
    r.authenticator = "WORKLOAD_IDENTITY";
    r.provider = "AWS";
    r.token = "eyJ1cmwiOiJ4In0=";
    r.client_app_id = "JavaScript";
    r.client_app_version = "3.3.0";
    return r;
  }

  std::filesystem::path dir_;
  testing::FakeEnv env_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<sql::Engine> engine_;
  std::unique_ptr<sql::Executor> executor_;
  ServerConfig config_;
  std::unique_ptr<SessionStore> sessions_;
  std::unique_ptr<RateLimiter> limiter_;
};

TEST_F(LoginTest, PathedRoleRegistrationMatchesAssumedRoleAndRecordsHistory) {
  FakeVerifier verifier(LambdaRole());
  LoginResult r = Login(verifier, AwsRequest());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.session->user, "FN_USER");
  EXPECT_EQ(r.session->role, "PUBLIC");
  EXPECT_EQ(verifier.last_attestation, "eyJ1cmwiOiJ4In0=");
  EXPECT_TRUE(sessions_->Authenticate(r.tokens.session_token).ok());
  auto history = registry_->store().LoginHistory();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_TRUE((*history)[0].is_success);
  EXPECT_EQ((*history)[0].user_name, "FN_USER");
  EXPECT_EQ((*history)[0].reported_client_type, "JAVASCRIPT_DRIVER");
  EXPECT_EQ((*history)[0].login_details.find("eyJ1cmwi"), std::string::npos);  // no token
}

TEST_F(LoginTest, UnregisteredRoleTellsTheCallerOnlyItsOwnIdentity) {
  FakeVerifier verifier(LambdaRole("other-role"));
  LoginResult r = Login(verifier, AwsRequest());
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.code, login_codes::kIdentityNotRegistered);
  EXPECT_NE(r.status.client_message().find("other-role"), std::string::npos);
  EXPECT_EQ(r.status.client_message().find("FN_USER"), std::string::npos);
  EXPECT_EQ(r.status.client_message().find("my-fn-role"), std::string::npos);
  auto history = registry_->store().LoginHistory();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_FALSE((*history)[0].is_success);
  EXPECT_EQ((*history)[0].error_code, "registry.identity_not_registered");
}

TEST_F(LoginTest, VerifierFailuresMapToTheirCodes) {
  FakeVerifier invalid(Status(Code::kUnauthenticated, "aws.sts_rejected", "STS said no",
                              "STS refused the attestation"));
  LoginResult r = Login(invalid, AwsRequest());
  EXPECT_EQ(r.code, login_codes::kAttestationInvalid);
  EXPECT_EQ(r.status.client_message(), "STS refused the attestation");
  FakeVerifier down(Status(Code::kUnavailable, "net.connect", "no route"));
  EXPECT_EQ(Login(down, AwsRequest()).code, login_codes::kVerifierUnavailable);
}

TEST_F(LoginTest, WrongAccountUnknownProviderAndMissingTokenAreRefusedBeforeVerifying) {
  FakeVerifier verifier(LambdaRole());
  LoginRequest req = AwsRequest();
  req.account = "OTHER";
  LoginResult r = Login(verifier, req);
  EXPECT_EQ(r.code, login_codes::kWrongAccount);
  EXPECT_NE(r.status.client_message().find("ACME"), std::string::npos);
  // Unknown, missing, or spelled otherwise than the connectors send it (ENV-12).
  for (const char* provider : {"IBM", "", "aws", "Aws", "AWS ", " AWS"}) {
    env_.now += std::chrono::minutes(1);  // past the fixture's burst of three per minute
    req = AwsRequest();
    req.provider = provider;
    LoginResult refused = Login(verifier, req);
    EXPECT_EQ(refused.code, login_codes::kMalformed) << "'" << provider << "'";
    EXPECT_EQ(refused.status.reason(), "login.provider_unknown") << "'" << provider << "'";
  }
  req = AwsRequest();
  req.token.clear();
  EXPECT_EQ(Login(verifier, req).code, login_codes::kMalformed);
  EXPECT_TRUE(verifier.last_attestation.empty());
}

// security.md MAP-06: LOGIN_NAME only selects; the verified identity decides, and a
// LOGIN_NAME naming another user is refused rather than honoured.
TEST_F(LoginTest, LoginNameMustBeTheUserTheIdentityBelongsTo) {
  Sql("CREATE USER bob PASSWORD = 'correct horse battery staple'");
  FakeVerifier verifier(LambdaRole());
  LoginRequest req = AwsRequest();
  req.login_name = "bob";
  LoginResult refused = Login(verifier, req);
  EXPECT_EQ(refused.code, login_codes::kIdentityNotRegistered);
  EXPECT_EQ(refused.status.reason(), "login.user_mismatch");
  EXPECT_EQ(refused.session, nullptr);
  req.login_name = "fn_user";  // the user the identity is registered to, in any case
  LoginResult ok = Login(verifier, req);
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(ok.session->user, "FN_USER");
}

TEST_F(LoginTest, RoleMustBeGrantedAndDisabledUsersCannotLogIn) {
  FakeVerifier verifier(LambdaRole());
  LoginRequest req = AwsRequest();
  req.role = "sysadmin";
  EXPECT_EQ(Login(verifier, req).code, login_codes::kRoleNotGranted);
  Sql("GRANT ROLE SYSADMIN TO USER fn_user");
  LoginResult r = Login(verifier, req);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.session->role, "SYSADMIN");
  Sql("ALTER USER fn_user SET DISABLED = TRUE");
  EXPECT_EQ(Login(verifier, AwsRequest()).code, login_codes::kPolicyDenied);
}

TEST_F(LoginTest, FailuresUseTheRateLimitAndSuccessesDoNot) {
  FakeVerifier verifier(LambdaRole());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(Login(verifier, AwsRequest()).status.ok()) << i;
  FakeVerifier unregistered(LambdaRole("some-other-role"));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Login(unregistered, AwsRequest()).code, login_codes::kIdentityNotRegistered) << i;
  }
  verifier.last_attestation.clear();
  EXPECT_EQ(Login(verifier, AwsRequest()).code, login_codes::kRateLimited);
  EXPECT_TRUE(verifier.last_attestation.empty());  // refused before verifying
}

TEST_F(LoginTest, PasswordLoginGivesOneAnswerForUnknownUserAndWrongPassword) {
  Sql("CREATE USER alice TYPE = PERSON PASSWORD = 's3cret'");
  FakeVerifier unused(LambdaRole());
  LoginRequest req;
  req.account = "ACME";
  req.authenticator = "SNOWFLAKE";
  req.login_name = "alice";
  req.password = "s3cret";
  LoginResult ok = Login(unused, req);
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(ok.session->user, "ALICE");
  req.password = "hunter2-guess";
  LoginResult bad = Login(unused, req);
  req.login_name = "nobody";
  LoginResult unknown = Login(unused, req);
  EXPECT_EQ(bad.code, login_codes::kBadPassword);
  EXPECT_EQ(unknown.code, login_codes::kBadPassword);
  EXPECT_EQ(bad.status.client_message(), unknown.status.client_message());
  EXPECT_EQ(bad.status.message().find("hunter2-guess"), std::string::npos);  // never the password
}

}  // namespace
}  // namespace wifgate::server
