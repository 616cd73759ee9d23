// Remembers AWS attestations STS has already verified, until their signatures expire, so
// a client retrying a login (or the connectors' re-authentication) costs no STS call; and
// merges concurrent misses for the same attestation into one STS call (single flight), so
// that N concurrent replays of one signed request cost one outbound call, not N.
//
// The key is AwsAttestation::CanonicalKey(): a digest of the whole signed request,
// signature included. Two attestations share a key only if they are the same signed
// request, which STS would answer identically, so the cached identity is exactly the one
// STS would return; nothing coarser (a role name, an access key id) is ever a key, which is
// what let cross-account identities collide in CVE-2025-11621. The same argument lets the
// callers waiting on one in-flight call share its answer, failures included.
//
// Only successes are cached. A failure is handed to the callers that were waiting on that
// call and then forgotten: the next miss makes a fresh call. A waiter is answered when the
// call it joined ends, which its HttpClient deadline bounds; that call started before the
// waiter arrived, so nobody waits longer than their own call would have taken. The caller
// that leads a call must end it with Complete() on every path, a failure to start it
// included; otherwise its waiters stay queued.
// Bounded: when full, expired entries go first, then the ones closest to expiry.
#ifndef WIFGATE_VERIFY_AWS_VERIFICATION_CACHE_H_
#define WIFGATE_VERIFY_AWS_VERIFICATION_CACHE_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "verify/expiring_map.h"
#include "verify/verified_identity.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::verify {

class AwsVerificationCache {
 public:
  using Callback = std::function<void(Result<VerifiedIdentity>)>;

  // How LookupOrJoin() disposed of its caller.
  enum class Outcome {
    kHit,     // `done` has been called with the cached identity
    kJoined,  // a call for the key is in flight; Complete() will call `done`
    kLead,    // no call was in flight: the caller must make one and pass its answer to
              // Complete(), which calls `done` with the others
  };

  explicit AwsVerificationCache(size_t capacity) : entries_(capacity) {}

  // Answers from the cache, joins the call in flight for `key`, or makes the caller its
  // leader. `done` is never called with the cache's lock held.
  Outcome LookupOrJoin(const std::string& key, SystemTime now, Callback done);

  // Ends the call in flight for `key`: caches a success until `expiry` (not with capacity 0
  // or when already expired), then calls every callback that LookupOrJoin() queued for it,
  // the leader's first, one after another on the calling thread, with `answer`. If callbacks
  // throw, the rest are still called and the first exception is rethrown afterwards.
  void Complete(const std::string& key, const Result<VerifiedIdentity>& answer, SystemTime expiry,
                SystemTime now);

  size_t size() const;
  // Keys with an STS call in flight.
  size_t in_flight() const;

 private:
  mutable std::mutex mu_;
  ExpiringMap<VerifiedIdentity> entries_;
  // Key -> the callbacks waiting on its STS call, the leader's first.
  std::map<std::string, std::vector<Callback>, std::less<>> in_flight_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AWS_VERIFICATION_CACHE_H_
