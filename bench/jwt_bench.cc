// JWT verifications per second with a warm key cache, per algorithm: the whole pipeline
// (parse, issuer lookup, cached key, signature, claims, identity) through OidcVerifier.
// bench/jwt_speed.sh runs it next to `openssl speed` for the same algorithms and prints
// the ratio (target: at least 0.8 of the raw signature-verify rate).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include "common/json.h"
#include "common/time_format.h"
#include "jwt/jwks_cache.h"
#include "jwt/jwks_fetcher.h"
#include "jwt/signing_key.h"
#include "net/http.h"
#include "verify/oidc_verifier.h"
#include "verify/static_issuer_registry.h"

namespace wifgate {
namespace {

namespace json = boost::json;

// Never called: the issuer's keys are static.
class NoHttp : public net::HttpClient {
 public:
  Result<net::HttpResponse> Send(const net::HttpRequest&, const net::HttpOptions&) override {
    return Status(Code::kUnavailable, "net.connect", "no network in benchmarks");
  }
};

void BM_VerifyJwt(benchmark::State& state, jwt::Algorithm alg) {
  Env& env = Env::Default();
  NoHttp http;
  jwt::HttpJwksFetcher fetcher(http);
  jwt::JwksCache cache(fetcher, env);
  verify::StaticIssuerRegistry registry;
  const std::string issuer = "https://bench.test";
  registry.Add(verify::Provider::kOidc, issuer);
  jwt::SigningKey key = *jwt::SigningKey::Generate(alg, "k");
  verify::OidcVerifierOptions options;
  options.issuers[issuer].static_jwks =
      ToJson(json::object{{"keys", json::array{key.PublicJwk()}}});
  verify::OidcVerifier verifier(cache, registry, env, options);
  int64_t now = ToUnixSeconds(env.Now());
  std::string token = *jwt::MintJws(key, json::object{{"iss", issuer},
                                                      {"sub", "repo:org/app:ref:refs/heads/main"},
                                                      {"aud", "snowflakecomputing.com"},
                                                      {"iat", now},
                                                      {"exp", now + 3600}});
  if (!verifier.Verify(token).ok()) state.SkipWithError("token does not verify");
  // VerifyAsync, as the server calls it: with the keys cached the callback runs before it
  // returns. (Verify, the blocking form for the CLI, adds a promise and a future.)
  for (auto _ : state) {
    bool answered = false;
    verifier.VerifyAsync(token, [&answered](Result<verify::VerifiedIdentity> id) {
      answered = id.ok();
      benchmark::DoNotOptimize(id);
    });
    if (!answered) {
      state.SkipWithError("a warm verification did not answer at once, or failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_VerifyJwt, RS256, jwt::Algorithm::kRs256);
BENCHMARK_CAPTURE(BM_VerifyJwt, ES256, jwt::Algorithm::kEs256);
BENCHMARK_CAPTURE(BM_VerifyJwt, ES384, jwt::Algorithm::kEs384);
BENCHMARK_CAPTURE(BM_VerifyJwt, ES512, jwt::Algorithm::kEs512);

}  // namespace
}  // namespace wifgate

BENCHMARK_MAIN();
