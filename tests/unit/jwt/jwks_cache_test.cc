#include "jwt/jwks_cache.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/json.h"
#include "fake_env.h"
#include "jwt/jwks_fetcher.h"
#include "jwt/signing_key.h"

namespace wifgate::jwt {
namespace {

namespace json = boost::json;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kIssuer = "https://idp.test";

std::string Discovery(std::string_view issuer = kIssuer,
                      std::string_view jwks_uri = "https://keys.idp.test/jwks") {
  return ToJson(json::object{{"issuer", issuer}, {"jwks_uri", jwks_uri}});
}

std::string Jwks(std::initializer_list<const SigningKey*> keys) {
  json::array arr;
  for (const SigningKey* k : keys) arr.push_back(k->PublicJwk());
  return ToJson(json::object{{"keys", arr}});
}

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheTest()
      : k1_(*SigningKey::Generate(Algorithm::kRs256, "k1")),
        k2_(*SigningKey::Generate(Algorithm::kEs256, "k2")),
        fetcher_(http_),
        cache_(fetcher_, env_) {
    source_.issuer = kIssuer;
  }

  void ServeKeys(std::initializer_list<const SigningKey*> keys) {
    http_.Respond(200, Discovery());
    http_.Respond(200, Jwks(keys));
  }
  std::string Lookup(std::string kid) { return cache_.GetKey(source_, kid).status().reason(); }

  SigningKey k1_, k2_;
  testing::FakeEnv env_;
  testing::FakeHttpClient http_;
  HttpJwksFetcher fetcher_;
  JwksCache cache_;
  KeySource source_;
};

TEST_F(JwksCacheTest, DiscoversThenFetchesThenCaches) {  // CTRL-04
  ServeKeys({&k1_});
  Result<Jwk> key = cache_.GetKey(source_, "k1");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->kid, "k1");
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.requests[0].url, "https://idp.test/.well-known/openid-configuration");
  EXPECT_EQ(http_.requests[1].url, "https://keys.idp.test/jwks");
  EXPECT_LE(http_.options[1].max_response_bytes, 256u * 1024);
  env_.now += minutes(10);
  EXPECT_TRUE(cache_.GetKey(source_, "k1").ok());
  EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(JwksCacheTest, TrailingSlashIssuerDiscoversWithoutDoubleSlash) {
  source_.issuer = "https://idp.test/";
  http_.Respond(200, Discovery("https://idp.test/"));
  http_.Respond(200, Jwks({&k1_}));
  EXPECT_TRUE(cache_.GetKey(source_, "k1").ok());
  EXPECT_EQ(http_.requests[0].url, "https://idp.test/.well-known/openid-configuration");
}

TEST_F(JwksCacheTest, RotationRefetchesOnceThenRateLimits) {  // CTRL-05, KEY-05, KEY-06
  ServeKeys({&k1_});
  ASSERT_TRUE(cache_.GetKey(source_, "k1").ok());
  env_.now += seconds(31);
  ServeKeys({&k2_});
  EXPECT_TRUE(cache_.GetKey(source_, "k2").ok());
  EXPECT_EQ(Lookup("k1"), "jwt.kid_unknown");  // retired, and within the cooldown
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(Lookup("random" + std::to_string(i)), "jwt.kid_unknown");
  EXPECT_EQ(cache_.fetch_count(), 2u);
  EXPECT_EQ(http_.requests.size(), 4u);
}

TEST_F(JwksCacheTest, DiscoveryIssuerMustMatch) {  // OIDC Discovery 4.3
  http_.Respond(200, Discovery("https://idp.test.evil.test"));
  EXPECT_EQ(Lookup("k1"), "jwt.jwks_invalid");
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(JwksCacheTest, RefusesInsecureJwksUris) {  // KEY-03
  for (std::string uri :
       {"http://keys.idp.test/jwks", "https://127.0.0.1/jwks", "https://169.254.169.254/latest",
        "file:///etc/passwd", "gopher://x/", "/relative", "https://[::1]/k", "https://10.1.2.3/k",
        "https://user@keys.idp.test/k", "https://localhost/k", "https://[::ffff:127.0.0.1]/k",
        // Numeric host names that resolvers read as 127.0.0.1 or 169.254.169.254 (KEY-08).
        "https://2130706433/k", "https://127.1/k", "https://0x7f.1/k", "https://2852039166/k"}) {
    testing::FakeHttpClient http;
    HttpJwksFetcher fetcher(http);
    JwksCache cache(fetcher, env_);
    http.Respond(200, Discovery(kIssuer, uri));
    EXPECT_EQ(cache.GetKey(source_, "k1").status().reason(), "jwt.jwks_invalid") << uri;
    EXPECT_EQ(http.requests.size(), 1u) << uri;  // discovery only; the JWKS URI never fetched
  }
}

TEST_F(JwksCacheTest, InsecureAllowedOnlyWhenConfigured) {
  source_.issuer = "http://127.0.0.1:9/oidc";
  EXPECT_EQ(Lookup("k1"), "jwt.jwks_invalid");
  EXPECT_TRUE(http_.requests.empty());
  source_.allow_insecure = true;
  http_.Respond(200, Discovery(source_.issuer, "http://127.0.0.1:9/oidc/jwks"));
  http_.Respond(200, Jwks({&k1_}));
  env_.now += seconds(31);
  EXPECT_TRUE(cache_.GetKey(source_, "k1").ok());
}

TEST_F(JwksCacheTest, BadResponsesFailClosed) {  // KEY-04
  http_.Respond(500, "");
  EXPECT_EQ(Lookup("k1"), "jwt.jwks_unavailable");
  env_.now += seconds(31);
  http_.Respond(302, "", {{"Location", "https://127.0.0.1/"}});
  EXPECT_EQ(Lookup("k1"), "jwt.jwks_unavailable");
  env_.now += seconds(31);
  http_.Respond(200, Discovery());
  http_.Respond(200, "not json");
  EXPECT_EQ(Lookup("k1"), "jwt.jwks_invalid");
  env_.now += seconds(31);
  http_.Respond(200, Discovery());
  http_.Respond(200, R"({"keys":[{"kid":"k1","kty":"oct"},{"kid":"k1","kty":"oct"}]})");
  EXPECT_EQ(Lookup("k1"), "jwt.jwks_invalid");
}

TEST_F(JwksCacheTest, FailedFetchesAreRateLimitedToo) {
  // No responses scripted: the issuer is down.
  EXPECT_EQ(Lookup("k1"), "jwt.jwks_unavailable");
  EXPECT_EQ(Lookup("k1"), "jwt.jwks_unavailable");
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(JwksCacheTest, IssuerDownUsesKeysUntilMaxAgeThenFailsClosed) {
  ServeKeys({&k1_});
  ASSERT_TRUE(cache_.GetKey(source_, "k1").ok());
  env_.now += minutes(20);  // past refresh_after: refresh is attempted, fails, keys still served
  EXPECT_TRUE(cache_.GetKey(source_, "k1").ok());
  EXPECT_EQ(cache_.fetch_count(), 2u);
  env_.now += minutes(39);
  EXPECT_TRUE(cache_.GetKey(source_, "k1").ok());
  env_.now += minutes(2);  // 61 minutes old
  EXPECT_EQ(Lookup("k1"), "jwt.jwks_unavailable");
}

TEST_F(JwksCacheTest, StaticJwksIsNeverFetched) {
  source_.static_jwks = Jwks({&k1_, &k2_});
  EXPECT_TRUE(cache_.GetKey(source_, "k2").ok());
  env_.now += std::chrono::hours(48);
  EXPECT_TRUE(cache_.GetKey(source_, "k1").ok());
  EXPECT_EQ(Lookup("k3"), "jwt.kid_unknown");
  EXPECT_TRUE(http_.requests.empty());
}

TEST_F(JwksCacheTest, ConfiguredJwksUriSkipsDiscovery) {
  source_.jwks_uri = "https://keys.idp.test/jwks";
  http_.Respond(200, Jwks({&k1_}));
  EXPECT_TRUE(cache_.GetKey(source_, "k1").ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].url, "https://keys.idp.test/jwks");
}

// A fetcher that completes only when told, to see callers wait for one shared fetch.
class ManualFetcher : public JwksFetcher {
 public:
  void Fetch(const KeySource&, Callback done) override { pending.push_back(std::move(done)); }
  std::vector<Callback> pending;
};

TEST(JwksCacheAsyncTest, ConcurrentLookupsShareOneFetch) {
  testing::FakeEnv env;
  ManualFetcher fetcher;
  JwksCache cache(fetcher, env);
  KeySource source;
  source.issuer = "https://idp.test";
  SigningKey k1 = *SigningKey::Generate(Algorithm::kEs256, "k1");
  std::vector<std::string> results;
  for (std::string kid : {"k1", "k1", "nope"}) {
    cache.GetKeyAsync(source, kid, [&results](Result<Jwk> key) {
      results.push_back(key.ok() ? key->kid : key.status().reason());
    });
  }
  EXPECT_TRUE(results.empty());  // nobody blocked, nobody answered yet
  ASSERT_EQ(fetcher.pending.size(), 1u);
  fetcher.pending[0](*ParseJwkSet(Jwks({&k1})));
  EXPECT_EQ(results, (std::vector<std::string>{"k1", "k1", "jwt.kid_unknown"}));
}

TEST(CheckKeyUrlTest, AllowsPublicHttps) {
  EXPECT_TRUE(CheckKeyUrl("https://www.googleapis.com/oauth2/v3/certs", false).ok());
  EXPECT_TRUE(CheckKeyUrl("https://login.microsoftonline.com/t/discovery/v2.0/keys", false).ok());
  EXPECT_TRUE(CheckKeyUrl("https://8.8.8.8/keys", false).ok());
  EXPECT_FALSE(CheckKeyUrl("https://192.168.1.1/keys", false).ok());
  EXPECT_FALSE(CheckKeyUrl("https://172.16.0.1/keys", false).ok());
  EXPECT_FALSE(CheckKeyUrl("https://[fe80::1]/keys", false).ok());
  EXPECT_FALSE(CheckKeyUrl("https://k.test/keys#frag", false).ok());
}

}  // namespace
}  // namespace wifgate::jwt
