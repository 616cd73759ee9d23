// AwsStsVerifier against a scripted STS (FakeHttpClient): the exact outbound request
// (CTRL-01 ONE-OUT), NO-OUT for local failures, security.md §5.D (misbehaving STS) and
// §5.E (identity mapping), the verification cache and the dev-only endpoint mapping.
#include "verify/aws_sts_verifier.h"

#include <gtest/gtest.h>

#include "aws_test_util.h"
#include "fake_env.h"

namespace wifgate::verify {
namespace {

using wifgate::testing::EnvelopeBuilder;
using wifgate::testing::FakeEnv;
using wifgate::testing::FakeHttpClient;

std::string CallerJson(const std::string& account, const std::string& arn,
                       const std::string& user_id) {
  return "{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{\"Account\":\"" + account +
         "\",\"Arn\":\"" + arn + "\",\"UserId\":\"" + user_id +
         "\"},\"ResponseMetadata\":{\"RequestId\":\"01234567-89ab-cdef-0123-456789abcdef\"}}}";
}

const net::HttpHeaders kJson = {{"Content-Type", "application/json"}};

class AwsStsVerifierTest : public ::testing::Test {
 protected:
  AwsStsVerifierTest() { verifier_ = MakeVerifier(AwsStsVerifierConfig{}); }

  std::unique_ptr<AwsStsVerifier> MakeVerifier(AwsStsVerifierConfig config) {
    auto v = AwsStsVerifier::Create(std::move(config), http_, env_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? std::move(v.value()) : nullptr;
  }

  Result<VerifiedIdentity> Verify(const std::string& token) { return verifier_->Verify(token); }
  std::string Reason(const Result<VerifiedIdentity>& r) {
    return r.ok() ? "ok" : r.status().reason();
  }
  void RespondCaller(const std::string& arn, const std::string& user_id,
                     const std::string& account = "111111111111") {
    http_.Respond(200, CallerJson(account, arn, user_id), kJson);
  }

  FakeEnv env_;
  FakeHttpClient http_;
  std::unique_ptr<AwsStsVerifier> verifier_;
  EnvelopeBuilder b_{env_.now};
};

TEST_F(AwsStsVerifierTest, Ctrl01OneExactOutboundRequest) {
  b_.Add("Accept", "text/xml");
  b_.Add("User-Agent", "evil");
  RespondCaller("arn:aws:sts::111111111111:assumed-role/Deploy/s1", "AROAEXAMPLEID:s1");
  auto r = Verify(b_.Token());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(http_.requests.size(), 1u);
  const auto& req = http_.requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_TRUE(req.idempotent);  // read-only: may be replayed after a stale keep-alive
  EXPECT_EQ(req.url,
            "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(req.body, "");
  net::HttpHeaders expected = {
      {"host", "sts.us-east-1.amazonaws.com"},
      {"x-amz-date", "20150830T123600Z"},
      {"x-snowflake-audience", "snowflakecomputing.com"},
      {"authorization", EnvelopeBuilder::Authorization("20150830", "us-east-1",
                                                       "host;x-amz-date;x-snowflake-audience")},
      {"accept", "application/json"}};
  ASSERT_EQ(req.headers.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(req.headers[i].name, expected[i].name);
    EXPECT_EQ(req.headers[i].value, expected[i].value);
  }
  // Outbound hygiene the client enforces, as the verifier asks for it.
  EXPECT_LE(http_.options[0].timeout, std::chrono::seconds(10));
  EXPECT_LE(http_.options[0].max_response_bytes, 64u * 1024);

  EXPECT_EQ(r->provider, Provider::kAws);
  ASSERT_TRUE(r->aws.has_value());
  EXPECT_EQ(r->aws->type, AwsPrincipalType::kRole);
  EXPECT_EQ(r->aws->partition, "aws");
  EXPECT_EQ(r->aws->account, "111111111111");
  EXPECT_EQ(r->aws->name, "Deploy");
  EXPECT_EQ(r->aws->session, "s1");
  EXPECT_EQ(r->aws->path, "");
  EXPECT_EQ(r->aws->arn, "arn:aws:sts::111111111111:assumed-role/Deploy/s1");
}

TEST_F(AwsStsVerifierTest, IamUserKeepsItsPath) {
  RespondCaller("arn:aws:iam::111111111111:user/team/bob", "AIDAEXAMPLEID");
  auto r = Verify(b_.Token());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->aws->type, AwsPrincipalType::kUser);
  EXPECT_EQ(r->aws->name, "bob");
  EXPECT_EQ(r->aws->path, "/team/");
  EXPECT_EQ(r->aws->session, "");
}

TEST_F(AwsStsVerifierTest, LocalFailuresMakeNoOutboundCall) {
  b_.Set("X-Snowflake-Audience", "other");
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.audience_mismatch");
  EXPECT_EQ(Reason(Verify("%%%")), "aws.token_not_base64");
  b_.url = "https://evil.test/?Action=GetCallerIdentity&Version=2011-06-15";
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_host_not_allowed");
  EXPECT_TRUE(http_.requests.empty());
}

// ---- 5.D misbehaving STS.

TEST_F(AwsStsVerifierTest, Resp01RedirectsAreNotFollowed) {
  for (int status : {301, 302, 307}) {
    http_.Respond(status, "", {{"Location", "http://127.0.0.1:9/"}});
    auto r = Verify(b_.Token());
    EXPECT_EQ(Reason(r), "aws.sts_redirect");
    EXPECT_EQ(r.status().code(), Code::kUnavailable);
  }
  EXPECT_EQ(http_.requests.size(), 3u);  // one each; the Location was never dialled
}

TEST_F(AwsStsVerifierTest, Resp02FormatConfusionIsRefused) {
  const std::string fragment =
      "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:role/"
      "Deploy</Arn><Account>111111111111</Account></GetCallerIdentityResult>"
      "</GetCallerIdentityResponse>";
  http_.Respond(200, "{\"Error\":\"x" + fragment + "\"}", kJson);
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_bad_response");
  http_.Respond(200, "garbage" + fragment, {{"Content-Type", "text/xml"}});
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_bad_response");
  http_.Respond(200, "<?xml version=\"1.0\"?>" + fragment, {{"Content-Type", "text/xml"}});
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_bad_response");
}

TEST_F(AwsStsVerifierTest, Resp04NonSuccessStatuses) {
  http_.Respond(403,
                "{\"Error\":{\"Code\":\"SignatureDoesNotMatch\",\"Message\":\"arn:aws:iam::"
                "111111111111:role/Deploy\",\"Type\":\"Sender\"},\"RequestId\":\"r\"}",
                kJson);
  auto r = Verify(b_.Token());
  EXPECT_EQ(Reason(r), "aws.sts_rejected");
  EXPECT_EQ(r.status().code(), Code::kUnauthenticated);
  EXPECT_NE(r.status().message().find("SignatureDoesNotMatch"), std::string::npos);
  EXPECT_EQ(r.status().client_message().find("Deploy"), std::string::npos);

  http_.Respond(400, "{}", kJson);
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_rejected");
  http_.Respond(500, "oops");
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_unavailable");
  http_.Respond(
      200, CallerJson("111111111111", "arn:aws:sts::111111111111:assumed-role/D/s1", "AROA:s1"),
      {{"Content-Type", "text/html"}});
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_bad_response");
  http_.Respond(429, "{\"Error\":{\"Code\":\"Throttling\",\"Message\":\"Rate exceeded\"}}", kJson);
  auto throttled = Verify(b_.Token());
  EXPECT_EQ(Reason(throttled), "aws.sts_throttled");
  EXPECT_EQ(throttled.status().code(), Code::kUnavailable);
  http_.Respond(400, "{\"Error\":{\"Code\":\"Throttling\"}}", kJson);
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_throttled");
}

TEST_F(AwsStsVerifierTest, Resp05TransportFailures) {
  http_.Expect([](const net::HttpRequest&) -> Result<net::HttpResponse> {
    return Status(Code::kResourceExhausted, "net.response_too_large", "over 65536 bytes");
  });
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_response_too_large");
  http_.Expect([](const net::HttpRequest&) -> Result<net::HttpResponse> {
    return Status(Code::kDeadlineExceeded, "net.timeout", "deadline of 10000 ms passed");
  });
  auto r = Verify(b_.Token());
  EXPECT_EQ(Reason(r), "aws.sts_unreachable");
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  // A client that ignored the cap still cannot hand the parser a huge body.
  http_.Respond(200, std::string(200 * 1024, ' ') + "{}", kJson);
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_bad_response");
}

TEST_F(AwsStsVerifierTest, WrongSchemasAreRefused) {
  const std::string ok_result =
      "\"GetCallerIdentityResult\":{\"Account\":\"111111111111\",\"Arn\":\"arn:aws:sts::"
      "111111111111:assumed-role/Deploy/s1\",\"UserId\":\"AROA:s1\"}";
  for (const std::string& body : {
           std::string("{}"),
           "{\"GetCallerIdentityResponse\":{" + ok_result + "},\"x\":1}",
           "{\"GetCallerIdentityResponse\":{" + ok_result + ",\"Extra\":{}}}",
           "{\"GetCallerIdentityResponse\":{" + ok_result + "," + ok_result + "}}",
           std::string("{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{\"Account\":"
                       "111111111111,\"Arn\":\"arn:aws:sts::111111111111:assumed-role/D/s1\","
                       "\"UserId\":\"AROA:s1\"}}}"),
           std::string("{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{\"Arn\":"
                       "\"arn:aws:sts::111111111111:assumed-role/D/s1\",\"UserId\":\"AROA:s1\"}}}"),
           std::string("{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{\"Account\":"
                       "\"111111111111\",\"Arn\":\"arn:aws:sts::111111111111:assumed-role/D/s1\","
                       "\"Arn\":\"arn:aws:sts::111111111111:assumed-role/Admin/s1\","
                       "\"UserId\":\"AROA:s1\"}}}"),
           "{\"GetCallerIdentityResponse\":{" + ok_result + "}} trailing",
           "{\"GetCallerIdentityResponse\":{" + ok_result +
               ",\"ResponseMetadata\":{\"RequestId\":1}}}",
       }) {
    http_.Respond(200, body, kJson);
    EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_bad_response") << body;
  }
  http_.Respond(200, "{\"GetCallerIdentityResponse\":{" + ok_result + "}}",
                {{"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(Reason(Verify(b_.Token())), "ok");
}

// ---- 5.E identity mapping.

TEST_F(AwsStsVerifierTest, Map01NamesAreTakenExactly) {
  for (std::string name : {"DeployAdmin", "Deploy2", "deploy"}) {
    RespondCaller("arn:aws:sts::111111111111:assumed-role/" + name + "/s1", "AROAX:s1");
    auto r = Verify(b_.Token());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->aws->name, name);
    verifier_ = MakeVerifier(AwsStsVerifierConfig{});  // fresh cache: same request each time
  }
}

TEST_F(AwsStsVerifierTest, Map05UnsupportedPrincipals) {
  for (auto [arn, user_id] :
       {std::pair{"arn:aws:iam::111111111111:root", "111111111111"},
        std::pair{"arn:aws:sts::111111111111:federated-user/bob", "111111111111:bob"},
        std::pair{"arn:aws:sts::111111111111:assumed-role/aws:ec2-instance/i-0123", "AROAX:i-0123"},
        std::pair{"arn:aws:iam::111111111111:role/Deploy", "AROAX"}}) {
    RespondCaller(arn, user_id);
    auto r = Verify(b_.Token());
    EXPECT_EQ(Reason(r), "aws.principal_not_supported") << arn;
    EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  }
}

TEST_F(AwsStsVerifierTest, AccountAndPartitionMustAgree) {
  RespondCaller("arn:aws:sts::222222222222:assumed-role/Deploy/s1", "AROAX:s1", "111111111111");
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_identity_inconsistent");
  RespondCaller("arn:aws-cn:sts::111111111111:assumed-role/Deploy/s1", "AROAX:s1");
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_identity_inconsistent");
  RespondCaller("arn:aws:sts::111111111111:assumed-role/Deploy/s1", "AROAX:other");
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_bad_response");
}

// ---- Cache.

TEST_F(AwsStsVerifierTest, RetriesAreAnsweredFromTheCacheUntilExpiry) {
  RespondCaller("arn:aws:sts::111111111111:assumed-role/Deploy/s1", "AROAX:s1");
  const std::string token = b_.Token();
  ASSERT_TRUE(Verify(token).ok());
  auto again = Verify(token);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->aws->arn, "arn:aws:sts::111111111111:assumed-role/Deploy/s1");
  EXPECT_EQ(http_.requests.size(), 1u);
  // Unsigned extras do not change the signed request, so they hit the cache too.
  b_.Add("User-Agent", "retry");
  EXPECT_TRUE(Verify(b_.Token()).ok());
  EXPECT_EQ(http_.requests.size(), 1u);
  // A different signature is a different request.
  EnvelopeBuilder other(env_.now);
  other.Set("Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00/20150830/"
            "us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date;"
            "x-snowflake-audience, Signature=" +
                std::string(64, 'c'));
  http_.Respond(403, "{\"Error\":{\"Code\":\"SignatureDoesNotMatch\"}}", kJson);
  EXPECT_EQ(Reason(Verify(other.Token())), "aws.sts_rejected");
  EXPECT_EQ(http_.requests.size(), 2u);
  // Past the signature's life the cached entry is not used, and nothing is sent.
  env_.now += std::chrono::minutes(15) + std::chrono::seconds(1);
  EXPECT_EQ(Reason(Verify(token)), "aws.amz_date_stale");
  EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(AwsStsVerifierTest, OneTimeUseRefusesASecondLogin) {
  AwsStsVerifierConfig config;
  config.one_time_use = true;
  verifier_ = MakeVerifier(config);
  http_.Respond(500, "");  // a failed verification does not use the attestation up
  RespondCaller("arn:aws:sts::111111111111:assumed-role/Deploy/s1", "AROAX:s1");
  const std::string token = b_.Token();
  EXPECT_EQ(Reason(Verify(token)), "aws.sts_unavailable");
  ASSERT_TRUE(Verify(token).ok());
  auto replayed = Verify(token);
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.status().reason(), "aws.attestation_replayed");
  EXPECT_EQ(replayed.status().code(), Code::kUnauthenticated);
  EXPECT_NE(replayed.status().message().find("one_time_use"), std::string::npos);
  EXPECT_EQ(http_.requests.size(), 2u);  // the replay was refused without asking STS
  // A new signature is a new attestation.
  env_.now += std::chrono::seconds(1);
  EnvelopeBuilder next(env_.now);
  RespondCaller("arn:aws:sts::111111111111:assumed-role/Deploy/s1", "AROAX:s1");
  EXPECT_TRUE(Verify(next.Token()).ok());
}

TEST_F(AwsStsVerifierTest, FailuresAreNotCached) {
  http_.Respond(500, "");
  RespondCaller("arn:aws:sts::111111111111:assumed-role/Deploy/s1", "AROAX:s1");
  EXPECT_EQ(Reason(Verify(b_.Token())), "aws.sts_unavailable");
  EXPECT_TRUE(Verify(b_.Token()).ok());
  EXPECT_EQ(http_.requests.size(), 2u);
}

// Whether `key` is answered from the cache at `now`; a miss leads a call, ended here.
bool Cached(AwsVerificationCache& cache, const std::string& key, SystemTime now) {
  bool hit = cache.LookupOrJoin(key, now, [](Result<VerifiedIdentity>) {}) ==
             AwsVerificationCache::Outcome::kHit;
  if (!hit) cache.Complete(key, Status(Code::kUnavailable, "test.miss", "miss"), now, now);
  return hit;
}

// Caches `key` through a call of its own, as the verifier does.
void Store(AwsVerificationCache& cache, const std::string& key, SystemTime expiry, SystemTime now) {
  ASSERT_EQ(cache.LookupOrJoin(key, now, [](Result<VerifiedIdentity>) {}),
            AwsVerificationCache::Outcome::kLead);
  cache.Complete(key, VerifiedIdentity{}, expiry, now);
}

TEST(AwsVerificationCacheTest, BoundedAndExpiring) {
  AwsVerificationCache cache(2);
  SystemTime t0{std::chrono::seconds{1000}};
  Store(cache, "a", t0 + std::chrono::seconds(10), t0);
  Store(cache, "b", t0 + std::chrono::seconds(20), t0);
  Store(cache, "c", t0 + std::chrono::seconds(30), t0);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(Cached(cache, "a", t0));  // closest to expiry went first
  EXPECT_TRUE(Cached(cache, "b", t0));
  EXPECT_FALSE(Cached(cache, "b", t0 + std::chrono::seconds(20)));
  Store(cache, "d", t0, t0);  // already expired: not stored
  EXPECT_FALSE(Cached(cache, "d", t0));
  AwsVerificationCache off(0);
  Store(off, "a", t0 + std::chrono::seconds(10), t0);
  EXPECT_EQ(off.size(), 0u);
  EXPECT_EQ(cache.in_flight(), 0u);
}

// ---- Dev-only endpoint mapping.

TEST_F(AwsStsVerifierTest, DevMappingIsRefusedOutsideDevMode) {
  AwsStsVerifierConfig config;
  config.dev_endpoints["sts.us-east-1.amazonaws.com"] = "http://127.0.0.1:4566";
  auto v = AwsStsVerifier::Create(config, http_, env_);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().reason(), "aws.dev_endpoint_refused");
}

TEST_F(AwsStsVerifierTest, DevMappingMustPointAtLoopbackForAnAllowListedHost) {
  for (auto [host, base] : {std::pair{"sts.us-east-1.amazonaws.com", "http://10.0.0.1:4566"},
                            std::pair{"sts.us-east-1.amazonaws.com", "http://evil.test:80"},
                            std::pair{"sts.us-east-1.amazonaws.com", "http://127.0.0.1:80/x"},
                            std::pair{"evil.test", "http://127.0.0.1:4566"}}) {
    AwsStsVerifierConfig config;
    config.dev_mode = true;
    config.dev_endpoints[host] = base;
    auto v = AwsStsVerifier::Create(config, http_, env_);
    ASSERT_FALSE(v.ok()) << host << " " << base;
    EXPECT_EQ(v.status().reason(), "aws.dev_endpoint_refused");
  }
}

TEST_F(AwsStsVerifierTest, DevMappingDialsLoopbackWithTheSignedHost) {
  AwsStsVerifierConfig config;
  config.dev_mode = true;
  config.dev_endpoints["sts.us-east-1.amazonaws.com"] = "http://127.0.0.1:4566";
  verifier_ = MakeVerifier(config);
  RespondCaller("arn:aws:sts::111111111111:assumed-role/Deploy/s1", "AROAX:s1");
  ASSERT_TRUE(Verify(b_.Token()).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].url,
            "http://127.0.0.1:4566/?Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(net::FindHeader(http_.requests[0].headers, "host"), "sts.us-east-1.amazonaws.com");
  // Hosts without a mapping still go to AWS.
  EnvelopeBuilder west(env_.now);
  west.url = "https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15";
  west.Set("Host", "sts.us-west-2.amazonaws.com");
  west.Set("Authorization", EnvelopeBuilder::Authorization("20150830", "us-west-2",
                                                           "host;x-amz-date;x-snowflake-audience"));
  RespondCaller("arn:aws:sts::111111111111:assumed-role/Deploy/s1", "AROAX:s1");
  ASSERT_TRUE(Verify(west.Token()).ok());
  EXPECT_EQ(http_.requests[1].url,
            "https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15");
}

}  // namespace
}  // namespace wifgate::verify
