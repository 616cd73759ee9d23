// The dev STS, driven directly through DevSts::Handle with requests signed by the project's
// SigV4 signer: configuration, header-signed and presigned verification, the rejections
// real STS makes (wrong signature, unknown key, expired date, forged or expired session
// token), the actions, and the XML/JSON response shapes.
#include "dev/dev_sts.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "aws/sigv4.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "fake_env.h"
#include "jwt/jwk.h"
#include "jwt/jws.h"
#include "jwt/signature.h"
#include "verify/aws_jwt_verifier.h"

namespace wifgate::dev {
namespace {

using wifgate::testing::FakeEnv;

constexpr char kDeveloperKey[] = "AKIADEVSTS0DEVELOPER";
constexpr char kDeveloperSecret[] = "devsts/developer/NOT+A+REAL+SECRET+KEY+00";
constexpr char kLambdaRole[] =
    "arn:aws:iam::111111111111:role/service-role/my-function-role-abc123";

std::string DefaultConfigText() {
  std::ifstream in(std::string(WIFGATE_SOURCE_DIR) + "/config/dev-sts.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

aws::Credentials Developer() { return {kDeveloperKey, kDeveloperSecret, "", std::nullopt}; }

aws::SigningParams Params(const aws::Credentials& creds, SystemTime t) {
  aws::SigningParams p;
  p.credentials = creds;
  p.region = "us-east-1";
  p.service = "sts";
  p.time = t;
  return p;
}

// A server-side view of a signed request, as net::HttpServer would hand it over.
net::ServerRequest ToServerRequest(const aws::SignableRequest& r) {
  net::ServerRequest out;
  out.method = r.method;
  out.path = r.path;
  out.target = r.path + (r.query.empty() ? "" : "?" + r.query);
  out.headers = r.headers;
  out.body = r.body;
  out.remote_address = "127.0.0.1";
  return out;
}

class DevStsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = ParseDevStsConfig(DefaultConfigText(), "dev-sts.toml");
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    auto sts = DevSts::Create(std::move(*config), env_);
    ASSERT_TRUE(sts.ok()) << sts.status().ToString();
    sts_ = std::move(*sts);
    sts_->set_base_url("http://127.0.0.1:4566");
  }

  aws::SignableRequest Request(const std::string& query, const std::string& body = "") {
    aws::SignableRequest r;
    r.method = "POST";
    r.path = "/";
    r.query = query;
    r.headers = {{"Host", "sts.us-east-1.amazonaws.com"}};
    if (!body.empty()) r.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    r.body = body;
    return r;
  }

  net::ServerResponse Send(const aws::SignableRequest& request, const aws::Credentials& creds,
                           SystemTime signed_at, bool json = false) {
    aws::SigningParams params = Params(creds, signed_at);
    auto signed_request = aws::SignWithHeaders(request, params);
    EXPECT_TRUE(signed_request.ok()) << signed_request.status().ToString();
    net::ServerRequest req = ToServerRequest(signed_request->request);
    if (json) req.headers.push_back({"Accept", "application/json"});
    return sts_->Handle(req);
  }
  net::ServerResponse Send(const std::string& query, const aws::Credentials& creds,
                           bool json = false) {
    return Send(Request(query), creds, env_.now, json);
  }

  // Field `name` of the JSON result of `action`.
  static std::string JsonResult(const net::ServerResponse& resp, const std::string& action,
                                const std::string& path) {
    auto doc = ParseStrictJson(resp.body);
    if (!doc.ok()) return "<not json>";
    const boost::json::value* v = &doc->at(action + "Response").at(action + "Result");
    for (auto part : Split(path, '.')) v = &v->at(std::string(part));
    return v->is_string() ? std::string(v->get_string()) : boost::json::serialize(*v);
  }
  static std::string ErrorCode(const net::ServerResponse& resp) {
    auto doc = ParseStrictJson(resp.body);
    if (!doc.ok()) return "<not json>";
    return std::string(doc->at("Error").at("Code").as_string());
  }

  aws::Credentials AssumeLambdaRole() {
    auto resp = Send(Request("Action=AssumeRole&Version=2011-06-15&RoleArn=" +
                             aws::UriEncode(kLambdaRole, true) + "&RoleSessionName=lambda-fn"),
                     Developer(), env_.now, true);
    EXPECT_EQ(resp.status, 200) << resp.body;
    aws::Credentials c;
    c.access_key_id = JsonResult(resp, "AssumeRole", "Credentials.AccessKeyId");
    c.secret_access_key = JsonResult(resp, "AssumeRole", "Credentials.SecretAccessKey");
    c.session_token = JsonResult(resp, "AssumeRole", "Credentials.SessionToken");
    return c;
  }

  FakeEnv env_;
  std::unique_ptr<DevSts> sts_;
  const std::string gci_ = "Action=GetCallerIdentity&Version=2011-06-15";
};

TEST(DevStsConfigTest, DefaultConfigHasTheServiceRoleLambdaRole) {
  auto config = ParseDevStsConfig(DefaultConfigText(), "dev-sts.toml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const DevStsRole* role = config->FindRole(kLambdaRole);
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->path, "/service-role/");
  EXPECT_EQ(role->Arn(), kLambdaRole);
  EXPECT_TRUE(role->RoleId().starts_with("AROA"));
  // Found without the path too (names are unique per account), not with a wrong one.
  EXPECT_NE(config->FindRole("arn:aws:iam::111111111111:role/my-function-role-abc123"), nullptr);
  EXPECT_EQ(config->FindRole("arn:aws:iam::111111111111:role/other/my-function-role-abc123"),
            nullptr);
  EXPECT_TRUE(role->Trusts("arn:aws:iam::111111111111:user/developer"));
  EXPECT_FALSE(role->Trusts("arn:aws:iam::222222222222:user/attacker"));
  EXPECT_FALSE(role->Trusts("arn:aws:iam::111111111111:user/bob"));
}

TEST(DevStsConfigTest, RejectsBadConfigurations) {
  for (std::string text : {
           std::string("accounts = 1"),
           std::string("[[accounts]]\nid = \"123\"\n"),
           std::string("[[accounts]]\nid = \"111111111111\"\n[[accounts.users]]\nname = "
                       "\"a\"\naccess_key_id = \"AKIA1\"\nsecret_access_key = \"x\"\n"),
           std::string("[[accounts]]\nid = \"111111111111\"\n[[accounts.roles]]\nname = "
                       "\"r\"\npath = \"service-role\"\n"),
           std::string("[[accounts]]\nid = \"111111111111\"\n[[accounts.roles]]\nname = "
                       "\"r\"\n[[accounts.roles]]\nname = \"R\"\n"),
           std::string("not toml ["),
       }) {
    auto config = ParseDevStsConfig(text, "test.toml");
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_EQ(config.status().reason(), "dev_sts.bad_config");
  }
}

TEST(DevStsArnTest, Parses) {
  auto role = ParseDevArn(kLambdaRole);
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(role->kind, DevArn::Kind::kRole);
  EXPECT_EQ(role->path, "/service-role/");
  EXPECT_EQ(role->name, "my-function-role-abc123");
  auto assumed = ParseDevArn("arn:aws:sts::111111111111:assumed-role/Deploy/s1");
  ASSERT_TRUE(assumed.ok());
  EXPECT_EQ(assumed->session, "s1");
  for (std::string bad : {"arn:aws:iam::1111:user/x", "arn:aws:iam::111111111111:root",
                          "arn:aws:iam::111111111111:role/a//b", "arn:aws:s3:::bucket"}) {
    EXPECT_FALSE(ParseDevArn(bad).ok()) << bad;
  }
}

TEST_F(DevStsTest, GetCallerIdentityAsAnIamUserInXml) {
  auto resp = Send(gci_, Developer());
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(net::FindHeader(resp.headers, "Content-Type"), "text/xml");
  EXPECT_TRUE(resp.body.starts_with(
      "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
      "<GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/developer</Arn><UserId>AIDA"))
      << resp.body;
  EXPECT_NE(resp.body.find("<Account>111111111111</Account>"), std::string::npos);
}

TEST_F(DevStsTest, GetCallerIdentityInJson) {
  auto resp = Send(gci_, Developer(), true);
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(net::FindHeader(resp.headers, "Content-Type"), "application/json");
  EXPECT_EQ(JsonResult(resp, "GetCallerIdentity", "Arn"),
            "arn:aws:iam::111111111111:user/developer");
  EXPECT_EQ(JsonResult(resp, "GetCallerIdentity", "Account"), "111111111111");
  auto doc = ParseStrictJson(resp.body);
  EXPECT_TRUE(
      doc->at("GetCallerIdentityResponse").at("ResponseMetadata").at("RequestId").is_string());
}

TEST_F(DevStsTest, FormBodyRequestsAreVerifiedToo) {
  auto resp = Send(Request("", gci_), Developer(), env_.now, true);
  ASSERT_EQ(resp.status, 200) << resp.body;
}

TEST_F(DevStsTest, PresignedRequestsAreAccepted) {
  aws::SignableRequest r = Request(gci_);
  r.method = "GET";
  aws::SigningParams params = Params(Developer(), env_.now);
  params.expires = std::chrono::seconds(900);
  auto signed_request = aws::Presign(r, params);
  ASSERT_TRUE(signed_request.ok());
  auto resp = sts_->Handle(ToServerRequest(signed_request->request));
  ASSERT_EQ(resp.status, 200) << resp.body;
  // Past X-Amz-Expires.
  env_.now += std::chrono::seconds(901);
  resp = sts_->Handle(ToServerRequest(signed_request->request));
  EXPECT_EQ(resp.status, 400);
  EXPECT_NE(resp.body.find("<Code>RequestExpired</Code>"), std::string::npos) << resp.body;
}

TEST_F(DevStsTest, TamperedPresignedQueryIsRefused) {
  aws::SignableRequest r = Request(gci_);
  r.method = "GET";
  auto signed_request = aws::Presign(r, Params(Developer(), env_.now));
  ASSERT_TRUE(signed_request.ok());
  auto req = ToServerRequest(signed_request->request);
  req.target += "&Extra=1";
  EXPECT_EQ(sts_->Handle(req).status, 403);
}

TEST_F(DevStsTest, WrongSignatureIsSignatureDoesNotMatch) {
  aws::Credentials wrong = Developer();
  wrong.secret_access_key = "not-the-secret-not-the-secret-000";
  auto resp = Send(gci_, wrong, true);
  EXPECT_EQ(resp.status, 403);
  EXPECT_EQ(ErrorCode(resp), "SignatureDoesNotMatch");
  // A signed header changed after signing.
  aws::SigningParams params = Params(Developer(), env_.now);
  auto signed_request = aws::SignWithHeaders(Request(gci_), params);
  auto req = ToServerRequest(signed_request->request);
  req.headers[0].value = "sts.us-west-2.amazonaws.com";
  EXPECT_EQ(sts_->Handle(req).status, 403);
}

TEST_F(DevStsTest, UnknownKeyIsInvalidClientTokenId) {
  aws::Credentials unknown{"AKIAUNKNOWNUNKNOWN00", kDeveloperSecret, "", std::nullopt};
  auto resp = Send(gci_, unknown, true);
  EXPECT_EQ(resp.status, 403);
  EXPECT_EQ(ErrorCode(resp), "InvalidClientTokenId");
}

TEST_F(DevStsTest, ExpiredDateIsRequestExpired) {
  auto resp = Send(Request(gci_), Developer(), env_.now - std::chrono::minutes(16), true);
  EXPECT_EQ(resp.status, 400);
  EXPECT_EQ(ErrorCode(resp), "RequestExpired");
  resp = Send(Request(gci_), Developer(), env_.now + std::chrono::minutes(16), true);
  EXPECT_EQ(ErrorCode(resp), "RequestExpired");
  resp = Send(Request(gci_), Developer(), env_.now - std::chrono::minutes(14), true);
  EXPECT_EQ(resp.status, 200);
}

TEST_F(DevStsTest, AssumeRoleGivesAPathlessAssumedRoleIdentity) {
  aws::Credentials creds = AssumeLambdaRole();
  EXPECT_TRUE(creds.access_key_id.starts_with("ASIA"));
  auto resp = Send(gci_, creds, true);
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(JsonResult(resp, "GetCallerIdentity", "Arn"),
            "arn:aws:sts::111111111111:assumed-role/my-function-role-abc123/lambda-fn");
  EXPECT_TRUE(JsonResult(resp, "GetCallerIdentity", "UserId").ends_with(":lambda-fn"));
}

TEST_F(DevStsTest, AssumeRoleXmlHasStsShape) {
  auto resp = Send(Request("Action=AssumeRole&Version=2011-06-15&RoleArn=" +
                           aws::UriEncode(kLambdaRole, true) + "&RoleSessionName=s1"),
                   Developer(), env_.now);
  ASSERT_EQ(resp.status, 200) << resp.body;
  for (std::string part :
       {"<AssumeRoleResponse xmlns=", "<Credentials><AccessKeyId>ASIA",
        "<Expiration>2015-08-30T13:36:00Z</Expiration>",
        "<Arn>arn:aws:sts::111111111111:assumed-role/my-function-role-abc123/s1</Arn>"}) {
    EXPECT_NE(resp.body.find(part), std::string::npos) << part << "\n" << resp.body;
  }
}

TEST_F(DevStsTest, ForgedOrMissingSessionTokenIsRefused) {
  aws::Credentials creds = AssumeLambdaRole();
  aws::Credentials forged = creds;
  forged.session_token = "DevStsForgedToken";
  auto resp = Send(gci_, forged, true);
  EXPECT_EQ(resp.status, 403);
  EXPECT_EQ(ErrorCode(resp), "InvalidClientTokenId");
  aws::Credentials missing = creds;
  missing.session_token.clear();
  EXPECT_EQ(ErrorCode(Send(gci_, missing, true)), "InvalidClientTokenId");
  // A session token presented with a long-term key.
  aws::Credentials with_token = Developer();
  with_token.session_token = creds.session_token;
  EXPECT_EQ(ErrorCode(Send(gci_, with_token, true)), "InvalidClientTokenId");
}

TEST_F(DevStsTest, ExpiredTemporaryCredentialsAreExpiredToken) {
  aws::Credentials creds = AssumeLambdaRole();
  env_.now += std::chrono::hours(1) + std::chrono::seconds(1);
  auto resp = Send(gci_, creds, true);
  EXPECT_EQ(resp.status, 400);
  EXPECT_EQ(ErrorCode(resp), "ExpiredToken");
}

TEST_F(DevStsTest, UntrustedCallerGetsAccessDenied) {
  aws::Credentials attacker{"AKIADEVSTS00ATTACKER", "devsts/attacker/NOT+A+REAL+SECRET+KEY+0000",
                            "", std::nullopt};
  auto resp = Send(Request("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
                           "111111111111%3Arole%2FDeploy&RoleSessionName=s1"),
                   attacker, env_.now, true);
  EXPECT_EQ(resp.status, 403);
  EXPECT_EQ(ErrorCode(resp), "AccessDenied");
  resp = Send(Request("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
                      "111111111111%3Arole%2FNoSuchRole&RoleSessionName=s1"),
              Developer(), env_.now, true);
  EXPECT_EQ(ErrorCode(resp), "AccessDenied");
}

TEST_F(DevStsTest, BadActionsAndParameters) {
  EXPECT_EQ(ErrorCode(Send("Action=GetSessionToken&Version=2011-06-15", Developer(), true)),
            "InvalidAction");
  EXPECT_EQ(ErrorCode(Send("Version=2011-06-15", Developer(), true)), "MissingAction");
  EXPECT_EQ(ErrorCode(Send("Action=GetCallerIdentity&Version=2099-01-01", Developer(), true)),
            "InvalidParameterValue");
  EXPECT_EQ(ErrorCode(Send("Action=AssumeRole&Version=2011-06-15", Developer(), true)),
            "MissingParameter");
  auto resp =
      Send("Action=AssumeRole&Version=2011-06-15&RoleArn=" + aws::UriEncode(kLambdaRole, true) +
               "&RoleSessionName=s1&DurationSeconds=60",
           Developer(), true);
  EXPECT_EQ(ErrorCode(resp), "ValidationError");
}

TEST_F(DevStsTest, ErrorXmlHasStsShape) {
  aws::Credentials unknown{"AKIAUNKNOWNUNKNOWN00", kDeveloperSecret, "", std::nullopt};
  auto resp = Send(gci_, unknown);
  EXPECT_EQ(resp.status, 403);
  EXPECT_TRUE(resp.body.starts_with(
      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender"
      "</Type><Code>InvalidClientTokenId</Code><Message>"))
      << resp.body;
  EXPECT_NE(resp.body.find("<RequestId>"), std::string::npos);
}

TEST_F(DevStsTest, GetWebIdentityTokenHasAwsClaimLayoutAndVerifiesWithTheJwks) {
  aws::Credentials creds = AssumeLambdaRole();
  for (std::string alg : {"ES384", "RS256"}) {
    auto resp = Send(Request("Action=GetWebIdentityToken&Version=2011-06-15&Audience.member.1="
                             "snowflakecomputing.com&SigningAlgorithm=" +
                             alg),
                     creds, env_.now, true);
    ASSERT_EQ(resp.status, 200) << resp.body;
    std::string token = JsonResult(resp, "GetWebIdentityToken", "WebIdentityToken");
    auto jws = jwt::ParseJws(token);
    ASSERT_TRUE(jws.ok()) << jws.status().ToString();
    EXPECT_EQ(jwt::AlgorithmName(jws->alg), alg);
    const auto& c = jws->claims;
    // AWS's issuer shape, which the registry requires of an AWS ISSUER; not the base URL.
    EXPECT_EQ(GetString(c, "iss"), "https://dev-sts-111111111111.tokens.sts.global.api.aws");
    EXPECT_TRUE(verify::IsAwsTokenIssuer(*GetString(c, "iss")));
    EXPECT_EQ(GetString(c, "sub"), kLambdaRole);
    EXPECT_EQ(GetString(c, "aud"), "snowflakecomputing.com");
    EXPECT_EQ(*GetInt(c, "exp") - *GetInt(c, "iat"), 300);
    const auto* aws_claims = GetObject(c, "https://sts.amazonaws.com/");
    ASSERT_NE(aws_claims, nullptr);
    EXPECT_EQ(GetString(*aws_claims, "aws_account"), "111111111111");
    EXPECT_EQ(GetString(*aws_claims, "source_region"), "us-east-1");
    EXPECT_EQ(GetString(*aws_claims, "principal_id"),
              "arn:aws:sts::111111111111:assumed-role/my-function-role-abc123/lambda-fn");
    // The served JWKS verifies it.
    auto jwks = jwt::ParseJwkSet(sts_->issuer().Jwks());
    ASSERT_TRUE(jwks.ok());
    const jwt::Jwk* key = jwks->Find(jws->kid);
    ASSERT_NE(key, nullptr);
    EXPECT_TRUE(jwt::VerifySignature(jws->alg, *key, jws->signing_input, jws->signature).ok());
  }
  auto bad = Send(Request("Action=GetWebIdentityToken&Version=2011-06-15&Audience.member.1=a&"
                          "SigningAlgorithm=HS256"),
                  creds, env_.now, true);
  EXPECT_EQ(ErrorCode(bad), "ValidationError");
}

TEST_F(DevStsTest, IssuersAreAwsShapedPerAccountWithTheirKeysUnderTheBaseUrl) {
  const std::string a = DevStsTokenIssuer::IssuerFor("111111111111");
  const std::string b = DevStsTokenIssuer::IssuerFor("222222222222");
  EXPECT_EQ(a, "https://dev-sts-111111111111.tokens.sts.global.api.aws");
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify::IsAwsTokenIssuer(a));
  EXPECT_TRUE(verify::IsAwsTokenIssuer(b));
  EXPECT_EQ(DevStsTokenIssuer::JwksUrlFor("http://127.0.0.1:4566", "111111111111"),
            "http://127.0.0.1:4566/accounts/111111111111/.well-known/jwks.json");
  auto doc = ParseStrictJson(sts_->issuer().DiscoveryDocument(
      a, DevStsTokenIssuer::JwksUrlFor("http://127.0.0.1:4566", "111111111111")));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->at("issuer").as_string(), a);
  EXPECT_EQ(doc->at("jwks_uri").as_string(),
            "http://127.0.0.1:4566/accounts/111111111111/.well-known/jwks.json");
}

TEST_F(DevStsTest, AssumeRoleWithWebIdentityTrustsItsOwnIssuer) {
  aws::Credentials creds = AssumeLambdaRole();
  auto mint = [&](const std::string& aud) {
    auto resp =
        Send(Request("Action=GetWebIdentityToken&Version=2011-06-15&Audience.member.1=" + aud +
                     "&SigningAlgorithm=ES384"),
             creds, env_.now, true);
    return JsonResult(resp, "GetWebIdentityToken", "WebIdentityToken");
  };
  auto assume = [&](const std::string& token, const std::string& role) {
    net::ServerRequest req;
    req.method = "POST";
    req.path = "/";
    req.target = "/";
    req.headers = {{"Accept", "application/json"}};
    req.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" +
               aws::UriEncode(role, true) + "&RoleSessionName=web&WebIdentityToken=" + token;
    return sts_->Handle(req);
  };
  auto ok = assume(mint("sts.amazonaws.com"), "arn:aws:iam::111111111111:role/Deploy");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(JsonResult(ok, "AssumeRoleWithWebIdentity", "AssumedRoleUser.Arn"),
            "arn:aws:sts::111111111111:assumed-role/Deploy/web");
  EXPECT_EQ(
      ErrorCode(assume(mint("snowflakecomputing.com"), "arn:aws:iam::111111111111:role/Deploy")),
      "InvalidIdentityToken");
  std::string token = mint("sts.amazonaws.com");
  token.back() = token.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(ErrorCode(assume(token, "arn:aws:iam::111111111111:role/Deploy")),
            "InvalidIdentityToken");
  // The attacker account's Deploy role does not trust web identities.
  EXPECT_EQ(ErrorCode(assume(mint("sts.amazonaws.com"), "arn:aws:iam::222222222222:role/Deploy")),
            "AccessDenied");
}

}  // namespace
}  // namespace wifgate::dev
