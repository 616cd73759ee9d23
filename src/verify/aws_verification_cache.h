// Remembers AWS attestations STS has already verified, until their signatures expire, so
// a client retrying a login (or the connectors' re-authentication) costs no STS call.
//
// The key is AwsAttestation::CanonicalKey(): a digest of the whole signed request,
// signature included. Two attestations share a key only if they are the same signed
// request, which STS would answer identically, so the cached identity is exactly the one
// STS would return; nothing coarser (a role name, an access key id) is ever a key, which is
// what let cross-account identities collide in CVE-2025-11621. Only successes are cached.
// Bounded: when full, expired entries go first, then the ones closest to expiry.
#ifndef WIFGATE_VERIFY_AWS_VERIFICATION_CACHE_H_
#define WIFGATE_VERIFY_AWS_VERIFICATION_CACHE_H_

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "verify/verified_identity.h"
#include "wifgate/env.h"

namespace wifgate::verify {

class AwsVerificationCache {
 public:
  explicit AwsVerificationCache(size_t capacity) : capacity_(capacity) {}

  // The identity cached under `key` if its entry has not expired at `now`.
  std::optional<VerifiedIdentity> Lookup(std::string_view key, SystemTime now);

  // Caches `identity` under `key` until `expiry`. Does nothing with capacity 0 or when the
  // entry would already be expired.
  void Insert(const std::string& key, VerifiedIdentity identity, SystemTime expiry, SystemTime now);

  size_t size() const;

 private:
  struct Entry {
    VerifiedIdentity identity;
    SystemTime expiry;
  };
  void EvictLocked(SystemTime now);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::multimap<SystemTime, std::string> by_expiry_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AWS_VERIFICATION_CACHE_H_
