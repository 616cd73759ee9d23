// In-process cost of building an AWS attestation: the SigV4 signature alone, the whole
// envelope (sign + compact JSON + base64), and the provider end to end (region and
// credentials resolved from environment variables, as on Lambda).
#include <benchmark/benchmark.h>

#include <map>

#include "attest/aws_attestation.h"
#include "common/base64.h"

namespace wifgate {
namespace {

// Environment variables from a map; no files; a fixed clock. (The real Env reads the
// process environment, whose cost is not what this measures.)
class BenchEnv : public Env {
 public:
  std::map<std::string, std::string, std::less<>> vars = {
      {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
      {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
      {"AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDEXAMPLE+token=="},
      {"AWS_REGION", "us-east-1"}};
  std::optional<std::string> GetVar(std::string_view name) const override {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  }
  Result<std::string> ReadFile(const std::string& path, size_t) const override {
    return Status(Code::kNotFound, "file.unreadable", "no " + path);
  }
  std::optional<std::string> HomeDir() const override { return "/nonexistent"; }
  SystemTime Now() const override { return SystemTime{std::chrono::seconds{1795859328}}; }
  void RandomBytes(std::span<uint8_t> out) override {
    for (auto& b : out) b = 0;
  }
};

class NoHttp : public net::HttpClient {
 public:
  Result<net::HttpResponse> Send(const net::HttpRequest&, const net::HttpOptions&) override {
    return Status(Code::kUnavailable, "net.connect", "the benchmark makes no HTTP calls");
  }
};

aws::Credentials BenchCredentials() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token", std::nullopt};
}

void BM_SignGetCallerIdentity(benchmark::State& state) {
  const aws::Credentials creds = BenchCredentials();
  const SystemTime at{std::chrono::seconds{1795859328}};
  for (auto _ : state) {
    auto signed_request = attest::SignAwsEnvelopeRequest(
        creds, "us-east-1", "sts.us-east-1.amazonaws.com", attest::kSnowflakeAudience, at);
    benchmark::DoNotOptimize(signed_request);
  }
}
BENCHMARK(BM_SignGetCallerIdentity);

void BM_BuildEnvelope(benchmark::State& state) {
  const aws::Credentials creds = BenchCredentials();
  const SystemTime at{std::chrono::seconds{1795859328}};
  for (auto _ : state) {
    auto signed_request = attest::SignAwsEnvelopeRequest(
        creds, "us-east-1", "sts.us-east-1.amazonaws.com", attest::kSnowflakeAudience, at);
    std::string token =
        Base64Encode(attest::AwsEnvelopeJson(*signed_request, "sts.us-east-1.amazonaws.com"));
    benchmark::DoNotOptimize(token);
  }
}
BENCHMARK(BM_BuildEnvelope);

void BM_ProviderAttestFromEnvironment(benchmark::State& state) {
  BenchEnv env;
  NoHttp http;
  for (auto _ : state) {
    attest::AwsAttestationProvider provider(env, http, {});
    auto result = provider.Attest();
    if (!result.ok()) state.SkipWithError(result.status().ToString().c_str());
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_ProviderAttestFromEnvironment);

}  // namespace
}  // namespace wifgate

BENCHMARK_MAIN();
