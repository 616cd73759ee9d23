// Verifier: the one interface every server-side attestation verifier implements (AWS
// SigV4 envelope, AWS outbound JWT, GCP, Azure, OIDC), and IssuerRegistry, the question a
// verifier asks the layer above it before it contacts anything.
//
// Verification is asynchronous because it may need the network (STS, discovery, JWKS) and
// a server thread must never wait on it: VerifyAsync returns at once and `done` runs
// exactly once, possibly on another thread. Verify() is the blocking form for the CLI and
// tests; never call it on the thread that drives the HttpClient's I/O.
//
// verify/ may not depend on registry/ (DESIGN.md layering), so the registry implements
// IssuerRegistry and hands it down.
#ifndef WIFGATE_VERIFY_VERIFIER_H_
#define WIFGATE_VERIFY_VERIFIER_H_

#include <functional>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "verify/verified_identity.h"
#include "wifgate/status.h"

namespace wifgate::verify {

class Verifier {
 public:
  using Callback = std::function<void(Result<VerifiedIdentity>)>;

  virtual ~Verifier() = default;

  virtual Provider provider() const = 0;

  // Verifies `attestation` (the raw TOKEN field of the login request).
  virtual void VerifyAsync(std::string attestation, Callback done) = 0;

  // Blocking form: runs VerifyAsync and waits for its callback.
  Result<VerifiedIdentity> Verify(std::string attestation) {
    std::promise<Result<VerifiedIdentity>> promise;
    auto future = promise.get_future();
    VerifyAsync(std::move(attestation),
                [&promise](Result<VerifiedIdentity> r) { promise.set_value(std::move(r)); });
    return future.get();
  }
};

// What the registry says about one issuer that at least one workload identity names.
struct IssuerPolicy {
  // Accepted `aud` values for tokens of this issuer: the union over its identities (for
  // OIDC, their OIDC_AUDIENCE_LIST). Empty means the provider's default audience.
  std::vector<std::string> audiences;
};

class IssuerRegistry {
 public:
  virtual ~IssuerRegistry() = default;

  // The policy for `canonical_issuer` (as CanonicalIssuer returns it) when a workload
  // identity of `provider` names it; nullopt otherwise, and then nothing is fetched for it.
  // Called on the login path: must be cheap and thread-safe.
  virtual std::optional<IssuerPolicy> Lookup(Provider provider,
                                             std::string_view canonical_issuer) const = 0;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_VERIFIER_H_
