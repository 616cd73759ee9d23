#include "verify/aws_replay_guard.h"

namespace wifgate::verify {

bool AwsReplayGuard::FirstUse(const std::string& key, SystemTime expiry, SystemTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (seen_.Find(key, now) != nullptr) return false;
  // An expired entry for the key is replaced: the verifier refuses such an attestation
  // before asking anyway.
  seen_.Insert(key, Seen{}, expiry, now);
  return true;
}

size_t AwsReplayGuard::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_.size();
}

}  // namespace wifgate::verify
