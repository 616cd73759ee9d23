#include <gtest/gtest.h>

#include "cli/doctor_aws.h"
#include "cli/doctor_jwt.h"
#include "common/base64.h"
#include "common/time_format.h"
#include "fake_env.h"
#include "sql/lexer.h"

namespace wifgate::cli {
namespace {

using attest::ExplainItem;

constexpr int64_t kNow = 1440938160;  // FakeEnv's clock, 2015-08-30T12:36:00Z
const SystemTime kNowTime = FromUnixSeconds(kNow);
const std::string kSignature = Base64UrlEncode("signature-bytes-never-shown");

std::string Jwt(std::string_view payload_json,
                std::string_view header_json = R"({"alg":"RS256","kid":"k1"})") {
  return Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json) + "." + kSignature;
}

std::string Claims(std::string_view extra = "", int64_t exp_offset = 3600) {
  return R"({"iss":"https://issuer.example","sub":"svc-1","aud":"snowflakecomputing.com",)"
         R"("iat":)" +
         std::to_string(kNow - 60) + R"(,"exp":)" + std::to_string(kNow + exp_offset) +
         std::string(extra) + "}";
}

std::string Value(const std::vector<ExplainItem>& items, std::string_view key) {
  for (const ExplainItem& item : items) {
    if (item.key == key) return item.value;
  }
  return "<absent>";
}

std::string AllText(const std::vector<ExplainItem>& items) {
  std::string out;
  for (const ExplainItem& item : items) out += item.key + ": " + item.value + "\n";
  return out;
}

TEST(DescribeJwtTest, ShowsClaimsAndSaysTheyAreNotVerified) {
  std::string token = Jwt(Claims());
  auto items = DescribeJwt("OIDC", token, kNowTime);
  EXPECT_NE(Value(items, "decoded").find("WITHOUT verifying"), std::string::npos);
  EXPECT_EQ(Value(items, "algorithm"), "RS256, key id k1");
  EXPECT_EQ(Value(items, "iss"), "https://issuer.example");
  EXPECT_EQ(Value(items, "sub"), "svc-1");
  EXPECT_EQ(Value(items, "aud"), "snowflakecomputing.com");
  EXPECT_EQ(Value(items, "issued"), "2015-08-30T12:35:00Z (1m ago)");
  EXPECT_EQ(Value(items, "expires"), "2015-08-30T13:36:00Z (in 1h)");
  EXPECT_EQ(Value(items, "expiry"), "valid for another 1h");
  EXPECT_EQ(Value(items, "register it with"),
            "WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'https://issuer.example' SUBJECT = "
            "'svc-1')");
}

TEST(DescribeJwtTest, NeverShowsTheTokenOrItsSignature) {
  std::string token = Jwt(Claims());
  std::string text = AllText(DescribeJwt("GCP", token, kNowTime));
  EXPECT_EQ(text.find(token), std::string::npos);
  EXPECT_EQ(text.find(kSignature), std::string::npos);
  EXPECT_EQ(text.find(token.substr(0, token.find('.'))), std::string::npos);
}

TEST(DescribeJwtTest, ExpiredTokenIsCalledExpiredWithTheServersReason) {
  auto items = DescribeJwt("OIDC", Jwt(Claims("", -300)), kNowTime);
  EXPECT_EQ(Value(items, "expires"), "2015-08-30T12:31:00Z (5m ago)");
  EXPECT_EQ(Value(items, "expiry").rfind("EXPIRED 5m ago", 0), 0u) << Value(items, "expiry");
  EXPECT_NE(Value(items, "expiry").find("jwt.expired"), std::string::npos);
}

TEST(DescribeJwtTest, TokenExpiringWithinFiveMinutesIsAboutToExpire) {
  auto items = DescribeJwt("OIDC", Jwt(Claims("", 45)), kNowTime);
  EXPECT_EQ(Value(items, "expiry").rfind("about to expire (in 45s)", 0), 0u)
      << Value(items, "expiry");
  items = DescribeJwt("OIDC", Jwt(Claims("", 301)), kNowTime);
  EXPECT_EQ(Value(items, "expiry"), "valid for another 5m 1s");
}

TEST(DescribeJwtTest, MissingExpIsReportedAsRefused) {
  auto items = DescribeJwt("OIDC", Jwt(R"({"iss":"i","sub":"s","aud":"a"})"), kNowTime);
  EXPECT_EQ(Value(items, "expires"), "<absent>");
  EXPECT_NE(Value(items, "expiry").find("no usable exp"), std::string::npos);
  items = DescribeJwt("OIDC", Jwt(R"({"iss":"i","sub":"s","exp":"tomorrow"})"), kNowTime);
  EXPECT_NE(Value(items, "expiry").find("no usable exp"), std::string::npos);
}

TEST(DescribeJwtTest, FractionalNumericDatesAreRead) {
  auto items = DescribeJwt(
      "OIDC", Jwt(R"({"iss":"i","sub":"s","exp":)" + std::to_string(kNow + 120) + ".5}"), kNowTime);
  EXPECT_EQ(Value(items, "expires"), "2015-08-30T12:38:00Z (in 2m)");
}

TEST(DescribeJwtTest, IssuedThisSecondIsNow) {
  auto items = DescribeJwt(
      "OIDC", Jwt(R"({"iss":"i","sub":"s","iat":)" + std::to_string(kNow) + "}"), kNowTime);
  EXPECT_EQ(Value(items, "issued"), "2015-08-30T12:36:00Z (now)");
}

TEST(DescribeJwtTest, FutureNotBeforeIsReported) {
  auto items =
      DescribeJwt("OIDC", Jwt(Claims(R"(,"nbf":)" + std::to_string(kNow + 600))), kNowTime);
  EXPECT_NE(Value(items, "not before").find("jwt.not_yet_valid"), std::string::npos);
  items = DescribeJwt("OIDC", Jwt(Claims(R"(,"nbf":)" + std::to_string(kNow - 600))), kNowTime);
  EXPECT_EQ(Value(items, "not before"), "<absent>");
}

TEST(DescribeJwtTest, AudienceListIsJoined) {
  auto items = DescribeJwt("OIDC", Jwt(R"({"iss":"i","sub":"s","aud":["a","b",7]})"), kNowTime);
  EXPECT_EQ(Value(items, "aud"), "a, b, (not a string)");
  items = DescribeJwt("OIDC", Jwt(R"({"iss":"i","sub":"s"})"), kNowTime);
  EXPECT_EQ(Value(items, "aud"), "(none)");
}

TEST(DescribeJwtTest, WhatTheServerParserRefusesIsNamed) {
  auto items = DescribeJwt("OIDC", "not-a-jwt", kNowTime);
  EXPECT_EQ(Value(items, "refused by the parser").rfind("jwt.malformed", 0), 0u)
      << Value(items, "refused by the parser");
  EXPECT_EQ(Value(items, "iss"), "<absent>");
  items = DescribeJwt("OIDC", Jwt(Claims(), R"({"alg":"HS256"})"), kNowTime);
  EXPECT_EQ(Value(items, "refused by the parser").rfind("jwt.alg_not_allowed", 0), 0u)
      << Value(items, "refused by the parser");
  items = DescribeJwt("OIDC", Jwt(Claims(), R"({"alg":"none"})"), kNowTime);
  EXPECT_EQ(Value(items, "refused by the parser").rfind("jwt.alg_not_allowed", 0), 0u);
}

TEST(DescribeJwtTest, ControlCharactersAndLongValuesAreNeutralised) {
  std::string long_sub(300, 'x');
  auto items = DescribeJwt(
      "OIDC", Jwt(R"({"iss":"evil\u001b[2Jissuer","sub":")" + long_sub + R"(","exp":1})"),
      kNowTime);
  EXPECT_EQ(Value(items, "iss"), "evil?[2Jissuer");
  EXPECT_EQ(Value(items, "sub"), std::string(200, 'x') + "...");
  // A clause with the issuer's control characters replaced would register another issuer.
  EXPECT_EQ(Value(items, "register it with"), "<absent>");
  EXPECT_NE(Value(items, "registration").find("ISSUER holds control characters"), std::string::npos)
      << Value(items, "registration");
}

TEST(DescribeJwtTest, RegistrationClauseIsNeverCut) {
  std::string long_sub(5000, 'x');
  auto items = DescribeJwt("OIDC", Jwt(R"({"iss":"i","sub":")" + long_sub + R"("})"), kNowTime);
  EXPECT_EQ(Value(items, "register it with"),
            "WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'i' SUBJECT = '" + long_sub + "')");
}

TEST(DescribeJwtTest, ClauseWithControlCharactersInAnyValueIsNotSuggested) {
  for (std::string_view sub : {R"(a\nb)", R"(a\tb)", R"(a\u0000b)", R"(a\u007fb)"}) {
    auto items =
        DescribeJwt("GCP", Jwt(R"({"iss":"i","sub":")" + std::string(sub) + R"("})"), kNowTime);
    EXPECT_EQ(Value(items, "register it with"), "<absent>") << sub;
    EXPECT_NE(Value(items, "registration").find("SUBJECT holds control characters"),
              std::string::npos)
        << sub;
  }
  auto azure = DescribeJwt("AZURE", Jwt(R"({"iss":"i","sub":"s","tid":"t\n1"})"), kNowTime);
  EXPECT_EQ(Value(azure, "register it with"), "<absent>");
}

// The clause is read by wifgate's own SQL lexer, which decodes backslash escapes in string
// literals: every value must come back byte for byte, and never end its literal early.
TEST(DescribeJwtTest, ClauseLiteralsLexBackToTheClaims) {
  const std::string iss = R"(https://i\\)";  // https://i\ : ends in a backslash
  const std::string sub = R"(o'b\\n\"x)";    // o'b\n"x : a backslash before n, a double quote
  auto items =
      DescribeJwt("OIDC", Jwt(R"({"iss":")" + iss + R"(","sub":")" + sub + R"("})"), kNowTime);
  std::string clause = Value(items, "register it with");
  auto tokens = sql::Lex(clause);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString() << "\n" << clause;
  std::vector<std::string> literals;
  for (const sql::Token& t : *tokens) {
    if (t.kind == sql::TokenKind::kString) literals.push_back(t.text);
  }
  EXPECT_EQ(literals, (std::vector<std::string>{"https://i\\", "o'b\\n\"x"})) << clause;
}

TEST(ForDisplayTest, ReplacesControlCharactersAndCuts) {
  EXPECT_EQ(ForDisplay("plain text"), "plain text");
  EXPECT_EQ(ForDisplay("a\nb\tc\x7f"), "a?b?c?");
  EXPECT_EQ(ForDisplay("abcdef", 3), "abc...");
  EXPECT_EQ(ForDisplay("abc", 3), "abc");
  EXPECT_EQ(ForDisplay("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 passes through
}

TEST(DescribeJwtTest, RegistrationClausePerProvider) {
  auto gcp =
      DescribeJwt("GCP", Jwt(Claims(R"(,"email":"sa@p.iam.gserviceaccount.com")")), kNowTime);
  EXPECT_EQ(Value(gcp, "register it with"), "WORKLOAD_IDENTITY = (TYPE = GCP SUBJECT = 'svc-1')");
  EXPECT_EQ(Value(gcp, "email"), "sa@p.iam.gserviceaccount.com");

  // Azure: v1 issuer in the token, the tenant's v2 issuer in the registration.
  auto azure = DescribeJwt("AZURE",
                           Jwt(R"({"iss":"https://sts.windows.net/t-1/","sub":"oid-1",)"
                               R"("tid":"t-1","exp":)" +
                               std::to_string(kNow + 600) + "}"),
                           kNowTime);
  EXPECT_EQ(Value(azure, "tid"), "t-1");
  EXPECT_EQ(Value(azure, "register it with"),
            "WORKLOAD_IDENTITY = (TYPE = AZURE ISSUER = 'https://login.microsoftonline.com/t-1/"
            "v2.0' SUBJECT = 'oid-1')");

  auto aws = DescribeJwt("AWS",
                         Jwt(R"({"iss":"https://x.tokens.sts.global.api.aws",)"
                             R"("sub":"arn:aws:iam::1:role/R"})"),
                         kNowTime);
  EXPECT_EQ(Value(aws, "register it with"),
            "WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::1:role/R' ISSUER = "
            "'https://x.tokens.sts.global.api.aws')");

  auto quoted = DescribeJwt("OIDC", Jwt(R"({"iss":"i","sub":"o'brien"})"), kNowTime);
  EXPECT_EQ(Value(quoted, "register it with"),
            "WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'i' SUBJECT = 'o''brien')");

  auto no_sub = DescribeJwt("OIDC", Jwt(R"({"iss":"i"})"), kNowTime);
  EXPECT_EQ(Value(no_sub, "register it with"), "<absent>");
}

TEST(HumanDurationTest, TwoLargestUnits) {
  EXPECT_EQ(HumanDuration(std::chrono::seconds(0)), "0s");
  EXPECT_EQ(HumanDuration(std::chrono::seconds(45)), "45s");
  EXPECT_EQ(HumanDuration(std::chrono::seconds(60)), "1m");
  EXPECT_EQ(HumanDuration(std::chrono::seconds(3599)), "59m 59s");
  EXPECT_EQ(HumanDuration(std::chrono::seconds(3725)), "1h 2m");
  EXPECT_EQ(HumanDuration(std::chrono::seconds(90061)), "1d 1h");
  EXPECT_EQ(HumanDuration(std::chrono::seconds(-90)), "1m 30s");
}

std::string Envelope(std::string_view url) {
  return Base64Encode(R"({"url":")" + std::string(url) +
                      R"(","method":"POST","headers":{"host":"sts.us-east-1.amazonaws.com",)"
                      R"("authorization":"AWS4-HMAC-SHA256 secret-signature"}})");
}

TEST(AwsCallerIdentityTest, SendsTheSignedRequestAndReportsTheArn) {
  testing::FakeEnv env;
  env.vars["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:9/";
  testing::FakeHttpClient http;
  http.Respond(200,
               "<GetCallerIdentityResponse><GetCallerIdentityResult>"
               "<Arn>arn:aws:sts::111:assumed-role/R/s</Arn><UserId>AROA:s</UserId>"
               "<Account>111</Account></GetCallerIdentityResult></GetCallerIdentityResponse>");
  auto items = AwsCallerIdentity(
      env, http,
      {"AWS", Envelope("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity")});
  ASSERT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(http.requests[0].url, "http://127.0.0.1:9/?Action=GetCallerIdentity");
  EXPECT_EQ(net::FindHeader(http.requests[0].headers, "host"), "sts.us-east-1.amazonaws.com");
  EXPECT_EQ(Value(items, "sent to"), "http://127.0.0.1:9/");
  EXPECT_EQ(Value(items, "arn"), "arn:aws:sts::111:assumed-role/R/s");
  EXPECT_EQ(Value(items, "account"), "111");
  EXPECT_EQ(Value(items, "user id"), "AROA:s");
  EXPECT_EQ(AllText(items).find("secret-signature"), std::string::npos);
}

TEST(AwsCallerIdentityTest, EndpointOverrideCopesWithAnyEnvelopeUrl) {
  testing::FakeEnv env;
  env.vars["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:9";
  testing::FakeHttpClient http;
  // No path, or a query straight after the host: the request still goes to the override.
  for (std::string_view url : {"https://sts.amazonaws.com", "https://sts.amazonaws.com?A=1"}) {
    http.Respond(403, "");
    auto items = AwsCallerIdentity(env, http, {"AWS", Envelope(url)});
    EXPECT_EQ(Value(items, "error"), "<absent>") << url;
  }
  ASSERT_EQ(http.requests.size(), 2u);
  EXPECT_EQ(http.requests[0].url, "http://127.0.0.1:9/");
  EXPECT_EQ(http.requests[1].url, "http://127.0.0.1:9/?A=1");
  // No scheme at all: reported, nothing sent.
  auto items = AwsCallerIdentity(env, http, {"AWS", Envelope("sts.amazonaws.com")});
  EXPECT_EQ(Value(items, "error"), "the envelope's url is not an absolute URL");
  EXPECT_EQ(http.requests.size(), 2u);
}

TEST(AwsCallerIdentityTest, StsRefusalIsExplained) {
  testing::FakeEnv env;
  testing::FakeHttpClient http;
  http.Respond(403,
               "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>"
               "<Message>bad sig</Message></Error></ErrorResponse>");
  auto items = AwsCallerIdentity(env, http, {"AWS", Envelope("http://127.0.0.1:9/?A=1")});
  EXPECT_EQ(Value(items, "STS answered"), "HTTP 403 SignatureDoesNotMatch: bad sig");
  EXPECT_NE(Value(items, "hint").find("invalid or expired"), std::string::npos);
}

TEST(AwsCallerIdentityTest, UnreachableStsAndBadEnvelopeAreErrors) {
  testing::FakeEnv env;
  testing::FakeHttpClient http;  // no handler: the exchange fails as unreachable
  auto items = AwsCallerIdentity(env, http, {"AWS", Envelope("http://127.0.0.1:9/?A=1")});
  EXPECT_EQ(Value(items, "error").rfind("net.connect", 0), 0u) << Value(items, "error");
  items = AwsCallerIdentity(env, http, {"AWS", "%%%not base64"});
  EXPECT_EQ(Value(items, "error"), "the attestation is not a base64 JSON envelope");
  EXPECT_EQ(http.requests.size(), 1u);
}

}  // namespace
}  // namespace wifgate::cli
