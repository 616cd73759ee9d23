// AWS SigV4 attestation verification: verifications per second and p50/p99 latency on a
// cache hit, on a miss against the dev STS on loopback (cache disabled, so every call goes
// out), and the bare STS round trip (the same rebuilt request sent directly) that the miss
// path should be dominated by. Run: build/bench/aws_verify_bench.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "attest/aws_attestation.h"
#include "common/base64.h"
#include "dev/dev_sts.h"
#include "dev/dev_sts_runtime.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"
#include "verify/aws_attestation.h"
#include "verify/aws_sts_verifier.h"

namespace wifgate {
namespace {

constexpr char kHost[] = "sts.us-east-1.amazonaws.com";
constexpr char kRole[] = "arn:aws:iam::111111111111:role/service-role/my-function-role-abc123";

// A dev STS on loopback with credentials for the Lambda role, and an attestation.
struct Fixture {
  Fixture() {
    Env& env = Env::Default();
    sts = dev::DevSts::Create(*dev::LoadDevStsConfig(env, ""), env).value();
    server = std::make_unique<net::HttpServer>(net::HttpServerOptions{});
    sts->Register(*server);
    (void)server->Listen();
    sts->set_base_url(server->base_url());
    (void)server->Start();
    auto creds = sts->AssumeRole("arn:aws:iam::111111111111:user/developer", kRole, "bench",
                                 std::chrono::hours(1));
    auto signed_request = attest::SignAwsEnvelopeRequest(creds->credentials, "us-east-1", kHost,
                                                         attest::kSnowflakeAudience, env.Now());
    token = Base64Encode(attest::AwsEnvelopeJson(*signed_request, kHost));
  }
  ~Fixture() { server->Stop(std::chrono::milliseconds(100)); }

  std::unique_ptr<verify::AwsStsVerifier> Verifier(net::HttpClient& http, size_t cache) {
    verify::AwsStsVerifierConfig config;
    config.dev_mode = true;
    config.dev_endpoints[kHost] = server->base_url();
    config.cache_capacity = cache;
    return verify::AwsStsVerifier::Create(config, http, Env::Default()).value();
  }

  std::unique_ptr<dev::DevSts> sts;
  std::unique_ptr<net::HttpServer> server;
  std::string token;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

// Runs `op` per iteration and reports p50/p99 in microseconds beside the rate.
template <typename Op>
void Timed(benchmark::State& state, Op op) {
  std::vector<double> us;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    if (!op()) {
      state.SkipWithError("verification failed");
      return;
    }
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  state.SetItemsProcessed(static_cast<int64_t>(us.size()));
}

void BM_AwsVerifyCacheHit(benchmark::State& state) {
  Fixture& f = Shared();
  net::BeastHttpClient http(Env::Default());
  auto verifier = f.Verifier(http, 1000);
  if (!verifier->Verify(f.token).ok()) state.SkipWithError("warm-up failed");
  Timed(state, [&] { return verifier->Verify(f.token).ok(); });
}
BENCHMARK(BM_AwsVerifyCacheHit);

void BM_AwsVerifyMissDevSts(benchmark::State& state) {
  Fixture& f = Shared();
  net::BeastHttpClient http(Env::Default());
  auto verifier = f.Verifier(http, 0);
  Timed(state, [&] { return verifier->Verify(f.token).ok(); });
}
BENCHMARK(BM_AwsVerifyMissDevSts)->UseRealTime();

void BM_StsRoundTripOnly(benchmark::State& state) {
  Fixture& f = Shared();
  net::BeastHttpClient http(Env::Default());
  auto verifier = f.Verifier(http, 0);
  verify::StsHostAllowList hosts;
  auto parsed = verify::ParseAwsAttestation(f.token, {}, hosts, Env::Default().Now());
  net::HttpRequest request = verifier->BuildStsRequest(*parsed);
  Timed(state, [&] {
    auto r = http.Send(request, net::HttpOptions{});
    return r.ok() && r->status == 200;
  });
}
BENCHMARK(BM_StsRoundTripOnly)->UseRealTime();

}  // namespace
}  // namespace wifgate

BENCHMARK_MAIN();
