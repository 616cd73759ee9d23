// The AWS attestation: byte-for-byte equality with what the official Node connector sent
// (testdata/captures), impersonation, outbound token mode, and the failure paths.
#include "attest/aws_attestation.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/base64.h"
#include "common/json.h"
#include "common/time_format.h"
#include "fake_env.h"

namespace wifgate::attest {
namespace {

using wifgate::testing::FakeEnv;
using wifgate::testing::FakeHttpClient;

constexpr char kAkid[] = "AKIDEXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string ReadCapture(const std::string& name) {
  std::ifstream in(std::string(WIFGATE_SHARED_DIR) + "/testdata/captures/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Capture {
  std::string token;     // TOKEN of the login request
  std::string amz_date;  // the signing time the connector used
  std::string session_token;
};

Capture LoadCapture(const std::string& prefix) {
  Capture c;
  auto login = ParseStrictJson(ReadCapture(prefix + "_01-login-request.json"));
  EXPECT_TRUE(login.ok());
  c.token = GetString(*GetObject(*GetObject(login->as_object(), "body"), "data"), "TOKEN").value();
  auto decoded = ParseStrictJson(ReadCapture(prefix + "_attestation.decoded.json"));
  EXPECT_TRUE(decoded.ok());
  const auto& headers = *GetObject(*GetObject(decoded->as_object(), "attestation"), "headers");
  c.amz_date = GetString(headers, "x-amz-date").value();
  c.session_token = GetString(headers, "x-amz-security-token").value_or("");
  return c;
}

class AwsAttestationTest : public ::testing::Test {
 protected:
  AwsAttestationTest() {
    env_.vars = {{"AWS_ACCESS_KEY_ID", kAkid},
                 {"AWS_SECRET_ACCESS_KEY", kSecret},
                 {"AWS_REGION", "us-east-1"},
                 {"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9921"}};
  }
  Result<AttestationResult> Attest(AwsAttestationOptions options = {}) {
    options.metadata.imds = "http://127.0.0.1:9922";
    options.metadata.container_relative_base = "http://127.0.0.1:9923";
    return AwsAttestationProvider(env_, http_, std::move(options)).Attest();
  }
  std::string Explained(const AttestationResult& r, const std::string& key) {
    for (const auto& item : r.explain) {
      if (item.key == key) return item.value;
    }
    return "<missing " + key + ">";
  }

  FakeEnv env_;
  FakeHttpClient http_;
};

TEST_F(AwsAttestationTest, ReproducesTheNodeConnectorTokenByteForByte) {
  const Capture capture = LoadCapture("wif_aws");
  env_.now = ParseAmzDate(capture.amz_date).value();
  auto r = Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->attestation.provider, "AWS");
  EXPECT_EQ(r->attestation.token, capture.token);
  EXPECT_TRUE(http_.requests.empty());  // signing alone: nothing is sent
}

TEST_F(AwsAttestationTest, ReproducesTheSessionTokenCaptureByteForByte) {
  const Capture capture = LoadCapture("wif_aws_session_token");
  ASSERT_FALSE(capture.session_token.empty());
  env_.vars["AWS_SESSION_TOKEN"] = capture.session_token;
  AwsAttestationOptions options;
  options.at = ParseAmzDate(capture.amz_date).value();  // pinned by option, not by the clock
  auto r = Attest(options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->attestation.token, capture.token);
}

TEST_F(AwsAttestationTest, ExplainRedactsSignatureAndSessionToken) {
  env_.vars["AWS_SESSION_TOKEN"] = "SESSIONSECRET";
  auto r = Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string envelope = Explained(*r, "envelope");
  const std::string decoded = Base64Decode(r->attestation.token).value();
  auto json = ParseStrictJson(decoded);
  ASSERT_TRUE(json.ok());
  const std::string authorization =
      GetString(*GetObject(json->as_object(), "headers"), "authorization").value();
  const std::string signature = authorization.substr(authorization.rfind('=') + 1);
  ASSERT_EQ(signature.size(), 64u);
  EXPECT_EQ(envelope.find(signature), std::string::npos);
  EXPECT_EQ(envelope.find("SESSIONSECRET"), std::string::npos);
  EXPECT_NE(envelope.find("Signature=<redacted>"), std::string::npos);
  EXPECT_NE(envelope.find("\"x-amz-security-token\":\"<redacted>\""), std::string::npos);
  for (const auto& item : r->explain) {
    EXPECT_EQ(item.value.find(kSecret), std::string::npos) << item.key;
    EXPECT_EQ(item.value.find("SESSIONSECRET"), std::string::npos) << item.key;
  }
  EXPECT_EQ(Explained(*r, "credential source"), "environment (AWS_ACCESS_KEY_ID)");
  EXPECT_EQ(Explained(*r, "region"), "us-east-1 (from AWS_REGION)");
  EXPECT_EQ(Explained(*r, "STS host"), "sts.us-east-1.amazonaws.com");
  EXPECT_EQ(Explained(*r, "signed headers"),
            "host;x-amz-date;x-amz-security-token;x-snowflake-audience");
}

TEST_F(AwsAttestationTest, PartitionAwareHostAndConfigurableHostAndAudience) {
  env_.vars["AWS_REGION"] = "cn-north-1";
  auto cn = Attest();
  ASSERT_TRUE(cn.ok()) << cn.status().ToString();
  const std::string decoded = Base64Decode(cn->attestation.token).value();
  EXPECT_NE(decoded.find("\"url\":\"https://sts.cn-north-1.amazonaws.com.cn/?Action="),
            std::string::npos);
  AwsAttestationOptions options;
  options.sts_host = "sts-fips.us-east-1.amazonaws.com";
  options.audience = "my.audience";
  env_.vars["AWS_REGION"] = "us-east-1";
  auto custom = Attest(options);
  ASSERT_TRUE(custom.ok()) << custom.status().ToString();
  const std::string d2 = Base64Decode(custom->attestation.token).value();
  EXPECT_NE(d2.find("\"host\":\"sts-fips.us-east-1.amazonaws.com\""), std::string::npos);
  EXPECT_NE(d2.find("\"x-snowflake-audience\":\"my.audience\""), std::string::npos);
  options.sts_host = "evil.com/x@";
  EXPECT_EQ(Attest(options).status().reason(), "aws.bad_sts_host");
}

std::string AssumeRoleXml(const std::string& arn, const std::string& key) {
  return "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>" + arn +
         "</Arn></AssumedRoleUser><Credentials><AccessKeyId>" + key +
         "</AccessKeyId><SecretAccessKey>s-" + key + "</SecretAccessKey><SessionToken>t-" + key +
         "</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
         "</AssumeRoleResult></AssumeRoleResponse>";
}

TEST_F(AwsAttestationTest, ImpersonationAssumesEachRoleInTurn) {
  http_.Respond(200, AssumeRoleXml("arn:aws:sts::1:assumed-role/hop1/s", "ASIAHOP1"));
  http_.Respond(200, AssumeRoleXml("arn:aws:sts::2:assumed-role/hop2/s", "ASIAHOP2"));
  AwsAttestationOptions options;
  options.impersonation_path = {"arn:aws:iam::1:role/hop1", "arn:aws:iam::2:role/hop2"};
  auto r = Attest(options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.requests[0].url, "http://127.0.0.1:9921/");
  // Hop 1 is signed by the base credentials, hop 2 by hop 1's; the envelope by hop 2's.
  EXPECT_NE(net::FindHeader(http_.requests[0].headers, "authorization")->find("AKIDEXAMPLE/"),
            std::string::npos);
  EXPECT_NE(net::FindHeader(http_.requests[1].headers, "authorization")->find("ASIAHOP1/"),
            std::string::npos);
  EXPECT_EQ(net::FindHeader(http_.requests[1].headers, "x-amz-security-token").value(),
            "t-ASIAHOP1");
  EXPECT_NE(http_.requests[1].body.find("RoleArn=arn%3Aaws%3Aiam%3A%3A2%3Arole%2Fhop2"),
            std::string::npos);
  EXPECT_NE(http_.requests[1].body.find("RoleSessionName=identity-federation-session"),
            std::string::npos);
  const std::string decoded = Base64Decode(r->attestation.token).value();
  EXPECT_NE(decoded.find("Credential=ASIAHOP2/"), std::string::npos);
  EXPECT_NE(decoded.find("\"x-amz-security-token\":\"t-ASIAHOP2\""), std::string::npos);
  EXPECT_EQ(Explained(*r, "impersonation step 2"), "arn:aws:sts::2:assumed-role/hop2/s");
}

TEST_F(AwsAttestationTest, ImpersonationFailureNamesTheStep) {
  http_.Respond(200, AssumeRoleXml("arn:aws:sts::1:assumed-role/hop1/s", "ASIAHOP1"));
  http_.Respond(403,
                "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not authorized</Message>"
                "</Error></ErrorResponse>");
  AwsAttestationOptions options;
  options.impersonation_path = {"arn:aws:iam::1:role/hop1", "arn:aws:iam::2:role/hop2"};
  auto r = Attest(options);
  EXPECT_EQ(r.status().reason(), "aws.sts_access_denied");
  EXPECT_NE(r.status().message().find("impersonation step 2 of 2"), std::string::npos);
  EXPECT_NE(r.status().message().find("hop2"), std::string::npos);
}

TEST_F(AwsAttestationTest, OutboundTokenModeReturnsTheJwt) {
  http_.Respond(200,
                "<GetWebIdentityTokenResponse><GetWebIdentityTokenResult><WebIdentityToken>"
                "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ4In0.c2ln</WebIdentityToken><Expiration>"
                "2015-08-30T12:41:00Z</Expiration></GetWebIdentityTokenResult>"
                "</GetWebIdentityTokenResponse>");
  AwsAttestationOptions options;
  options.use_outbound_token = true;
  auto r = Attest(options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->attestation.token, "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ4In0.c2ln");
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_NE(http_.requests[0].body.find("Action=GetWebIdentityToken"), std::string::npos);
  EXPECT_NE(http_.requests[0].body.find("Audience.member.1=snowflakecomputing.com"),
            std::string::npos);
  EXPECT_NE(http_.requests[0].body.find("SigningAlgorithm=ES384"), std::string::npos);
  EXPECT_TRUE(net::FindHeader(http_.requests[0].headers, "authorization").has_value());
}

TEST_F(AwsAttestationTest, NoRegionAndNoCredentialsAreNamedErrors) {
  env_.vars.erase("AWS_REGION");
  auto no_region = Attest();
  EXPECT_EQ(no_region.status().reason(), "aws.no_region");
  env_.vars = {{"AWS_REGION", "us-east-1"}};
  auto none = Attest();
  EXPECT_EQ(none.status().reason(), "aws.no_credentials");
}

}  // namespace
}  // namespace wifgate::attest
