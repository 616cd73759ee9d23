// AwsStsVerifier: verifies an AWS attestation (a SigV4-signed sts:GetCallerIdentity
// request in Snowflake's base64 JSON envelope) by validating it locally, rebuilding the
// request from the validated parts and asking STS who signed it.
//
// The flow (security.md §4, §7):
//   1. ParseAwsAttestation: strict envelope, allow-listed STS host, fixed path and query,
//      audience, freshness, Authorization grammar, signed-header allow-list. Any failure
//      here means no network call at all.
//   2. A cache hit on the canonical signed request answers at once; a miss while the same
//      signed request is already being checked waits for that call's answer (single flight).
//   3. Otherwise the request is rebuilt — POST https://<allow-listed host>/?Action=
//      GetCallerIdentity&Version=2011-06-15, the allow-listed signed headers verbatim, the
//      Authorization rebuilt from its parsed parts, Accept: application/json, empty body —
//      and sent with HttpClient::AsyncSend (TLS verified, no redirects, deadline, size cap,
//      concurrency cap). Client bytes are never forwarded.
//   4. The answer is parsed strictly and mapped to an AwsPrincipal.
//   5. With `one_time_use`, a success is refused (aws.attestation_replayed) if the same
//      signed request has already logged in once (AwsReplayGuard).
//
// Dev mode only: `dev_endpoints` maps an allow-listed STS host to the base URL actually
// dialled (e.g. "http://127.0.0.1:4566" for the dev STS). Create() refuses a mapping when
// dev_mode is off, and a mapping to anything but loopback even in dev mode.
#ifndef WIFGATE_VERIFY_AWS_STS_VERIFIER_H_
#define WIFGATE_VERIFY_AWS_STS_VERIFIER_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "net/http.h"
#include "verify/aws_attestation.h"
#include "verify/aws_replay_guard.h"
#include "verify/aws_sts_hosts.h"
#include "verify/aws_verification_cache.h"
#include "verify/verifier.h"
#include "wifgate/env.h"

namespace wifgate::verify {

struct AwsStsVerifierConfig {
  AwsAttestationPolicy attestation;
  std::set<std::string> partitions{"aws", "aws-cn", "aws-us-gov"};
  std::vector<StsEndpoint> extra_endpoints;  // configured additions to the allow-list
  net::HttpOptions http{std::chrono::milliseconds(10000), 64 * 1024, true};
  size_t cache_capacity = 10000;
  bool one_time_use = false;                 // see verify/aws_replay_guard.h
  size_t replay_guard_capacity = 1'000'000;  // signed requests remembered for it
  bool dev_mode = false;
  std::map<std::string, std::string> dev_endpoints;  // STS host -> base URL (dev mode only)
};

class AwsStsVerifier final : public Verifier {
 public:
  // Fails with aws.dev_endpoint_refused when a dev mapping is configured without dev_mode
  // or points off loopback. `http` and `env` must outlive the verifier.
  static Result<std::unique_ptr<AwsStsVerifier>> Create(AwsStsVerifierConfig config,
                                                        net::HttpClient& http, Env& env);

  Provider provider() const override { return Provider::kAws; }
  void VerifyAsync(std::string attestation, Callback done) override;

  // What would be sent to STS for `attestation` (for `wifgate verify --explain` and tests).
  net::HttpRequest BuildStsRequest(const AwsAttestation& attestation) const;

  const AwsVerificationCache& cache() const { return cache_; }

 private:
  AwsStsVerifier(AwsStsVerifierConfig config, net::HttpClient& http, Env& env);
  // Wraps `done` so that a success for an already used `key` becomes a refusal.
  Callback RefuseReplays(std::string key, SystemTime expiry, SystemTime signed_at, Callback done);
  // STS's answer (or the transport failure) as the identity it proves.
  static Result<VerifiedIdentity> Answer(Result<net::HttpResponse> response,
                                         const StsEndpoint& endpoint);

  AwsStsVerifierConfig config_;
  StsHostAllowList hosts_;
  net::HttpClient& http_;
  Env& env_;
  AwsVerificationCache cache_;
  AwsReplayGuard replay_guard_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AWS_STS_VERIFIER_H_
