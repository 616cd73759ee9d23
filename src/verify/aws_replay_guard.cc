#include "verify/aws_replay_guard.h"

namespace wifgate::verify {

bool AwsReplayGuard::FirstUse(const std::string& key, SystemTime expiry, SystemTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = seen_.find(key); it != seen_.end()) {
    if (it->second > now) return false;
    // Expired: the verifier refuses such an attestation before asking; forget the entry.
    auto range = by_expiry_.equal_range(it->second);
    for (auto e = range.first; e != range.second; ++e) {
      if (e->second == key) {
        by_expiry_.erase(e);
        break;
      }
    }
    seen_.erase(it);
  }
  if (seen_.size() >= capacity_) EvictLocked(now);
  seen_.emplace(key, expiry);
  by_expiry_.emplace(expiry, key);
  return true;
}

// Drops every expired entry, and the one closest to expiry if that freed nothing.
void AwsReplayGuard::EvictLocked(SystemTime now) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    seen_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  if (seen_.size() >= capacity_ && !by_expiry_.empty()) {
    seen_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
}

size_t AwsReplayGuard::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_.size();
}

}  // namespace wifgate::verify
