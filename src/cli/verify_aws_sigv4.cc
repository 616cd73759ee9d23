#include "cli/verify_aws_sigv4.h"

#include "dev/dev_sts_runtime.h"
#include "net/beast_http_client.h"
#include "verify/aws_sts_verifier.h"

namespace wifgate::cli {
namespace {

// Owns the HTTP client the verifier sends through, so the pair lives and dies together.
class OwningAwsSigV4Verifier final : public verify::Verifier {
 public:
  OwningAwsSigV4Verifier(std::unique_ptr<net::HttpClient> http,
                         std::unique_ptr<verify::AwsStsVerifier> verifier)
      : http_(std::move(http)), verifier_(std::move(verifier)) {}

  verify::Provider provider() const override { return verify::Provider::kAws; }
  void VerifyAsync(std::string attestation, Callback done) override {
    verifier_->VerifyAsync(std::move(attestation), std::move(done));
  }

 private:
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<verify::AwsStsVerifier> verifier_;
};

}  // namespace

Result<std::unique_ptr<verify::Verifier>> MakeAwsSigV4Verifier(Env& env,
                                                               const std::string& dev_sts_data) {
  verify::AwsStsVerifierConfig config;
  if (!dev_sts_data.empty()) {
    WIFGATE_ASSIGN_OR_RETURN(dev::DevStsInfo info, dev::ReadDevStsInfo(env, dev_sts_data));
    config.dev_mode = true;
    for (const auto& endpoint : verify::StsHostAllowList({"aws"}).Endpoints()) {
      config.dev_endpoints[endpoint.host] = info.url;
    }
  }
  auto http = std::make_unique<net::BeastHttpClient>(env);
  WIFGATE_ASSIGN_OR_RETURN(std::unique_ptr<verify::AwsStsVerifier> verifier,
                           verify::AwsStsVerifier::Create(config, *http, env));
  return std::unique_ptr<verify::Verifier>(
      std::make_unique<OwningAwsSigV4Verifier>(std::move(http), std::move(verifier)));
}

}  // namespace wifgate::cli
