#include "verify/aws_sts_verifier.h"

#include <atomic>
#include <exception>
#include <memory>

#include "common/logging.h"
#include "common/time_format.h"
#include "verify/aws_sts_response.h"

namespace wifgate::verify {
namespace {

// "http(s)://127.0.0.1:PORT", "http(s)://[::1]:PORT" or "http(s)://localhost:PORT".
bool IsLoopbackBaseUrl(std::string_view url) {
  if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else if (url.starts_with("https://")) {
    url.remove_prefix(8);
  } else {
    return false;
  }
  if (url.ends_with('/')) url.remove_suffix(1);
  bool loopback = false;
  for (std::string_view host : {"127.0.0.1:", "[::1]:", "localhost:"}) {
    if (url.starts_with(host)) {
      url.remove_prefix(host.size());
      loopback = true;
      break;
    }
  }
  if (!loopback || url.empty() || url.size() > 5) return false;
  for (char c : url) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Status TransportFailure(const Status& net_status) {
  if (net_status.reason() == "net.response_too_large") {
    return Status(Code::kUnavailable, "aws.sts_response_too_large",
                  "STS's answer exceeded the response size cap: " + net_status.message(),
                  "the identity service gave an unusable answer");
  }
  return Status(Code::kUnavailable, "aws.sts_unreachable",
                "calling STS failed (" + net_status.reason() + "): " + net_status.message(),
                "the identity service could not be reached; retry later");
}

}  // namespace

Result<std::unique_ptr<AwsStsVerifier>> AwsStsVerifier::Create(AwsStsVerifierConfig config,
                                                               net::HttpClient& http, Env& env) {
  for (const auto& [host, base] : config.dev_endpoints) {
    if (!config.dev_mode) {
      return Status(Code::kFailedPrecondition, "aws.dev_endpoint_refused",
                    "an STS endpoint mapping (" + host + " -> " + base +
                        ") is configured, but mappings are allowed only in dev mode "
                        "(wifgate serve --dev); remove it for production");
    }
    if (!IsLoopbackBaseUrl(base)) {
      return Status(Code::kInvalidArgument, "aws.dev_endpoint_refused",
                    "the dev STS mapping for " + host +
                        " must be a loopback base URL such as "
                        "http://127.0.0.1:4566, not '" +
                        base + "'");
    }
    StsHostAllowList hosts(config.partitions);
    for (const auto& e : config.extra_endpoints) hosts.Add(e);
    if (!hosts.Find(host)) {
      return Status(Code::kInvalidArgument, "aws.dev_endpoint_refused",
                    "the dev STS mapping names " + host +
                        ", which is not an allow-listed STS host; map one of AWS's regional "
                        "STS hosts such as sts.us-east-1.amazonaws.com");
    }
  }
  return std::unique_ptr<AwsStsVerifier>(new AwsStsVerifier(std::move(config), http, env));
}

AwsStsVerifier::AwsStsVerifier(AwsStsVerifierConfig config, net::HttpClient& http, Env& env)
    : config_(std::move(config)),
      hosts_(config_.partitions),
      http_(http),
      env_(env),
      cache_(config_.cache_capacity),
      replay_guard_(config_.replay_guard_capacity) {
  for (const auto& e : config_.extra_endpoints) hosts_.Add(e);
}

net::HttpRequest AwsStsVerifier::BuildStsRequest(const AwsAttestation& attestation) const {
  std::string base = "https://" + attestation.endpoint.host;
  if (auto it = config_.dev_endpoints.find(attestation.endpoint.host);
      it != config_.dev_endpoints.end()) {
    base = it->second;
    while (base.ends_with('/')) base.pop_back();
  }
  net::HttpRequest req;
  req.method = "POST";
  // GetCallerIdentity only reads: replaying it on a new connection is harmless.
  req.idempotent = true;
  req.url = base + "/?" + std::string(kGetCallerIdentityQuery);
  req.headers = attestation.signed_headers;
  req.headers.push_back({"authorization", attestation.authorization.Format()});
  req.headers.push_back({"accept", "application/json"});
  return req;
}

void AwsStsVerifier::VerifyAsync(std::string attestation, Callback done) {
  const SystemTime now = env_.Now();
  auto parsed = ParseAwsAttestation(attestation, config_.attestation, hosts_, now);
  if (!parsed.ok()) {
    done(parsed.status());
    return;
  }
  std::string key = parsed->CanonicalKey();
  SystemTime expiry = parsed->Expiry();
  if (config_.one_time_use) done = RefuseReplays(key, expiry, parsed->signed_at, std::move(done));
  if (cache_.LookupOrJoin(key, now, std::move(done)) != AwsVerificationCache::Outcome::kLead) {
    return;  // answered from the cache, or waiting on the call already in flight
  }
  StsEndpoint endpoint = parsed->endpoint;
  // Exactly one Complete() per lead: whichever of the callback and a failure to start the
  // call comes first ends it, so its waiters are never left queued forever.
  auto ended = std::make_shared<std::atomic<bool>>(false);
  try {
    http_.AsyncSend(BuildStsRequest(*parsed), config_.http,
                    [this, key, endpoint = std::move(endpoint), expiry,
                     ended](Result<net::HttpResponse> response) {
                      if (ended->exchange(true)) return;
                      cache_.Complete(key, Answer(std::move(response), endpoint), expiry,
                                      env_.Now());
                    });
  } catch (const std::exception& e) {
    if (ended->exchange(true)) return;
    Log(LogLevel::kError, "aws.sts_call_not_started", {{"error", e.what()}});
    cache_.Complete(key,
                    Status(Code::kInternal, "aws.sts_call_failed",
                           std::string("starting the STS call failed: ") + e.what() +
                               "; the login was refused, a retry makes a new call",
                           "the identity service could not be reached; retry later"),
                    expiry, env_.Now());
  }
}

// Checked on success only, after the cache and single flight have answered: forged
// attestations never reach the guard, and of concurrent identical logins exactly one wins.
Verifier::Callback AwsStsVerifier::RefuseReplays(std::string key, SystemTime expiry,
                                                 SystemTime signed_at, Callback done) {
  return [this, key = std::move(key), expiry, signed_at,
          done = std::move(done)](Result<VerifiedIdentity> result) {
    if (result.ok() && !replay_guard_.FirstUse(key, expiry, env_.Now())) {
      result = Status(Code::kUnauthenticated, "aws.attestation_replayed",
                      "this AWS attestation (signed at " + FormatRfc3339(signed_at) +
                          ") has already been used to log in, and one-time use is on ([aws] "
                          "one_time_use): each login must sign a new request. Connectors "
                          "do, but two logins signed in the same second with the same "
                          "credentials are identical; retry the login",
                      "the attestation has already been used; retry the login");
    }
    done(std::move(result));
  };
}

Result<VerifiedIdentity> AwsStsVerifier::Answer(Result<net::HttpResponse> response,
                                                const StsEndpoint& endpoint) {
  if (!response.ok()) return TransportFailure(response.status());
  WIFGATE_ASSIGN_OR_RETURN(auto caller, ParseGetCallerIdentityResponse(*response));
  WIFGATE_ASSIGN_OR_RETURN(auto principal, MapCallerIdentity(caller, endpoint.partition));
  VerifiedIdentity id;
  id.provider = Provider::kAws;
  id.aws = std::move(principal);
  Log(LogLevel::kDebug, "aws.attestation_verified",
      {{"arn", id.aws->arn}, {"sts_host", endpoint.host}});
  return id;
}

}  // namespace wifgate::verify
