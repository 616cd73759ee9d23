// The SigV4 building blocks and the signer's refusals; the official suite runs in
// sigv4_suite_test.cc.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include "common/crypto.h"

namespace wifgate::aws {
namespace {

TEST(UriEncodeTest, KeepsUnreservedAndEncodesTheRestUpperHex) {
  EXPECT_EQ(UriEncode("AZaz09-._~", true), "AZaz09-._~");
  EXPECT_EQ(UriEncode("a b+c/d=e", true), "a%20b%2Bc%2Fd%3De");
  EXPECT_EQ(UriEncode("a b+c/d", false), "a%20b%2Bc/d");
  EXPECT_EQ(UriEncode("\xE1\x88\xB4", true), "%E1%88%B4");
  EXPECT_EQ(UriEncode("%", true), "%25");
}

TEST(PercentDecodeTest, DecodesAndRefusesBrokenEscapes) {
  EXPECT_EQ(PercentDecode("a%20b%2fc+d").value(), "a b/c+d");
  EXPECT_FALSE(PercentDecode("%").has_value());
  EXPECT_FALSE(PercentDecode("%2").has_value());
  EXPECT_FALSE(PercentDecode("a%zz").has_value());
}

TEST(CanonicalUriTest, EncodesOnceSoEncodedPathsEndUpDoubleEncoded) {
  EXPECT_EQ(CanonicalUri("", true), "/");
  EXPECT_EQ(CanonicalUri("/a b", true), "/a%20b");
  EXPECT_EQ(CanonicalUri("/a%20b", true), "/a%2520b");
  EXPECT_EQ(CanonicalUri("/a/../b/./c//", true), "/b/c/");
  EXPECT_EQ(CanonicalUri("/a/../b/./c//", false), "/a/../b/./c//");
  EXPECT_EQ(CanonicalUri("/../..", true), "/");
}

TEST(QueryTest, ParsesDecodesAndSortsByEncodedName) {
  auto params = ParseQuery("b=2&a=%20x&c&a=1");
  ASSERT_TRUE(params.ok());
  ASSERT_EQ(params->size(), 4u);
  EXPECT_EQ((*params)[1].value, " x");
  EXPECT_EQ((*params)[2].name, "c");
  EXPECT_EQ((*params)[2].value, "");
  EXPECT_EQ(CanonicalQueryString(*params), "a=%20x&a=1&b=2&c=");
}

TEST(QueryTest, RefusesBadEscape) {
  auto params = ParseQuery("a=%G1");
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.status().reason(), "aws.sigv4_bad_query");
}

TEST(CanonicalHeadersTest, LowersTrimsCollapsesAndJoinsRepeats) {
  CanonicalHeaders h = BuildCanonicalHeaders(
      {{"X-B", "  two   words "}, {"Host", "h"}, {"x-b", "again"}, {"A", "x\n  y"}});
  EXPECT_EQ(h.block, "a:x y\nhost:h\nx-b:two words,again\n");
  EXPECT_EQ(h.signed_headers, "a;host;x-b");
}

TEST(SigningKeyTest, MatchesTheAwsDocumentationExample) {
  // docs.aws.amazon.com "Examples of how to derive a signing key for Signature Version 4".
  const std::string key =
      DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
  EXPECT_EQ(HexEncode(key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

SignableRequest StsRequest() {
  SignableRequest r;
  r.method = "POST";
  r.path = "/";
  r.query = "Action=GetCallerIdentity&Version=2011-06-15";
  r.headers = {{"host", "sts.us-east-1.amazonaws.com"}};
  return r;
}

SigningParams Params() {
  SigningParams p;
  p.credentials = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt};
  p.region = "us-east-1";
  p.service = "sts";
  p.time = SystemTime{std::chrono::seconds{1440938160}};
  return p;
}

TEST(SignWithHeadersTest, AddsHeadersInSmithyOrder) {
  SigningParams p = Params();
  p.credentials.session_token = "tok";
  p.add_content_sha256_header = true;
  auto s = SignWithHeaders(StsRequest(), p);
  ASSERT_TRUE(s.ok());
  const auto& h = s->request.headers;
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[1].name, "x-amz-date");
  EXPECT_EQ(h[2].name, "x-amz-security-token");
  EXPECT_EQ(h[3].name, "x-amz-content-sha256");
  EXPECT_EQ(h[4].name, "authorization");
  EXPECT_EQ(s->signed_headers, "host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
  EXPECT_EQ(h[4].value, AuthorizationHeader("AKIDEXAMPLE", "20150830/us-east-1/sts/aws4_request",
                                            s->signed_headers, s->signature));
}

TEST(SignWithHeadersTest, SignatureDependsOnEverySignedInput) {
  const std::string base = SignWithHeaders(StsRequest(), Params())->signature;
  SignableRequest other_host = StsRequest();
  other_host.headers[0].value = "sts.us-east-2.amazonaws.com";
  EXPECT_NE(SignWithHeaders(other_host, Params())->signature, base);
  SigningParams later = Params();
  later.time += std::chrono::seconds(1);
  EXPECT_NE(SignWithHeaders(StsRequest(), later)->signature, base);
  SigningParams other_key = Params();
  other_key.credentials.secret_access_key += "x";
  EXPECT_NE(SignWithHeaders(StsRequest(), other_key)->signature, base);
}

TEST(SignerTest, RefusesIncompleteInputs) {
  SignableRequest no_host = StsRequest();
  no_host.headers.clear();
  EXPECT_EQ(SignWithHeaders(no_host, Params()).status().reason(), "aws.sigv4_bad_request");
  SignableRequest no_method = StsRequest();
  no_method.method.clear();
  EXPECT_EQ(Presign(no_method, Params()).status().reason(), "aws.sigv4_bad_request");
  SignableRequest preset = StsRequest();
  preset.headers.push_back({"X-Amz-Date", "20150830T123600Z"});
  EXPECT_EQ(SignWithHeaders(preset, Params()).status().reason(), "aws.sigv4_bad_request");
  SigningParams no_secret = Params();
  no_secret.credentials.secret_access_key.clear();
  EXPECT_EQ(SignWithHeaders(StsRequest(), no_secret).status().reason(), "aws.sigv4_bad_params");
  SigningParams no_region = Params();
  no_region.region.clear();
  EXPECT_EQ(Presign(StsRequest(), no_region).status().reason(), "aws.sigv4_bad_params");
  SignableRequest bad_query = StsRequest();
  bad_query.query = "a=%";
  EXPECT_EQ(SignWithHeaders(bad_query, Params()).status().reason(), "aws.sigv4_bad_query");
}

TEST(SignerTest, ErrorsNeverContainTheSecret) {
  SigningParams p = Params();
  p.region.clear();
  Status s = SignWithHeaders(StsRequest(), p).status();
  EXPECT_EQ(s.ToString().find(p.credentials.secret_access_key), std::string::npos);
}

}  // namespace
}  // namespace wifgate::aws
