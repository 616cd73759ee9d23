#include "server/rate_limiter.h"

#include <algorithm>

namespace wifgate::server {

RateLimiter::RateLimiter(const Env& env, double rate_per_minute, double burst, size_t max_clients)
    : env_(env),
      rate_per_second_(rate_per_minute / 60.0),
      burst_(burst),
      max_clients_(max_clients) {}

bool RateLimiter::Allow(const std::string& client) {
  SystemTime now = env_.Now();
  std::lock_guard lock(mu_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) {
      // Forget buckets that have refilled completely: they hold no information.
      std::erase_if(buckets_, [&](const auto& kv) {
        double elapsed = std::chrono::duration<double>(now - kv.second.updated).count();
        return kv.second.tokens + elapsed * rate_per_second_ >= burst_;
      });
    }
    it = buckets_.emplace(client, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::max(0.0, std::chrono::duration<double>(now - b.updated).count());
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_per_second_);
  b.updated = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

void RateLimiter::Refund(const std::string& client) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(client);
  if (it != buckets_.end()) it->second.tokens = std::min(burst_, it->second.tokens + 1.0);
}

}  // namespace wifgate::server
