// The dev IdP served on 127.0.0.1, checked with the real verifiers, JWKS fetcher and
// Beast client: what `wifgate dev-idp` and `wifgate serve --dev` rely on.
#include "dev/dev_idp.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "common/json.h"
#include "common/time_format.h"
#include "dev/dev_idp_server.h"
#include "jwt/jwks_cache.h"
#include "jwt/jwks_fetcher.h"
#include "jwt/jws.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"
#include "verify/azure_verifier.h"
#include "verify/gcp_verifier.h"
#include "verify/oidc_verifier.h"
#include "verify/static_issuer_registry.h"

namespace wifgate::dev {
namespace {

namespace json = boost::json;
using verify::Provider;

constexpr std::string_view kGoogle = "https://accounts.google.com";

class DevIdpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Listen().ok());
    DevIdpOptions options;
    options.base_url = server_.base_url();
    Result<std::unique_ptr<DevIdp>> idp = DevIdp::Open(env_, options);
    ASSERT_TRUE(idp.ok()) << idp.status().ToString();
    idp_ = std::move(idp).value();
    InstallDevIdpRoutes(server_, *idp_);
    ASSERT_TRUE(server_.Start().ok());

    tenant_v2_ = "https://login.microsoftonline.com/" + idp_->options().tenant + "/v2.0";
    registry_.Add(Provider::kGcp, std::string(kGoogle));
    registry_.Add(Provider::kAzure, tenant_v2_);
    registry_.Add(Provider::kOidc, idp_->IssuerUrl(IdpKind::kOidc));
    gcp_options_.issuer = idp_->IssuerUrl(IdpKind::kGcp);
    gcp_options_.allow_insecure = true;
    azure_options_.v1_prefix = server_.base_url() + "/azure-v1/";
    azure_options_.v2_prefix = server_.base_url() + "/azure/";
    azure_options_.allow_insecure = true;
    oidc_options_.issuers[idp_->IssuerUrl(IdpKind::kOidc)].allow_insecure = true;
  }
  void TearDown() override { server_.Stop(std::chrono::milliseconds(100)); }

  Result<verify::VerifiedIdentity> VerifyAs(Provider p, const std::string& token) {
    if (p == Provider::kGcp)
      return verify::GcpVerifier(cache_, registry_, env_, gcp_options_).Verify(token);
    if (p == Provider::kAzure) {
      return verify::AzureVerifier(cache_, registry_, env_, azure_options_).Verify(token);
    }
    return verify::OidcVerifier(cache_, registry_, env_, oidc_options_).Verify(token);
  }
  std::string Mint(IdpKind kind, std::string sub, std::vector<std::string> aud = {}) {
    MintRequest req;
    req.kind = kind;
    req.subject = std::move(sub);
    req.audiences = std::move(aud);
    Result<std::string> token = idp_->Mint(req);
    EXPECT_TRUE(token.ok()) << token.status().ToString();
    return token.ok() ? *token : "";
  }
  Result<net::HttpResponse> Get(std::string path, net::HttpHeaders headers = {}) {
    net::HttpRequest req;
    req.url = server_.base_url() + path;
    req.headers = std::move(headers);
    return http_.Send(req, {});
  }

  Env& env_ = Env::Default();
  net::HttpServer server_{net::HttpServerOptions{}};
  std::unique_ptr<DevIdp> idp_;
  net::BeastHttpClient http_{env_};
  jwt::HttpJwksFetcher fetcher_{http_};
  jwt::JwksCache cache_{fetcher_, env_,
                        jwt::JwksCacheOptions{.refetch_cooldown = std::chrono::seconds(0)}};
  verify::StaticIssuerRegistry registry_;
  verify::GcpVerifierOptions gcp_options_;
  verify::AzureVerifierOptions azure_options_;
  verify::OidcVerifierOptions oidc_options_;
  std::string tenant_v2_;
};

TEST_F(DevIdpServerTest, MintedTokensVerifyForEveryKind) {
  Result<verify::VerifiedIdentity> id = VerifyAs(Provider::kGcp, Mint(IdpKind::kGcp, "1234567890"));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->issuer, kGoogle);  // the dev issuer stands in for Google
  EXPECT_EQ(id->jwt->subject, "1234567890");

  const std::string oid = "611ab25b-2e81-4e18-92a7-b21f2bebb269";
  for (IdpKind kind : {IdpKind::kAzure, IdpKind::kAzureV1}) {
    id = VerifyAs(Provider::kAzure, Mint(kind, oid));
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(id->jwt->issuer, tenant_v2_);
    EXPECT_EQ(id->jwt->subject, oid);
  }
  id = VerifyAs(Provider::kOidc, Mint(IdpKind::kOidc, "repo:org/app:ref:refs/heads/main"));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->issuer, idp_->IssuerUrl(IdpKind::kOidc));
  // A GCP-shaped token is not an OIDC one for the registry, and vice versa.
  EXPECT_EQ(VerifyAs(Provider::kOidc, Mint(IdpKind::kGcp, "1")).status().reason(),
            "jwt.issuer_not_registered");
  EXPECT_EQ(VerifyAs(Provider::kGcp, Mint(IdpKind::kOidc, "1")).status().reason(),
            "gcp.issuer_invalid");
}

TEST_F(DevIdpServerTest, BackdatedTokensExpireForTheVerifier) {
  auto mint = [&](int64_t ttl, int64_t issued_ago) {
    MintRequest req;
    req.kind = IdpKind::kOidc;
    req.subject = "s";
    req.ttl_seconds = ttl;
    req.issued_ago_seconds = issued_ago;
    return idp_->Mint(req);
  };
  const int64_t now = ToUnixSeconds(env_.Now());
  Result<std::string> expired = mint(3600, 3700);  // expired 100 s ago, past the 60 s leeway
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  Result<jwt::Jws> jws = jwt::ParseJws(*expired);
  ASSERT_TRUE(jws.ok());
  EXPECT_NEAR(static_cast<double>(*GetInt(jws->claims, "iat")), now - 3700, 5);
  EXPECT_EQ(*GetInt(jws->claims, "nbf"), *GetInt(jws->claims, "iat"));
  EXPECT_EQ(*GetInt(jws->claims, "exp") - *GetInt(jws->claims, "iat"), 3600);
  Result<verify::VerifiedIdentity> id = VerifyAs(Provider::kOidc, *expired);
  EXPECT_EQ(id.status().reason(), "jwt.expired");
  EXPECT_NE(id.status().client_message().find("expired"), std::string::npos);

  Result<std::string> within_leeway = mint(3600, 3620);  // expired 20 s ago
  ASSERT_TRUE(within_leeway.ok());
  EXPECT_TRUE(VerifyAs(Provider::kOidc, *within_leeway).ok());
  EXPECT_EQ(mint(3600, -1).status().reason(), "dev_idp.issued_ago_negative");
}

TEST_F(DevIdpServerTest, RotationIsPickedUpAfterOneRefetch) {  // CTRL-05, KEY-06
  std::string before = Mint(IdpKind::kOidc, "s");
  ASSERT_TRUE(VerifyAs(Provider::kOidc, before).ok());
  net::HttpRequest rotate{
      .method = "POST", .url = server_.base_url() + "/rotate", .headers = {}, .body = ""};
  ASSERT_EQ(http_.Send(rotate, {})->status, 200);
  size_t fetches = cache_.fetch_count();
  EXPECT_TRUE(VerifyAs(Provider::kOidc, Mint(IdpKind::kOidc, "s")).ok());
  EXPECT_EQ(cache_.fetch_count(), fetches + 1);
  EXPECT_TRUE(VerifyAs(Provider::kOidc, before).ok());  // the retired key is still published
}

TEST_F(DevIdpServerTest, GcpMetadataEndpoints) {
  const std::string path =
      "/computeMetadata/v1/instance/service-accounts/default/"
      "identity?audience=snowflakecomputing.com";
  EXPECT_EQ(Get(path)->status, 403);
  Result<net::HttpResponse> r = Get(path, {{"Metadata-Flavor", "Google"}});
  ASSERT_EQ(r->status, 200);
  Result<verify::VerifiedIdentity> id = VerifyAs(Provider::kGcp, r->body);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->subject, idp_->options().gcp_subject);

  net::HttpRequest gen;
  gen.method = "POST";
  gen.url = server_.base_url() +
            "/v1/projects/-/serviceAccounts/sa-b@p.iam.gserviceaccount.com:generateIdToken";
  gen.body = R"({"audience":"snowflakecomputing.com","delegates":[],"includeEmail":true})";
  EXPECT_EQ(http_.Send(gen, {})->status, 401);
  gen.headers = {{"Authorization", "Bearer dev-gcp-access-token"}};
  r = http_.Send(gen, {});
  ASSERT_EQ(r->status, 200) << r->body;
  std::string token(ParseStrictJson(r->body)->as_object().at("token").as_string());
  id = VerifyAs(Provider::kGcp, token);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->subject, DevServiceAccountId("sa-b@p.iam.gserviceaccount.com"));
}

TEST_F(DevIdpServerTest, AzureManagedIdentityEndpoints) {
  const std::string query =
      "?api-version=2018-02-01&resource=api://fd3f753b-eed3-462c-b6a7-a4b5bb650aad";
  EXPECT_EQ(Get("/metadata/identity/oauth2/token" + query, {{"Metadata", "True"}})->status, 400);
  Result<net::HttpResponse> r =
      Get("/metadata/identity/oauth2/token" + query, {{"Metadata", "true"}});
  ASSERT_EQ(r->status, 200) << r->body;
  std::string token(ParseStrictJson(r->body)->as_object().at("access_token").as_string());
  Result<verify::VerifiedIdentity> id = VerifyAs(Provider::kAzure, token);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->subject, idp_->options().azure_object_id);

  EXPECT_EQ(Get("/msi/token" + query, {{"X-IDENTITY-HEADER", "wrong"}})->status, 401);
  r = Get("/msi/token" + query, {{"X-IDENTITY-HEADER", "dev-identity-header"}});
  ASSERT_EQ(r->status, 200);
}

TEST_F(DevIdpServerTest, AksFederatedTokenExchange) {
  std::string assertion =
      Mint(IdpKind::kOidc, "system:serviceaccount:ns:sa", {"api://AzureADTokenExchange"});
  net::HttpRequest req;
  req.method = "POST";
  req.url = server_.base_url() + "/azure/" + idp_->options().tenant + "/oauth2/v2.0/token";
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.body =
      "grant_type=client_credentials&client_id=app-1&scope=api%3A%2F%2Ffd3f753b-eed3-462c-b6a7-"
      "a4b5bb650aad%2F.default&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-"
      "assertion-type%3Ajwt-bearer&client_assertion=" +
      assertion;
  Result<net::HttpResponse> r = http_.Send(req, {});
  ASSERT_EQ(r->status, 200) << r->body;
  std::string token(ParseStrictJson(r->body)->as_object().at("access_token").as_string());
  Result<verify::VerifiedIdentity> id = VerifyAs(Provider::kAzure, token);
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  req.body.back() ^= 1;  // a forged assertion is refused
  EXPECT_EQ(http_.Send(req, {})->status, 401);
}

TEST(DevIdpStateTest, MintAgainstPersistedStateAndRotateAcrossProcesses) {
  std::string dir =
      std::filesystem::temp_directory_path() / ("dev_idp_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  DevIdpOptions options;
  options.data_dir = dir;
  options.base_url = "http://127.0.0.1:4567";
  std::unique_ptr<DevIdp> running = std::move(DevIdp::Open(Env::Default(), options)).value();
  EXPECT_EQ(std::filesystem::status(dir + "/dev-idp/state.json").permissions() &
                std::filesystem::perms::group_read,
            std::filesystem::perms::none);

  Result<std::unique_ptr<DevIdp>> other = DevIdp::OpenExisting(Env::Default(), dir);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ((*other)->base_url(), "http://127.0.0.1:4567");
  MintRequest req;
  req.kind = IdpKind::kOidc;
  req.subject = "s";
  std::string token = *(*other)->Mint(req);
  EXPECT_TRUE(running->VerifyOwnToken(token).ok());

  std::string jwks_before = running->JwksJson();
  ASSERT_TRUE((*other)->Rotate().ok());
  EXPECT_NE(running->JwksJson(), jwks_before);  // the running IdP sees the rotation
  EXPECT_TRUE(running->VerifyOwnToken(*(*other)->Mint(req)).ok());
  EXPECT_EQ(DevIdp::OpenExisting(Env::Default(), dir + "/nope").status().reason(),
            "dev_idp.not_running");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace wifgate::dev
