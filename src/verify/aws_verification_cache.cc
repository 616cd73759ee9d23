#include "verify/aws_verification_cache.h"

namespace wifgate::verify {

std::optional<VerifiedIdentity> AwsVerificationCache::Lookup(std::string_view key, SystemTime now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expiry <= now) return std::nullopt;
  return it->second.identity;
}

void AwsVerificationCache::Insert(const std::string& key, VerifiedIdentity identity,
                                  SystemTime expiry, SystemTime now) {
  if (capacity_ == 0 || expiry <= now) return;
  std::lock_guard lock(mu_);
  if (entries_.contains(key)) return;  // same signed request, same answer
  if (entries_.size() >= capacity_) EvictLocked(now);
  entries_.emplace(key, Entry{std::move(identity), expiry});
  by_expiry_.emplace(expiry, key);
}

size_t AwsVerificationCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

void AwsVerificationCache::EvictLocked(SystemTime now) {
  // by_expiry_ is ordered soonest first: expired entries, then the ones about to expire.
  auto it = by_expiry_.begin();
  while (it != by_expiry_.end() && (it->first <= now || entries_.size() >= capacity_)) {
    entries_.erase(it->second);
    it = by_expiry_.erase(it);
  }
}

}  // namespace wifgate::verify
