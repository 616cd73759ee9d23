#include "aws/sts_protocol.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace wifgate::aws {
namespace {

StsEndpoint UsEast1() { return ResolveStsEndpoint("us-east-1", "").value(); }

TEST(StsEndpointTest, RegionalAndOverride) {
  StsEndpoint e = UsEast1();
  EXPECT_EQ(e.base_url, "https://sts.us-east-1.amazonaws.com");
  EXPECT_EQ(e.host_header, "sts.us-east-1.amazonaws.com");
  auto local = ResolveStsEndpoint("us-east-1", "http://127.0.0.1:8099");
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ(local->base_url, "http://127.0.0.1:8099");
  EXPECT_EQ(local->host_header, "127.0.0.1:8099");
  EXPECT_EQ(ResolveStsEndpoint("us-east-1", "https://sts.example/").value().base_url,
            "https://sts.example");
}

TEST(StsEndpointTest, RefusesBadOverridesAndRegions) {
  for (const char* bad : {"ftp://x", "http://user@h/", "http://h/path", "http://h/?a=b", "h"}) {
    EXPECT_EQ(ResolveStsEndpoint("us-east-1", bad).status().reason(), "aws.bad_sts_endpoint")
        << bad;
  }
  EXPECT_EQ(ResolveStsEndpoint("nope", "").status().reason(), "aws.bad_region");
}

TEST(StsRequestTest, GetCallerIdentityAsSnowflakeSendsIt) {
  SignableRequest r = GetCallerIdentityRequest(UsEast1(), {{"x-snowflake-audience", "aud"}});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(RequestUrl(UsEast1(), r),
            "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15");
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0].name, "host");
  EXPECT_EQ(r.headers[1].name, "x-snowflake-audience");
  EXPECT_TRUE(r.body.empty());
}

TEST(StsRequestTest, FormBodiesAreEncoded) {
  SignableRequest r = AssumeRoleRequest(UsEast1(), "arn:aws:iam::123456789012:role/a/b", "sess",
                                        std::chrono::seconds(900));
  EXPECT_EQ(r.body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole"
            "%2Fa%2Fb&RoleSessionName=sess&DurationSeconds=900");
  EXPECT_EQ(net::FindHeader(r.headers, "content-type").value(),
            "application/x-www-form-urlencoded; charset=utf-8");
  SignableRequest t = GetWebIdentityTokenRequest(UsEast1(), "snowflakecomputing.com", "ES384");
  EXPECT_EQ(t.body,
            "Action=GetWebIdentityToken&Version=2011-06-15&Audience.member.1="
            "snowflakecomputing.com&SigningAlgorithm=ES384");
  net::HttpRequest w = AssumeRoleWithWebIdentityRequest(UsEast1(), "arn", "s", "a.b+c");
  EXPECT_EQ(w.url, "https://sts.us-east-1.amazonaws.com/");
  EXPECT_NE(w.body.find("WebIdentityToken=a.b%2Bc"), std::string::npos);
  EXPECT_FALSE(net::FindHeader(w.headers, "authorization").has_value());
}

constexpr char kAssumeRoleXml[] =
    R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/sess</Arn>
      <AssumedRoleId>AROA123EXAMPLE123:sess</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>secret/key</SecretAccessKey>
      <SessionToken>token+value==</SessionToken>
      <Expiration>2026-11-29T12:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe</RequestId></ResponseMetadata>
</AssumeRoleResponse>)";

TEST(StsResponseTest, ParsesAssumeRole) {
  auto r = ParseAssumeRoleResponse("AssumeRole", 200, kAssumeRoleXml);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->credentials.access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(r->credentials.secret_access_key, "secret/key");
  EXPECT_EQ(r->credentials.session_token, "token+value==");
  EXPECT_EQ(FormatRfc3339(*r->credentials.expiration), "2026-11-29T12:00:00Z");
  EXPECT_EQ(r->assumed_role_arn, "arn:aws:sts::123456789012:assumed-role/demo/sess");
}

TEST(StsResponseTest, RefusesWrongRootMissingOrDuplicatedFields) {
  EXPECT_EQ(
      ParseAssumeRoleResponse("AssumeRoleWithWebIdentity", 200, kAssumeRoleXml).status().reason(),
      "aws.sts_bad_response");
  std::string missing = kAssumeRoleXml;
  missing.replace(missing.find("<SessionToken>"), 0, "");
  missing.erase(missing.find("<SessionToken>"),
                missing.find("</SessionToken>") + 15 - missing.find("<SessionToken>"));
  EXPECT_EQ(ParseAssumeRoleResponse("AssumeRole", 200, missing).status().reason(),
            "aws.sts_bad_response");
  std::string doubled = kAssumeRoleXml;
  doubled.insert(doubled.find("<AccessKeyId>"), "<AccessKeyId>AKIAOTHER</AccessKeyId>");
  EXPECT_EQ(ParseAssumeRoleResponse("AssumeRole", 200, doubled).status().reason(),
            "aws.sts_bad_response");
  std::string bad_time = kAssumeRoleXml;
  bad_time.replace(bad_time.find("2026-11-29T12:00:00Z"), 20, "tomorrow");
  EXPECT_EQ(ParseAssumeRoleResponse("AssumeRole", 200, bad_time).status().reason(),
            "aws.sts_bad_response");
  EXPECT_EQ(ParseAssumeRoleResponse("AssumeRole", 200, "not xml").status().reason(),
            "aws.sts_bad_response");
}

TEST(StsResponseTest, ParsesCallerIdentityXmlAndJson) {
  auto x = ParseGetCallerIdentityResponse(
      200,
      "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/u</Arn>"
      "<UserId>AIDA</UserId><Account>1</Account></GetCallerIdentityResult>"
      "</GetCallerIdentityResponse>");
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  EXPECT_EQ(x->arn, "arn:aws:iam::1:user/u");
  auto j = ParseGetCallerIdentityResponse(
      200,
      R"({"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"1","Arn":"arn:x","UserId":"U"},"ResponseMetadata":{"RequestId":"r"}}})");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(j->account, "1");
  EXPECT_EQ(j->user_id, "U");
  EXPECT_FALSE(ParseGetCallerIdentityResponse(200, R"({"GetCallerIdentityResponse":{}})").ok());
  EXPECT_FALSE(ParseGetCallerIdentityResponse(200, R"({"a":1,"a":2})").ok());
}

TEST(StsResponseTest, ParsesWebIdentityToken) {
  auto t = ParseGetWebIdentityTokenResponse(
      200,
      "<GetWebIdentityTokenResponse><GetWebIdentityTokenResult><WebIdentityToken>h.p.s"
      "</WebIdentityToken><Expiration>2026-11-29T10:05:00.123Z</Expiration>"
      "</GetWebIdentityTokenResult></GetWebIdentityTokenResponse>");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->jwt, "h.p.s");
}

std::string ErrorXml(const std::string& code, const std::string& message) {
  return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message +
         "</Message></Error><RequestId>1</RequestId></ErrorResponse>";
}

TEST(StsErrorTest, MapsCodesToReasons) {
  EXPECT_EQ(ParseAssumeRoleResponse("AssumeRole", 400, ErrorXml("ExpiredToken", "expired"))
                .status()
                .reason(),
            "aws.credentials_expired");
  Status denied =
      ParseAssumeRoleResponse("AssumeRole", 403, ErrorXml("AccessDenied", "no")).status();
  EXPECT_EQ(denied.reason(), "aws.sts_access_denied");
  EXPECT_NE(denied.message().find("sts:AssumeRole"), std::string::npos);
  EXPECT_NE(denied.message().find("AccessDenied: no"), std::string::npos);
  EXPECT_EQ(ParseGetCallerIdentityResponse(503, "busy").status().reason(), "aws.sts_unavailable");
  Status other =
      ParseGetWebIdentityTokenResponse(400, ErrorXml("ValidationError", "bad\x01value")).status();
  EXPECT_EQ(other.reason(), "aws.sts_refused");
  EXPECT_NE(other.message().find("bad?value"), std::string::npos);
}

}  // namespace
}  // namespace wifgate::aws
