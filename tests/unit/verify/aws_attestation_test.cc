// Local validation of AWS attestation envelopes: security.md §5.0 CTRL-01/02 and every
// row of §5.A-5.C, each with constructed input. Everything here fails before any network
// call by construction (ParseAwsAttestation has no network access); the verifier tests
// check NO-OUT end to end.
#include "verify/aws_attestation.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "aws_test_util.h"
#include "common/base64.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace wifgate::verify {
namespace {

using wifgate::testing::EnvelopeBuilder;

class AwsAttestationTest : public ::testing::Test {
 protected:
  Result<AwsAttestation> Parse(const std::string& token) {
    return ParseAwsAttestation(token, policy_, hosts_, now_);
  }
  std::string Reason(const std::string& token) {
    auto r = Parse(token);
    return r.ok() ? "ok" : r.status().reason();
  }
  std::string Reason(const EnvelopeBuilder& b) { return Reason(b.Token()); }
  Code CodeOf(const EnvelopeBuilder& b) { return Parse(b.Token()).status().code(); }

  SystemTime now_ = SystemTime{std::chrono::seconds{1440938160}};  // 2015-08-30T12:36:00Z
  AwsAttestationPolicy policy_;
  StsHostAllowList hosts_{{"aws"}};
  EnvelopeBuilder b_{now_};
};

std::string ReadShared(const std::string& rel) {
  std::ifstream in(std::string(WIFGATE_SHARED_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The TOKEN the official Node connector sent, and the time it was signed.
std::pair<std::string, SystemTime> CapturedNodeToken(const std::string& capture) {
  auto doc = ParseStrictJson(ReadShared("testdata/captures/" + capture), {1 << 20, 64});
  EXPECT_TRUE(doc.ok());
  const auto& data = doc->at("body").at("data").as_object();
  std::string token(data.at("TOKEN").as_string());
  auto decoded = ParseStrictJson(*Base64Decode(token));
  std::string date(decoded->at("headers").at("x-amz-date").as_string());
  return {token, *ParseAmzDate(date)};
}

// ---- 5.0 positive controls.

TEST_F(AwsAttestationTest, Ctrl01DefaultEnvelopeIsAccepted) {
  auto r = Parse(b_.Token());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->endpoint.host, "sts.us-east-1.amazonaws.com");
  EXPECT_EQ(r->endpoint.partition, "aws");
  EXPECT_EQ(r->signed_at, now_);
  EXPECT_EQ(r->Expiry(), now_ + std::chrono::minutes(15));
  ASSERT_EQ(r->signed_headers.size(), 3u);
  EXPECT_EQ(r->signed_headers[0].name, "host");
  EXPECT_EQ(r->signed_headers[1].name, "x-amz-date");
  EXPECT_EQ(r->signed_headers[2].name, "x-snowflake-audience");
  EXPECT_EQ(r->authorization.Format(),
            EnvelopeBuilder::Authorization("20150830", "us-east-1",
                                           "host;x-amz-date;x-snowflake-audience"));
}

TEST_F(AwsAttestationTest, Ctrl01CapturedNodeConnectorTokenIsAccepted) {
  auto [token, signed_at] = CapturedNodeToken("wif_aws_01-login-request.json");
  now_ = signed_at + std::chrono::seconds(30);
  auto r = Parse(token);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->authorization.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(r->authorization.signature,
            "0320763d5ad48325db4ab9dcc910738892922f986be87f4a256c7badf642081a");
  // The rebuilt Authorization is byte-identical to what the connector signed.
  auto decoded = ParseStrictJson(*Base64Decode(token));
  EXPECT_EQ(r->authorization.Format(),
            std::string(decoded->at("headers").at("authorization").as_string()));
}

TEST_F(AwsAttestationTest, Ctrl01CapturedNodeTokenWithSessionTokenIsAccepted) {
  auto [token, signed_at] = CapturedNodeToken("wif_aws_session_token_01-login-request.json");
  now_ = signed_at;
  auto r = Parse(token);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->signed_headers.size(), 4u);
  EXPECT_EQ(r->signed_headers[2].name, "x-amz-security-token");
}

TEST_F(AwsAttestationTest, CapturedTokenIsRefusedOnceItsWindowHasPassed) {
  auto [token, signed_at] = CapturedNodeToken("wif_aws_01-login-request.json");
  now_ = signed_at + std::chrono::minutes(16);
  EXPECT_EQ(Reason(token), "aws.amz_date_stale");
}

TEST_F(AwsAttestationTest, Ctrl02LowerCaseNamesAndIndentedJsonAreAccepted) {
  EnvelopeBuilder b(now_);
  for (auto& h : b.headers) {
    for (auto& c : h.first) c = static_cast<char>(std::tolower(c));
  }
  boost::json::value v = *ParseStrictJson(b.Json());
  // Pretty-printed the way picojson does (libsnowflakeclient): newlines and indentation.
  std::string pretty = "{\n  \"url\": " + boost::json::serialize(v.at("url")) +
                       ",\n  \"method\": \"POST\",\n  \"headers\": {\n";
  bool first = true;
  for (const auto& [k, val] : v.at("headers").as_object()) {
    pretty += std::string(first ? "" : ",\n") + "    \"" + std::string(k) +
              "\": " + boost::json::serialize(val);
    first = false;
  }
  pretty += "\n  }\n}";
  auto r = Parse(Base64Encode(pretty));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(AwsAttestationTest, OptionalEmptyBodyIsAccepted) {
  b_.extra_members = ",\"body\":\"\"";
  EXPECT_EQ(Reason(b_), "ok");
  b_.extra_members = ",\"body\":\"Action=GetCallerIdentity\"";
  EXPECT_EQ(Reason(b_), "aws.body_not_empty");
  b_.extra_members = ",\"body\":null";
  EXPECT_EQ(Reason(b_), "aws.envelope_invalid");
}

// ---- 5.A envelope.

TEST_F(AwsAttestationTest, Env01NotBase64) {
  for (std::string t : {"%%%", "eyJ*", "", "a"}) {
    EXPECT_EQ(Reason(t), "aws.token_not_base64") << t;
  }
}

TEST_F(AwsAttestationTest, Env02NotAnObject) {
  for (std::string doc : {"[]", "\"x\"", "null", "1"}) {
    EXPECT_EQ(Reason(Base64Encode(doc)), "aws.envelope_invalid") << doc;
  }
  std::string random;
  for (int i = 0; i < 256; ++i) random.push_back(static_cast<char>((i * 167 + 13) & 0xff));
  EXPECT_EQ(Reason(Base64Encode(random)), "aws.envelope_not_json");
}

TEST_F(AwsAttestationTest, Env03TypeConfusion) {
  std::string ok_headers = b_.Json();
  ok_headers = ok_headers.substr(ok_headers.find("\"headers\""));
  for (std::string doc : {
           std::string("{\"url\":\"u\",\"method\":\"POST\",\"headers\":[[\"Host\",\"x\"]]}"),
           "{\"url\":{\"href\":\"https://sts.us-east-1.amazonaws.com/\"},\"method\":\"POST\"," +
               ok_headers,
           "{\"url\":\"" + b_.url + "\",\"method\":[\"POST\"]," + ok_headers,
       }) {
    EXPECT_EQ(Reason(Base64Encode(doc)), "aws.envelope_invalid") << doc;
  }
  for (std::string raw : {"43", "[\"a\"]", "{}", "null", "true"}) {
    EnvelopeBuilder b(now_);
    b.SetRaw("Content-Length", raw);
    EXPECT_EQ(Reason(b), "aws.envelope_invalid") << raw;
  }
}

TEST_F(AwsAttestationTest, EnvelopeMembersAreExact) {
  b_.extra_members = ",\"extra\":\"x\"";
  EXPECT_EQ(Reason(b_), "aws.envelope_invalid");
  EXPECT_EQ(Reason(Base64Encode("{\"url\":\"" + b_.url + "\",\"method\":\"POST\"}")),
            "aws.envelope_invalid");
  // Duplicate top-level keys are refused by the strict parser.
  b_.extra_members = ",\"url\":\"https://evil.test/\"";
  EXPECT_EQ(Reason(b_), "aws.envelope_not_json");
}

TEST_F(AwsAttestationTest, Env06MethodIsExactlyPost) {
  for (std::string m : {"GET", "post", "Post", "POST ", " POST", "PUT", "CONNECT", ""}) {
    b_.method = m;
    EXPECT_EQ(Reason(b_), "aws.method_not_post") << m;
  }
}

TEST_F(AwsAttestationTest, Env07SizeLimits) {
  EXPECT_EQ(Reason(std::string(1 << 20, 'A')), "aws.token_too_large");
  EXPECT_EQ(Reason(std::string(16 << 20, 'A')), "aws.token_too_large");
  b_.Set("X-Big", std::string(1 << 20, 'v'));
  EXPECT_EQ(Reason(b_), "aws.token_too_large");
  EnvelopeBuilder many(now_);
  for (int i = 0; i < 40; ++i) many.Add("X-H" + std::to_string(i), "v");
  EXPECT_EQ(Reason(many), "aws.too_many_headers");
  EnvelopeBuilder ten_thousand(now_);
  for (int i = 0; i < 10000; ++i) ten_thousand.Add("X-H" + std::to_string(i), "v");
  EXPECT_EQ(Reason(ten_thousand), "aws.token_too_large");
  // An oversized single value within the token cap.
  EnvelopeBuilder long_value(now_);
  long_value.Add("X-Long", std::string(9000, 'v'));
  EXPECT_EQ(Reason(long_value), "aws.header_invalid");
}

TEST_F(AwsAttestationTest, Env08DeepNesting) {
  std::string doc = "{\"url\":" + std::string(10000, '[');
  EXPECT_EQ(Reason(Base64Encode(doc)), "aws.envelope_not_json");
  std::string huge = "{\"url\":" + std::string(100000, '[');
  EXPECT_EQ(Reason(Base64Encode(huge)), "aws.token_too_large");
}

TEST_F(AwsAttestationTest, Env10Base64Variants) {
  std::string good = b_.Token();
  ASSERT_EQ(Reason(good), "ok");
  std::string url_safe = good;
  for (auto& c : url_safe) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  std::string unpadded = good;
  while (unpadded.ends_with('=')) unpadded.pop_back();
  std::string with_newline = good.substr(0, 40) + "\n" + good.substr(40);
  for (const std::string& t :
       {unpadded, with_newline, " " + good, good + " ", good + "AAAA", good + "=="}) {
    EXPECT_EQ(Reason(t), "aws.token_not_base64");
  }
  // URL-safe alphabet: refused whenever the standard encoding used + or /.
  if (url_safe != good) {
    EXPECT_EQ(Reason(url_safe), "aws.token_not_base64");
  }
  // Non-zero unused trailing bits: "eA==" and "eB==" would both decode to "x".
  EXPECT_EQ(Reason("eB=="), "aws.token_not_base64");
}

TEST_F(AwsAttestationTest, Env11JsonLenience) {
  std::string j = b_.Json();
  for (const std::string& doc : {j + "xyz", j + j, "//c\n" + j, "\xEF\xBB\xBF" + j,
                                 std::string("{'url':'x'}"), std::string("{\"url\":NaN}")}) {
    EXPECT_EQ(Reason(Base64Encode(doc)), "aws.envelope_not_json") << doc.substr(0, 20);
  }
  std::string utf16;
  for (char c : j) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  EXPECT_EQ(Reason(Base64Encode(utf16)), "aws.envelope_not_json");
}

// ---- 5.B URL, host and query.

TEST_F(AwsAttestationTest, Url01SchemeIsHttps) {
  for (std::string u :
       {"http://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        "HTTPS://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        "ftp://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        "//sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"}) {
    b_.url = u;
    EXPECT_EQ(Reason(b_), "aws.url_invalid") << u;
  }
}

TEST_F(AwsAttestationTest, Url02HostNotAllowListed) {
  for (std::string host :
       {"evil.test", "sts.us-east-1.amazonaws.com.evil.test", "evilsts.us-east-1.amazonaws.com",
        "sts.us-east-1.amazonaws.com.cn.evil.test", "sts.amazonaws.com"}) {
    b_.url = "https://" + host + "/?Action=GetCallerIdentity&Version=2011-06-15";
    b_.Set("Host", host);
    EXPECT_EQ(Reason(b_), "aws.sts_host_not_allowed") << host;
    EXPECT_EQ(CodeOf(b_), Code::kUnauthenticated);
  }
}

TEST_F(AwsAttestationTest, Url04Userinfo) {
  for (
      std::string u :
      {"https://sts.us-east-1.amazonaws.com@evil.test/?Action=GetCallerIdentity&Version=2011-06-15",
       "https://evil.test@sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
       "https://u:p@sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"}) {
    b_.url = u;
    EXPECT_EQ(Reason(b_), "aws.url_invalid") << u;
  }
}

TEST_F(AwsAttestationTest, Url05NoPortForm) {
  for (std::string port : {":443", ":8443", ":0", ":65536", ":"}) {
    b_.url = "https://sts.us-east-1.amazonaws.com" + port +
             "/?Action=GetCallerIdentity&Version=2011-06-15";
    EXPECT_EQ(Reason(b_), "aws.url_invalid") << port;
  }
}

TEST_F(AwsAttestationTest, Url06HostSpelling) {
  const std::string q = "/?Action=GetCallerIdentity&Version=2011-06-15";
  for (std::string host : {"STS.US-EAST-1.AMAZONAWS.COM", "sts.us-east-1.am\xD0\xB0zonaws.com",
                           "sts.us-east-1.amazonaws%2ecom", "[::1]"}) {
    b_.url = "https://" + host + q;
    EXPECT_EQ(Reason(b_), "aws.url_invalid") << host;
  }
  for (std::string host : {"sts.us-east-1.amazonaws.com.", "xn--sts-9na.us-east-1.amazonaws.com",
                           "873947649", "52.94.0.1"}) {
    b_.url = "https://" + host + q;
    b_.Set("Host", host);
    EXPECT_EQ(Reason(b_), "aws.sts_host_not_allowed") << host;
  }
}

TEST_F(AwsAttestationTest, Url08PathIsExactlySlash) {
  for (std::string path : {"", "/x", "/%2F", "//", "/./", "/..%2f", "/%3FAction=AssumeRole"}) {
    b_.url = "https://sts.us-east-1.amazonaws.com" + path +
             "?Action=GetCallerIdentity&Version=2011-06-15";
    EXPECT_EQ(Reason(b_), "aws.url_path_invalid") << path;
  }
  b_.url = "https://sts.us-east-1.amazonaws.com/";
  EXPECT_EQ(Reason(b_), "aws.query_invalid");
}

TEST_F(AwsAttestationTest, Url09ActionIsGetCallerIdentity) {
  for (std::string action :
       {"AssumeRole", "GetSessionToken", "GetFederationToken", "DecodeAuthorizationMessage",
        "getcalleridentity", "GetCallerIdentity%20"}) {
    b_.url = "https://sts.us-east-1.amazonaws.com/?Action=" + action + "&Version=2011-06-15";
    EXPECT_EQ(Reason(b_), "aws.query_invalid") << action;
  }
}

TEST_F(AwsAttestationTest, Url11ExtraOrOddParameters) {
  const std::string base = "https://sts.us-east-1.amazonaws.com/?";
  for (std::string q : {"Action=GetCallerIdentity&Version=2011-06-15&RoleArn=x",
                        "Action=GetCallerIdentity&Version=2011-06-15&DurationSeconds=3600",
                        "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=604800",
                        "Action=GetCallerIdentity&Version=2011-06-15&foo=bar",
                        "Action=GetCallerIdentity&Version=2099-01-01", "Action=&Version=2011-06-15",
                        "Action&Version=2011-06-15", "Action=GetCallerIdentity",
                        "Action=GetCallerIdentity&Version=2011-06-15&",
                        "Action=GetCallerIdentity&Version=2011-06-15&action=GetCallerIdentity",
                        "Action=GetCallerIdentity&Version=2011-06-15&Action=GetCallerIdentity",
                        "Action=GetCallerIdentity&Version=2011-06-15#frag"}) {
    b_.url = base + q;
    EXPECT_EQ(Reason(b_), "aws.query_invalid") << q;
  }
  // The two parameters in the other order are the same query.
  b_.url = base + "Version=2011-06-15&Action=GetCallerIdentity";
  EXPECT_EQ(Reason(b_), "ok");
}

TEST_F(AwsAttestationTest, Url12CrLfInUrl) {
  for (std::string q : {"Action=GetCallerIdentity&Version=2011-06-15 HTTP/1.1\r\nHost: "
                        "evil.test\r\n\r\nGET /",
                        "Action=GetCallerIdentity&Version=2011-06-15%0d%0a"}) {
    b_.url = "https://sts.us-east-1.amazonaws.com/?" + q;
    EXPECT_EQ(Reason(b_), "aws.query_invalid");
  }
}

TEST_F(AwsAttestationTest, Url13PartitionPolicyAndInventedRegions) {
  for (auto [host, region] : {std::pair{"sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
                              std::pair{"sts.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
                              std::pair{"sts.xx-fake-9.amazonaws.com", "xx-fake-9"}}) {
    EnvelopeBuilder b(now_);
    b.url = std::string("https://") + host + "/?Action=GetCallerIdentity&Version=2011-06-15";
    b.Set("Host", host);
    b.Set("Authorization", EnvelopeBuilder::Authorization("20150830", region,
                                                          "host;x-amz-date;x-snowflake-audience"));
    EXPECT_EQ(Reason(b), "aws.sts_host_not_allowed") << host;
    // With every partition enabled, the genuine ones pass and the invented one does not.
    StsHostAllowList all;
    auto r = ParseAwsAttestation(b.Token(), policy_, all, now_);
    EXPECT_EQ(r.ok(), std::string(host) != "sts.xx-fake-9.amazonaws.com") << host;
  }
}

TEST_F(AwsAttestationTest, FipsAndConfiguredHosts) {
  b_.url = "https://sts-fips.us-east-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15";
  b_.Set("Host", "sts-fips.us-east-2.amazonaws.com");
  b_.Set("Authorization", EnvelopeBuilder::Authorization("20150830", "us-east-2",
                                                         "host;x-amz-date;x-snowflake-audience"));
  auto r = Parse(b_.Token());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->endpoint.fips);

  b_.url = "https://sts.sc2s.sgov.gov/?Action=GetCallerIdentity&Version=2011-06-15";
  b_.Set("Host", "sts.sc2s.sgov.gov");
  b_.Set("Authorization", EnvelopeBuilder::Authorization("20150830", "us-isob-east-1",
                                                         "host;x-amz-date;x-snowflake-audience"));
  EXPECT_EQ(Reason(b_), "aws.sts_host_not_allowed");
  hosts_.Add(StsEndpoint{"sts.sc2s.sgov.gov", "us-isob-east-1", "aws-iso-b", false});
  EXPECT_EQ(Reason(b_), "ok");
}

// ---- 5.C headers and SigV4 metadata.

TEST_F(AwsAttestationTest, Hdr01HostHeaderMustEqualUrlHost) {
  for (std::string host :
       {"sts.eu-west-1.amazonaws.com", "evil.test", "sqs.us-east-1.amazonaws.com",
        "STS.US-EAST-1.AMAZONAWS.COM", "sts.us-east-1.amazonaws.com:443"}) {
    b_.Set("Host", host);
    EXPECT_EQ(Reason(b_), "aws.host_header_mismatch") << host;
  }
  b_.Remove("Host");
  EXPECT_EQ(Reason(b_), "aws.host_header_mismatch");
}

TEST_F(AwsAttestationTest, Hdr02AudienceValue) {
  for (std::string aud : {"snowflakecomputing.com.evil.test", "SNOWFLAKECOMPUTING.COM",
                          " snowflakecomputing.com", "snowflakecomputing.com,evil", ""}) {
    b_.Set("X-Snowflake-Audience", aud);
    EXPECT_EQ(Reason(b_), "aws.audience_mismatch") << aud;
    EXPECT_EQ(CodeOf(b_), Code::kUnauthenticated);
  }
  b_.Remove("X-Snowflake-Audience");
  EXPECT_EQ(Reason(b_), "aws.audience_missing");
  EXPECT_EQ(CodeOf(b_), Code::kUnauthenticated);
}

TEST_F(AwsAttestationTest, ConfiguredAudienceIsRequired) {
  policy_.audience = "wifgate.example";
  EXPECT_EQ(Reason(b_), "aws.audience_mismatch");
  b_.Set("X-Snowflake-Audience", "wifgate.example");
  EXPECT_EQ(Reason(b_), "ok");
}

TEST_F(AwsAttestationTest, Hdr03AudienceMustBeSigned) {
  b_.Set("Authorization",
         EnvelopeBuilder::Authorization("20150830", "us-east-1", "host;x-amz-date"));
  EXPECT_EQ(Reason(b_), "aws.audience_not_signed");
  EXPECT_EQ(CodeOf(b_), Code::kUnauthenticated);
}

TEST_F(AwsAttestationTest, Hdr06HeaderInjection) {
  for (std::string value : {"snowflakecomputing.com\r\nX-Amz-Target: x",
                            "snowflakecomputing.com\r\n\tfolded", "a\x7f", "caf\xC3\xA9"}) {
    EnvelopeBuilder b(now_);
    b.Set("X-Snowflake-Audience", value);
    EXPECT_EQ(Reason(b), "aws.header_invalid");
  }
  for (std::string name : {"X-Foo: bar", "X Foo", "", "X-Foo\r\n"}) {
    EnvelopeBuilder b(now_);
    b.Add(name, "v");
    EXPECT_EQ(Reason(b), "aws.header_invalid") << name;
  }
}

TEST_F(AwsAttestationTest, Hdr07UnsignedShapingHeadersAreDropped) {
  const std::vector<std::pair<std::string, std::string>> shaping = {
      {"Accept", "text/xml"},           {"Accept-Encoding", "gzip, br"},
      {"Content-Type", "text/plain"},   {"Transfer-Encoding", "chunked"},
      {"Content-Length", "43"},         {"Expect", "100-continue"},
      {"Connection", "Upgrade"},        {"TE", "trailers"},
      {"Proxy-Authorization", "x"},     {"Cookie", "a=b"},
      {"X-Forwarded-Host", "evil.test"}};
  for (const auto& [name, value] : shaping) b_.Add(name, value);
  auto r = Parse(b_.Token());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const auto& h : r->signed_headers) {
    for (const auto& [name, value] : shaping) EXPECT_FALSE(AsciiEqualsIgnoreCase(h.name, name));
  }
  EXPECT_EQ(r->signed_headers.size(), 3u);
}

TEST_F(AwsAttestationTest, Hdr07SignedShapingHeadersAreRefused) {
  for (std::string name : {"accept", "accept-encoding", "content-type", "content-length",
                           "transfer-encoding", "x-forwarded-host", "x-amz-target", "cookie"}) {
    EnvelopeBuilder b(now_);
    b.Add(name, "v");
    std::vector<std::string> names = {"host", "x-amz-date", "x-snowflake-audience", name};
    std::sort(names.begin(), names.end());
    b.Set("Authorization",
          EnvelopeBuilder::Authorization("20150830", "us-east-1", Join(names, ";")));
    EXPECT_EQ(Reason(b), "aws.signed_header_not_allowed") << name;
  }
}

TEST_F(AwsAttestationTest, HeaderNamesAreUniqueCaseInsensitively) {
  b_.Add("host", "sts.us-east-1.amazonaws.com");
  EXPECT_EQ(Reason(b_), "aws.header_duplicate");
  EnvelopeBuilder b(now_);
  b.Add("x-snowflake-audience", "snowflakecomputing.com");
  EXPECT_EQ(Reason(b), "aws.header_duplicate");
  // An exact duplicate key is refused by the JSON parser itself.
  EnvelopeBuilder exact(now_);
  exact.headers.emplace_back("Host", "\"sts.us-east-1.amazonaws.com\"");
  EXPECT_EQ(Reason(exact), "aws.envelope_not_json");
}

TEST_F(AwsAttestationTest, Hdr09SignedHeaderMissingOrTokenUnsigned) {
  b_.Set("Authorization",
         EnvelopeBuilder::Authorization(
             "20150830", "us-east-1", "host;x-amz-date;x-amz-security-token;x-snowflake-audience"));
  EXPECT_EQ(Reason(b_), "aws.signed_header_missing");
  EnvelopeBuilder unsigned_token(now_);
  unsigned_token.Set("X-Amz-Security-Token", "FwoGZXIvYXdzEXAMPLE");
  EXPECT_EQ(Reason(unsigned_token), "aws.header_not_signed");
  unsigned_token.Set(
      "Authorization",
      EnvelopeBuilder::Authorization("20150830", "us-east-1",
                                     "host;x-amz-date;x-amz-security-token;x-snowflake-audience"));
  EXPECT_EQ(Reason(unsigned_token), "ok");
  // Host and X-Amz-Date must be signed.
  EnvelopeBuilder no_host(now_);
  no_host.Set("Authorization", EnvelopeBuilder::Authorization("20150830", "us-east-1",
                                                              "x-amz-date;x-snowflake-audience"));
  EXPECT_EQ(Reason(no_host), "aws.signed_header_missing");
}

TEST_F(AwsAttestationTest, ContentSha256MustBeSignedAndEmpty) {
  const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  b_.Set("X-Amz-Content-Sha256", empty);
  EXPECT_EQ(Reason(b_), "aws.header_not_signed");
  b_.Set("Authorization",
         EnvelopeBuilder::Authorization(
             "20150830", "us-east-1", "host;x-amz-content-sha256;x-amz-date;x-snowflake-audience"));
  EXPECT_EQ(Reason(b_), "ok");
  b_.Set("X-Amz-Content-Sha256", std::string(64, 'b'));
  EXPECT_EQ(Reason(b_), "aws.body_not_empty");
}

TEST_F(AwsAttestationTest, Hdr10AmzDateFreshness) {
  auto with_date = [&](SystemTime t) {
    EnvelopeBuilder b(t);
    return Reason(b);
  };
  // Up to 15 minutes old (STS's bound), up to 5 minutes ahead (clock skew).
  EXPECT_EQ(with_date(now_ - std::chrono::minutes(14)), "ok");
  EXPECT_EQ(with_date(now_ + std::chrono::minutes(4)), "ok");
  EXPECT_EQ(with_date(now_ - std::chrono::minutes(16)), "aws.amz_date_stale");
  EXPECT_EQ(with_date(now_ - std::chrono::hours(2)), "aws.amz_date_stale");
  EXPECT_EQ(with_date(now_ + std::chrono::minutes(6)), "aws.amz_date_stale");
  EXPECT_EQ(with_date(now_ + std::chrono::minutes(10)), "aws.amz_date_stale");
  EXPECT_EQ(with_date(now_ + std::chrono::minutes(16)), "aws.amz_date_stale");
  EXPECT_EQ(with_date(SystemTime{std::chrono::seconds{1735689600}}), "aws.amz_date_stale");
  for (std::string d : {"20150830T123600", "20150830", "2015-08-30T12:36:00Z",
                        "\xD9\xA2\xD9\xA0\xD9\xA1\xD9\xA5"
                        "0830T123600Z",
                        "20150230T123600Z", "20150830T123660Z", ""}) {
    EnvelopeBuilder b(now_);
    b.Set("X-Amz-Date", d);
    std::string reason = Reason(b);
    EXPECT_TRUE(reason == "aws.amz_date_invalid" || reason == "aws.header_invalid") << d << reason;
  }
  b_.Remove("X-Amz-Date");
  EXPECT_EQ(Reason(b_), "aws.amz_date_invalid");
}

TEST_F(AwsAttestationTest, DateHeaderIsRefused) {
  b_.Add("Date", "Sun, 30 Aug 2015 12:36:00 GMT");
  EXPECT_EQ(Reason(b_), "aws.date_header_forbidden");
}

TEST_F(AwsAttestationTest, Hdr12CredentialScope) {
  auto with_auth = [&](const std::string& auth) {
    EnvelopeBuilder b(now_);
    b.Set("Authorization", auth);
    return Reason(b);
  };
  const std::string sh = "host;x-amz-date;x-snowflake-audience";
  EXPECT_EQ(with_auth(EnvelopeBuilder::Authorization("20150830", "eu-west-1", sh)),
            "aws.credential_scope_mismatch");
  EXPECT_EQ(with_auth(EnvelopeBuilder::Authorization("20150829", "us-east-1", sh)),
            "aws.credential_scope_mismatch");
  const std::string sig = ", Signature=" + std::string(64, 'a');
  EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20150830/us-east-1/s3/"
                      "aws4_request, SignedHeaders=" +
                      sh + sig),
            "aws.authorization_invalid");
  EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20150830/us-east-1/sts/"
                      "aws4_requests, SignedHeaders=" +
                      sh + sig),
            "aws.authorization_invalid");
  EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=" + std::string(300, 'A') +
                      "/20150830/us-east-1/sts/aws4_request, SignedHeaders=" + sh + sig),
            "aws.authorization_invalid");
}

TEST_F(AwsAttestationTest, AuthorizationGrammarIsExact) {
  const std::string cred = "Credential=AKIAEXAMPLE/20150830/us-east-1/sts/aws4_request";
  const std::string sh = "SignedHeaders=host;x-amz-date;x-snowflake-audience";
  const std::string sig = "Signature=" + std::string(64, 'a');
  auto reason = [&](const std::string& auth) {
    EnvelopeBuilder b(now_);
    b.Set("Authorization", auth);
    return Reason(b);
  };
  EXPECT_EQ(reason("AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sig), "ok");
  for (const std::string& bad : {
           "AWS4-HMAC-SHA1 " + cred + ", " + sh + ", " + sig,
           "aws4-hmac-sha256 " + cred + ", " + sh + ", " + sig,
           "AWS4-HMAC-SHA256  " + cred + ", " + sh + ", " + sig,
           "AWS4-HMAC-SHA256 " + cred + "," + sh + "," + sig,
           "AWS4-HMAC-SHA256 " + sh + ", " + cred + ", " + sig,
           "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sig + ", " + sig,
           "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sig + "0",
           "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", Signature=" + std::string(64, 'A'),
           "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date;host;x-snowflake-audience, " +
               sig,
           "AWS4-HMAC-SHA256 " + cred +
               ", SignedHeaders=host;host;x-amz-date;x-snowflake-audience, " + sig,
           "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=Host;x-amz-date;x-snowflake-audience, " +
               sig,
           "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sig + " ",
       }) {
    EXPECT_EQ(reason(bad), "aws.authorization_invalid") << bad;
  }
  b_.Remove("Authorization");
  EXPECT_EQ(Reason(b_), "aws.authorization_invalid");
}

TEST_F(AwsAttestationTest, FailuresNeverEchoTheSignatureOrSessionToken) {
  b_.Set("X-Amz-Security-Token", "SECRET-SESSION-TOKEN");
  b_.Set("Authorization",
         "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20150830/us-east-1/sts/"
         "aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token;"
         "x-snowflake-audience, Signature=" +
             std::string(63, 'f') + "g");
  auto r = Parse(b_.Token());
  ASSERT_FALSE(r.ok());
  for (const std::string& text : {r.status().message(), r.status().client_message()}) {
    EXPECT_EQ(text.find(std::string(63, 'f')), std::string::npos);
    EXPECT_EQ(text.find("SECRET-SESSION-TOKEN"), std::string::npos);
  }
}

TEST_F(AwsAttestationTest, CanonicalKeyCoversEverySignedPart) {
  auto key = [&](const EnvelopeBuilder& b) { return Parse(b.Token())->CanonicalKey(); };
  EnvelopeBuilder base(now_);
  EnvelopeBuilder other_sig(now_);
  other_sig.Set("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00/20150830/us-east-1/sts/"
                "aws4_request, SignedHeaders=host;x-amz-date;x-snowflake-audience, Signature=" +
                    std::string(64, 'b'));
  EnvelopeBuilder other_date(now_ + std::chrono::seconds(1));
  EnvelopeBuilder with_unsigned(now_);
  with_unsigned.Add("User-Agent", "x");
  EXPECT_NE(key(base), key(other_sig));
  EXPECT_NE(key(base), key(other_date));
  EXPECT_EQ(key(base), key(with_unsigned));  // unsigned headers never reach STS
}

}  // namespace
}  // namespace wifgate::verify
