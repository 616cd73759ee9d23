#include "verify/aws_verification_cache.h"

#include <exception>
#include <utility>

namespace wifgate::verify {

AwsVerificationCache::Outcome AwsVerificationCache::LookupOrJoin(const std::string& key,
                                                                 SystemTime now, Callback done) {
  std::unique_lock lock(mu_);
  if (const VerifiedIdentity* hit = entries_.Find(key, now)) {
    VerifiedIdentity identity = *hit;
    lock.unlock();
    done(std::move(identity));
    return Outcome::kHit;
  }
  auto [it, first] = in_flight_.try_emplace(key);
  it->second.push_back(std::move(done));
  return first ? Outcome::kLead : Outcome::kJoined;
}

void AwsVerificationCache::Complete(const std::string& key, const Result<VerifiedIdentity>& answer,
                                    SystemTime expiry, SystemTime now) {
  std::vector<Callback> waiters;
  {
    std::lock_guard lock(mu_);
    if (answer.ok()) entries_.Insert(key, *answer, expiry, now);
    auto it = in_flight_.find(key);
    if (it != in_flight_.end()) {
      waiters = std::move(it->second);
      in_flight_.erase(it);
    }
  }
  // One waiter's exception must not leave the others unanswered: all are called, then the
  // first exception goes on to the caller as if nobody had joined.
  std::exception_ptr first_exception;
  for (auto& done : waiters) {
    try {
      done(answer);
    } catch (...) {
      if (!first_exception) first_exception = std::current_exception();
    }
  }
  if (first_exception) std::rethrow_exception(first_exception);
}

size_t AwsVerificationCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

size_t AwsVerificationCache::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_.size();
}

}  // namespace wifgate::verify
