// One-time use of AWS attestations (security.md T6, RPL-01), when the server is configured
// for it ([aws] one_time_use): remembers every attestation a login has already succeeded
// with, by AwsAttestation::CanonicalKey(), until its signature expires, and refuses it the
// second time. A captured attestation then cannot be replayed once its workload has used it.
//
// Only successful verifications are recorded, so attestations with forged signatures cannot
// fill it. Bounded (ExpiringMap): when full, expired entries go first, then the ones
// closest to expiry, whose protection ends soonest anyway. In memory, per server process.
//
// Off by default because SigV4 signatures are deterministic at one-second resolution: two
// logins signed in the same second with the same credentials (a connection pool opening
// several at once) carry the same attestation, and one-time use refuses all but the first.
#ifndef WIFGATE_VERIFY_AWS_REPLAY_GUARD_H_
#define WIFGATE_VERIFY_AWS_REPLAY_GUARD_H_

#include <algorithm>
#include <mutex>
#include <string>

#include "verify/expiring_map.h"
#include "wifgate/env.h"

namespace wifgate::verify {

class AwsReplayGuard {
 public:
  // Keeps at most `capacity` keys (at least one).
  explicit AwsReplayGuard(size_t capacity) : seen_(std::max<size_t>(capacity, 1)) {}

  // True the first time `key` is presented before `expiry`, recording it; false on every
  // later presentation. Atomic: of concurrent callers with one key, exactly one gets true.
  bool FirstUse(const std::string& key, SystemTime expiry, SystemTime now);

  size_t size() const;

 private:
  struct Seen {};

  mutable std::mutex mu_;
  ExpiringMap<Seen> seen_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AWS_REPLAY_GUARD_H_
