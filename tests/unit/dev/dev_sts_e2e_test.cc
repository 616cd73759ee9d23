// End to end on loopback: the dev STS served by net::HttpServer on 127.0.0.1, temporary
// credentials it issued for the service-role Lambda role, an attestation built by this
// project's client (attest/, signed with the shared signer), and the AWS verifier in dev
// mode dialling the dev STS through the real Beast client. Then tampered attestations.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "attest/aws_attestation.h"
#include "aws/sts_client.h"
#include "common/base64.h"
#include "common/json.h"
#include "dev/dev_sts.h"
#include "fake_env.h"
#include "jwt/jwks_cache.h"
#include "jwt/jwks_fetcher.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"
#include "verify/aws_jwt_verifier.h"
#include "verify/aws_sts_verifier.h"
#include "verify/static_issuer_registry.h"

namespace wifgate {
namespace {

using testing::FakeEnv;

constexpr char kHost[] = "sts.us-east-1.amazonaws.com";
constexpr char kLambdaRole[] =
    "arn:aws:iam::111111111111:role/service-role/my-function-role-abc123";

class DevStsEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(std::string(WIFGATE_SOURCE_DIR) + "/config/dev-sts.toml");
    std::stringstream text;
    text << in.rdbuf();
    auto config = dev::ParseDevStsConfig(text.str(), "dev-sts.toml");
    ASSERT_TRUE(config.ok());
    auto sts = dev::DevSts::Create(std::move(*config), env_);
    ASSERT_TRUE(sts.ok());
    sts_ = std::move(*sts);
    net::HttpServerOptions options;
    options.host = "127.0.0.1";
    server_ = std::make_unique<net::HttpServer>(options);
    sts_->Register(*server_);
    ASSERT_TRUE(server_->Listen().ok());
    sts_->set_base_url(server_->base_url());
    ASSERT_TRUE(server_->Start().ok());

    verify::AwsStsVerifierConfig vconfig;
    vconfig.dev_mode = true;
    vconfig.dev_endpoints[kHost] = server_->base_url();
    auto verifier = verify::AwsStsVerifier::Create(vconfig, http_, env_);
    ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
    verifier_ = std::move(*verifier);

    auto creds = sts_->AssumeRole("arn:aws:iam::111111111111:user/developer", kLambdaRole,
                                  "my-function", std::chrono::hours(1));
    ASSERT_TRUE(creds.ok()) << creds.status().ToString();
    lambda_ = creds->credentials;
  }
  void TearDown() override { server_->Stop(std::chrono::milliseconds(100)); }

  std::string Attestation(const aws::Credentials& creds, SystemTime at) {
    auto signed_request =
        attest::SignAwsEnvelopeRequest(creds, "us-east-1", kHost, attest::kSnowflakeAudience, at);
    EXPECT_TRUE(signed_request.ok()) << signed_request.status().ToString();
    return Base64Encode(attest::AwsEnvelopeJson(*signed_request, kHost));
  }

  FakeEnv env_;
  std::unique_ptr<dev::DevSts> sts_;
  std::unique_ptr<net::HttpServer> server_;
  net::BeastHttpClient http_{env_};
  std::unique_ptr<verify::AwsStsVerifier> verifier_;
  aws::Credentials lambda_;
};

TEST_F(DevStsEndToEndTest, LambdaRoleUnderServiceRolePathVerifiesWithoutPath) {
  auto id = verifier_->Verify(Attestation(lambda_, env_.now));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(id->aws.has_value());
  EXPECT_EQ(id->aws->type, verify::AwsPrincipalType::kRole);
  EXPECT_EQ(id->aws->partition, "aws");
  EXPECT_EQ(id->aws->account, "111111111111");
  EXPECT_EQ(id->aws->name, "my-function-role-abc123");
  EXPECT_EQ(id->aws->path, "");
  EXPECT_EQ(id->aws->session, "my-function");
  EXPECT_EQ(id->aws->arn,
            "arn:aws:sts::111111111111:assumed-role/my-function-role-abc123/my-function");
  EXPECT_EQ(verify::IdentityKey(*id),
            verify::AwsRoleKey("aws", "111111111111", "my-function-role-abc123"));
}

TEST_F(DevStsEndToEndTest, IamUserLongTermKeysVerify) {
  aws::Credentials bob{"AKIADEVSTS000000BOB0", "devsts/bob/NOT+A+REAL+SECRET+KEY+000000000", "",
                       std::nullopt};
  auto id = verifier_->Verify(Attestation(bob, env_.now));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->aws->type, verify::AwsPrincipalType::kUser);
  EXPECT_EQ(id->aws->path, "/team/");
  EXPECT_EQ(id->aws->arn, "arn:aws:iam::111111111111:user/team/bob");
}

TEST_F(DevStsEndToEndTest, ChangedSignatureIsRejectedByTheStsCall) {
  std::string json = *Base64Decode(Attestation(lambda_, env_.now));
  size_t sig = json.find("Signature=") + 10;
  json[sig] = json[sig] == '0' ? '1' : '0';
  auto id = verifier_->Verify(Base64Encode(json));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().reason(), "aws.sts_rejected");
  EXPECT_NE(id.status().message().find("SignatureDoesNotMatch"), std::string::npos);
}

TEST_F(DevStsEndToEndTest, ForeignSessionTokenIsRejected) {
  aws::Credentials forged = lambda_;
  forged.session_token = "DevStsSomebodyElsesToken";
  auto id = verifier_->Verify(Attestation(forged, env_.now));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().reason(), "aws.sts_rejected");
  EXPECT_NE(id.status().message().find("InvalidClientTokenId"), std::string::npos);
}

TEST_F(DevStsEndToEndTest, ExpiredDateIsRejectedWithoutCallingSts) {
  auto id = verifier_->Verify(Attestation(lambda_, env_.now - std::chrono::minutes(20)));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().reason(), "aws.amz_date_stale");
}

TEST_F(DevStsEndToEndTest, RetryIsServedFromTheCache) {
  const std::string token = Attestation(lambda_, env_.now);
  ASSERT_TRUE(verifier_->Verify(token).ok());
  server_->Stop(std::chrono::milliseconds(100));  // STS gone: only the cache can answer
  auto again = verifier_->Verify(token);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->aws->name, "my-function-role-abc123");
}

// Outbound-token mode as `serve --dev` wires it: the dev STS mints with an AWS-shaped
// issuer, serves that issuer's discovery document and keys under its own base URL, and the
// AWS JWT verifier is told the issuer's JWKS URL on loopback.
TEST_F(DevStsEndToEndTest, OutboundTokenVerifiesWithTheIssuersLoopbackJwks) {
  auto endpoint = aws::ResolveStsEndpoint("us-east-1", server_->base_url());
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  aws::StsClient sts(http_, env_, *endpoint);
  auto token = sts.GetWebIdentityToken(lambda_, "snowflakecomputing.com", "ES384");
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  const std::string issuer = dev::DevStsTokenIssuer::IssuerFor("111111111111");
  const std::string jwks = dev::DevStsTokenIssuer::JwksUrlFor(server_->base_url(), "111111111111");

  net::HttpRequest get{.method = "GET",
                       .url = server_->base_url() +
                              dev::DevStsTokenIssuer::AccountPath("111111111111") +
                              "/.well-known/openid-configuration",
                       .headers = {},
                       .body = ""};
  auto discovery = http_.Send(get, {});
  ASSERT_TRUE(discovery.ok() && discovery->status == 200);
  auto doc = ParseStrictJson(discovery->body);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->at("issuer").as_string(), issuer);
  EXPECT_EQ(doc->at("jwks_uri").as_string(), jwks);

  verify::StaticIssuerRegistry registry;
  registry.Add(verify::Provider::kAws, issuer);
  jwt::HttpJwksFetcher fetcher(http_);
  jwt::JwksCache cache(fetcher, env_);
  verify::AwsJwtVerifierOptions options;
  options.extra_issuers[issuer] = jwt::KeySource{issuer, jwks, std::nullopt, true};
  verify::AwsJwtVerifier verifier(cache, registry, env_, options);
  auto id = verifier.Verify(token->jwt);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(id->aws && id->jwt);
  EXPECT_EQ(id->jwt->issuer, issuer);
  EXPECT_EQ(id->aws->arn, kLambdaRole);
  EXPECT_EQ(id->aws->session, "my-function");
  EXPECT_EQ(verify::IdentityKey(*id),
            verify::AwsRoleKey("aws", "111111111111", "my-function-role-abc123"));

  // Another account's issuer is not this token's, even with the same keys.
  verify::StaticIssuerRegistry other;
  other.Add(verify::Provider::kAws, dev::DevStsTokenIssuer::IssuerFor("222222222222"));
  EXPECT_FALSE(verify::AwsJwtVerifier(cache, other, env_, options).Verify(token->jwt).ok());
}

}  // namespace
}  // namespace wifgate
