#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "common/base64.h"
#include "common/crypto.h"
#include "common/json.h"
#include "common/time_format.h"
#include "fake_env.h"
#include "jwt/jwks_cache.h"
#include "jwt/jwks_fetcher.h"
#include "jwt/signing_key.h"
#include "verify/aws_jwt_verifier.h"
#include "verify/azure_verifier.h"
#include "verify/gcp_verifier.h"
#include "verify/oidc_verifier.h"
#include "verify/static_issuer_registry.h"

namespace wifgate::verify {
namespace {

namespace json = boost::json;
using jwt::Algorithm;
using jwt::SigningKey;

constexpr std::string_view kGoogle = "https://accounts.google.com";
constexpr std::string_view kTenant = "2c0183ed-cf17-480d-b3f7-df91bc0a97cd";
constexpr std::string_view kAwsIssuer = "https://abc123-def456.tokens.sts.global.api.aws";
constexpr std::string_view kIdp = "https://idp-a.test";
constexpr std::string_view kRoleArn = "arn:aws:iam::111111111111:role/Deploy";

// Serves discovery and JWKS for any issuer it is told about, from a URL table.
class FakeIssuers {
 public:
  explicit FakeIssuers(testing::FakeHttpClient& http) : http_(http) {
    for (int i = 0; i < 50; ++i) {
      http_.Expect([this](const net::HttpRequest& r) -> Result<net::HttpResponse> {
        auto it = routes_.find(r.url);
        if (it == routes_.end()) return net::HttpResponse{404, {}, ""};
        return net::HttpResponse{200, {}, it->second};
      });
    }
  }
  void Publish(std::string_view issuer, std::initializer_list<const SigningKey*> keys) {
    std::string base(issuer);
    if (base.ends_with('/')) base.pop_back();
    json::array arr;
    for (const SigningKey* k : keys) arr.push_back(k->PublicJwk());
    routes_[base + "/.well-known/openid-configuration"] = ToJson(
        json::object{{"issuer", issuer}, {"jwks_uri", "https://keys.test" + base.substr(7)}});
    routes_["https://keys.test" + base.substr(7)] = ToJson(json::object{{"keys", arr}});
  }

 private:
  testing::FakeHttpClient& http_;
  std::map<std::string, std::string> routes_;
};

class JwtVerifiersTest : public ::testing::Test {
 protected:
  JwtVerifiersTest()
      : rsa_(*SigningKey::Generate(Algorithm::kRs256, "rsa-1")),
        es384_(*SigningKey::Generate(Algorithm::kEs384, "ec-384")),
        es256_(*SigningKey::Generate(Algorithm::kEs256, "ec-256")),
        issuers_(http_),
        fetcher_(http_),
        cache_(fetcher_, env_) {
    issuers_.Publish(kGoogle, {&rsa_, &es256_});
    issuers_.Publish("https://login.microsoftonline.com/" + std::string(kTenant) + "/v2.0",
                     {&rsa_});
    issuers_.Publish(kAwsIssuer, {&es384_, &rsa_});
    issuers_.Publish(kIdp, {&rsa_, &es256_, &es384_});
  }

  int64_t Now() const { return ToUnixSeconds(env_.now); }
  json::object Claims(std::string_view iss, std::string_view sub, json::value aud) const {
    return {{"iss", iss}, {"sub", sub}, {"aud", aud}, {"iat", Now() - 5}, {"exp", Now() + 600}};
  }
  std::string Mint(const SigningKey& key, const json::object& claims,
                   const json::object& header = {}) const {
    return *jwt::MintJws(key, claims, header);
  }
  std::string Reason(Verifier& v, const std::string& token) {
    return v.Verify(token).status().reason();
  }

  testing::FakeEnv env_;
  testing::FakeHttpClient http_;
  SigningKey rsa_, es384_, es256_;
  FakeIssuers issuers_;
  jwt::HttpJwksFetcher fetcher_;
  jwt::JwksCache cache_;
  StaticIssuerRegistry registry_;
};

TEST_F(JwtVerifiersTest, GcpAcceptsGoogleIdToken) {  // CTRL-04
  registry_.Add(Provider::kGcp, std::string(kGoogle));
  GcpVerifier gcp(cache_, registry_, env_);
  Result<VerifiedIdentity> id =
      gcp.Verify(Mint(rsa_, Claims(kGoogle, "104000000000000000001", "snowflakecomputing.com")));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->provider, Provider::kGcp);
  EXPECT_EQ(id->jwt->issuer, kGoogle);
  EXPECT_EQ(id->jwt->subject, "104000000000000000001");
  EXPECT_FALSE(id->aws.has_value());
  // Google's scheme-less issuer form maps to the same identity; keys stay cached.
  size_t requests = http_.requests.size();
  id = gcp.Verify(
      Mint(rsa_, Claims("accounts.google.com", "104000000000000000001", "snowflakecomputing.com")));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->issuer, kGoogle);
  EXPECT_EQ(http_.requests.size(), requests);
}

TEST_F(JwtVerifiersTest, GcpRejections) {
  registry_.Add(Provider::kGcp, std::string(kGoogle));
  GcpVerifier gcp(cache_, registry_, env_);
  EXPECT_EQ(Reason(gcp, Mint(rsa_, Claims(kGoogle, "sa@p.iam.gserviceaccount.com",
                                          "snowflakecomputing.com"))),
            "gcp.subject_invalid");
  EXPECT_EQ(Reason(gcp, Mint(es256_, Claims(kGoogle, "1", "snowflakecomputing.com"))),
            "jwt.alg_not_allowed");
  EXPECT_EQ(Reason(gcp, Mint(rsa_, Claims(kIdp, "1", "snowflakecomputing.com"))),
            "gcp.issuer_invalid");
  EXPECT_EQ(Reason(gcp, Mint(rsa_, Claims(kGoogle, "1", "https://other"))),
            "jwt.audience_mismatch");
}

TEST_F(JwtVerifiersTest, UnregisteredIssuerIsNeverContacted) {  // KEY-01
  GcpVerifier gcp(cache_, registry_, env_);
  EXPECT_EQ(Reason(gcp, Mint(rsa_, Claims(kGoogle, "1", "snowflakecomputing.com"))),
            "jwt.issuer_not_registered");
  OidcVerifier oidc(cache_, registry_, env_);
  for (std::string iss : {"http://127.0.0.1:9/", "http://169.254.169.254/latest/meta-data/iam/",
                          "https://evil.test", "file:///etc/passwd"}) {
    EXPECT_EQ(Reason(oidc, Mint(rsa_, Claims(iss, "s", "snowflakecomputing.com"))),
              "jwt.issuer_not_registered")
        << iss;
  }
  EXPECT_TRUE(http_.requests.empty());
}

TEST_F(JwtVerifiersTest, AzureV1AndV2IssuersAreOneTenant) {
  const std::string v2 = "https://login.microsoftonline.com/" + std::string(kTenant) + "/v2.0";
  const std::string v1 = "https://sts.windows.net/" + std::string(kTenant) + "/";
  registry_.Add(Provider::kAzure, v2);
  AzureVerifier azure(cache_, registry_, env_);
  const std::string oid = "611ab25b-2e81-4e18-92a7-b21f2bebb269";
  for (const auto& [iss, aud] : std::vector<std::pair<std::string, std::string>>{
           {v1, "api://fd3f753b-eed3-462c-b6a7-a4b5bb650aad"},
           {v2, "fd3f753b-eed3-462c-b6a7-a4b5bb650aad"}}) {
    json::object claims = Claims(iss, oid, json::value(aud));
    claims["tid"] = kTenant;
    Result<VerifiedIdentity> id = azure.Verify(Mint(rsa_, claims));
    ASSERT_TRUE(id.ok()) << iss << ": " << id.status().ToString();
    EXPECT_EQ(id->jwt->issuer, v2);
    EXPECT_EQ(id->jwt->subject, oid);
  }
  json::object wrong_tid = Claims(v2, oid, "fd3f753b-eed3-462c-b6a7-a4b5bb650aad");
  wrong_tid["tid"] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  EXPECT_EQ(Reason(azure, Mint(rsa_, wrong_tid)), "azure.tenant_mismatch");
  // Entra signs all tenants with the same keys: another tenant's token fails on its issuer.
  EXPECT_EQ(Reason(azure, Mint(rsa_, Claims("https://login.microsoftonline.com/"
                                            "72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
                                            oid, "fd3f753b-eed3-462c-b6a7-a4b5bb650aad"))),
            "jwt.issuer_not_registered");
  for (const std::string& iss : std::vector<std::string>{
           "https://login.microsoftonline.com/common/v2.0",
           "https://sts.windows.net/" + std::string(kTenant),
           "https://login.microsoftonline.com/" + std::string(kTenant),
           "https://sts.windows.net.evil.test/" + std::string(kTenant) + "/"}) {
    EXPECT_EQ(Reason(azure, Mint(rsa_, Claims(iss, oid, "fd3f753b-eed3-462c-b6a7-a4b5bb650aad"))),
              "azure.issuer_invalid")
        << iss;
  }
  EXPECT_EQ(Reason(azure, Mint(rsa_, Claims(v2, oid, "snowflakecomputing.com"))),
            "jwt.audience_mismatch");
}

TEST_F(JwtVerifiersTest, OidcMatchesIssuerExactlyAndUsesTheAudienceList) {  // CLM-01
  registry_.Add(Provider::kOidc, std::string(kIdp),
                IssuerPolicy{{"https://acct.example", "https://acct2.example"}});
  OidcVerifier oidc(cache_, registry_, env_);
  Result<VerifiedIdentity> id = oidc.Verify(
      Mint(es256_, Claims(kIdp, "repo:org/r:ref:refs/heads/main",
                          json::array{"https://acct2.example", "https://acct.example"})));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->issuer, kIdp);
  EXPECT_EQ(id->jwt->audiences.size(), 2u);
  // An accepted audience next to one that is not: another relying party's token.
  EXPECT_EQ(Reason(oidc, Mint(rsa_, Claims(kIdp, "s", json::array{"x", "https://acct.example"}))),
            "jwt.audience_untrusted");
  // The audience list replaces the default audience.
  EXPECT_EQ(Reason(oidc, Mint(rsa_, Claims(kIdp, "s", "snowflakecomputing.com"))),
            "jwt.audience_mismatch");
  for (std::string iss :
       {"https://idp-a.test/", "HTTPS://idp-a.test", "https://idp-a.test.evil.test",
        "https://idp-a.test#", "https://idp-a.test:443", " https://idp-a.test"}) {
    EXPECT_EQ(Reason(oidc, Mint(rsa_, Claims(iss, "s", "https://acct.example"))),
              "jwt.issuer_not_registered")
        << iss;
  }
}

TEST_F(JwtVerifiersTest, OidcStaticJwksAndAlgorithmAllowList) {
  const std::string issuer = "https://private.idp";
  registry_.Add(Provider::kOidc, issuer);
  OidcVerifierOptions options;
  options.issuers[issuer].static_jwks =
      ToJson(json::object{{"keys", json::array{es384_.PublicJwk(), rsa_.PublicJwk()}}});
  options.issuers[issuer].algorithms = {Algorithm::kEs384};
  OidcVerifier oidc(cache_, registry_, env_, options);
  EXPECT_TRUE(oidc.Verify(Mint(es384_, Claims(issuer, "s", "snowflakecomputing.com"))).ok());
  EXPECT_EQ(Reason(oidc, Mint(rsa_, Claims(issuer, "s", "snowflakecomputing.com"))),
            "jwt.alg_not_allowed");
  EXPECT_TRUE(http_.requests.empty());
}

TEST_F(JwtVerifiersTest, TokenAttacksThroughThePipeline) {  // ALG-01..04, ALG-07, CLM-04
  registry_.Add(Provider::kOidc, std::string(kIdp));
  OidcVerifier oidc(cache_, registry_, env_);
  json::object claims = Claims(kIdp, "s", "snowflakecomputing.com");
  std::string good = Mint(rsa_, claims);
  ASSERT_TRUE(oidc.Verify(good).ok());
  std::string payload = good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1);
  auto forge = [&](const json::object& header, std::string_view sig) {
    return Base64UrlEncode(ToJson(header)) + "." + payload + "." + Base64UrlEncode(sig);
  };
  EXPECT_EQ(Reason(oidc, forge({{"alg", "none"}}, "x")), "jwt.alg_not_allowed");
  // HS256 keyed with the issuer's public key (PEM and JWK JSON forms).
  for (std::string secret :
       {ToJson(rsa_.PublicJwk()), std::string(rsa_.PublicJwk().at("n").as_string())}) {
    json::object h{{"alg", "HS256"}, {"kid", "rsa-1"}};
    std::string input = Base64UrlEncode(ToJson(h)) + "." + payload;
    EXPECT_EQ(Reason(oidc, input + "." + Base64UrlEncode(HmacSha256(secret, input))),
              "jwt.alg_not_allowed");
  }
  // Attacker key supplied in the header: ignored, so the attacker's signature fails.
  SigningKey attacker = *SigningKey::Generate(Algorithm::kRs256, "rsa-1");
  EXPECT_EQ(Reason(oidc, Mint(attacker, claims,
                              {{"jwk", attacker.PublicJwk()}, {"jku", "http://127.0.0.1:1/jwks"}})),
            "jwt.signature_invalid");
  for (const std::string& kid : std::vector<std::string>{"../../../../etc/passwd", "' OR '1'='1",
                                                         "%00", std::string(1500, 'k'), "a\r\nb"}) {
    SigningKey k = *SigningKey::Generate(Algorithm::kEs256, kid);
    EXPECT_EQ(Reason(oidc, Mint(k, claims)), "jwt.kid_unknown");
  }
  SigningKey huge_kid = *SigningKey::Generate(Algorithm::kEs256, std::string(10000, 'k'));
  EXPECT_EQ(Reason(oidc, Mint(huge_kid, claims)), "jwt.too_large");
  // RS256 header on the EC key's kid.
  json::object rs_on_ec{{"alg", "RS256"}, {"kid", "ec-256"}};
  std::string input = Base64UrlEncode(ToJson(rs_on_ec)) + "." + payload;
  EXPECT_EQ(Reason(oidc, input + "." + Base64UrlEncode(*rsa_.Sign(input))), "jwt.key_alg_mismatch");
  // Expired, and expired just past the leeway.
  json::object expired = claims;
  expired["exp"] = Now() - 3600;
  EXPECT_EQ(Reason(oidc, Mint(rsa_, expired)), "jwt.expired");
  // No requests ever went anywhere but the registered issuer's discovery and keys.
  for (const net::HttpRequest& r : http_.requests) {
    EXPECT_TRUE(r.url.starts_with("https://idp-a.test/") || r.url.starts_with("https://keys.test/"))
        << r.url;
  }
}

TEST_F(JwtVerifiersTest, AwsOutboundToken) {  // CTRL-03, AJWT-02
  registry_.Add(Provider::kAws, std::string(kAwsIssuer));
  AwsJwtVerifier aws(cache_, registry_, env_);
  json::object claims = Claims(kAwsIssuer, kRoleArn, "snowflakecomputing.com");
  claims["https://sts.amazonaws.com/"] =
      json::object{{"aws_account", "111111111111"},
                   {"source_region", "us-east-1"},
                   {"principal_id", "arn:aws:sts::111111111111:assumed-role/Deploy/s1"}};
  Result<VerifiedIdentity> id = aws.Verify(Mint(es384_, claims));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->provider, Provider::kAws);
  ASSERT_TRUE(id->aws && id->jwt);
  EXPECT_EQ(id->aws->account, "111111111111");
  EXPECT_EQ(id->aws->name, "Deploy");
  EXPECT_EQ(id->aws->type, AwsPrincipalType::kRole);
  EXPECT_EQ(id->aws->session, "s1");
  EXPECT_EQ(id->jwt->issuer, kAwsIssuer);
  EXPECT_EQ(IdentityKey(*id), AwsRoleKey("aws", "111111111111", "Deploy"));
  EXPECT_TRUE(aws.Verify(Mint(rsa_, claims)).ok());
  EXPECT_EQ(Reason(aws, Mint(es256_, claims)), "jwt.alg_not_allowed");

  auto with_aws = [&](json::object ns) {
    json::object c = claims;
    c["https://sts.amazonaws.com/"] = std::move(ns);
    return Reason(aws, Mint(es384_, c));
  };
  EXPECT_EQ(with_aws({{"aws_account", "222222222222"}}), "aws_jwt.account_mismatch");
  EXPECT_EQ(with_aws({}), "aws_jwt.account_mismatch");
  EXPECT_EQ(with_aws({{"aws_account", "111111111111"},
                      {"principal_id", "arn:aws:sts::111111111111:assumed-role/Other/s1"}}),
            "aws_jwt.principal_mismatch");
  json::object no_ns = claims;
  no_ns.erase("https://sts.amazonaws.com/");
  EXPECT_EQ(Reason(aws, Mint(es384_, no_ns)), "aws_jwt.claims_missing");
  json::object session_sub = claims;
  session_sub["sub"] = "arn:aws:sts::111111111111:assumed-role/Deploy/s1";
  EXPECT_EQ(Reason(aws, Mint(es384_, session_sub)), "aws_jwt.subject_invalid");
  EXPECT_EQ(
      Reason(aws, Mint(es384_, Claims("https://evil.test", kRoleArn, "snowflakecomputing.com"))),
      "aws_jwt.issuer_invalid");
}

TEST(AwsTokenIssuerTest, Shape) {
  EXPECT_TRUE(IsAwsTokenIssuer("https://123456789012.tokens.sts.global.api.aws"));
  EXPECT_TRUE(IsAwsTokenIssuer("https://abc123-def456-ghi789-jkl012.tokens.sts.global.api.aws"));
  EXPECT_FALSE(IsAwsTokenIssuer("https://.tokens.sts.global.api.aws"));
  EXPECT_FALSE(IsAwsTokenIssuer("https://a.b.tokens.sts.global.api.aws"));
  EXPECT_FALSE(IsAwsTokenIssuer("http://abc.tokens.sts.global.api.aws"));
  EXPECT_FALSE(IsAwsTokenIssuer("https://abc.tokens.sts.global.api.aws/"));
  EXPECT_FALSE(IsAwsTokenIssuer("https://ABC.tokens.sts.global.api.aws"));
}

}  // namespace
}  // namespace wifgate::verify
