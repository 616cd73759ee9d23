// RateLimiter: per-client token buckets for login attempts.
//
// Each login attempt takes one token from the bucket of the client's address; buckets
// refill at a steady rate up to a burst size. An exhausted bucket refuses the login before
// any attestation is verified, so a client hammering the server costs it no STS or JWKS
// calls. A login that succeeds gives its token back: only failures use a bucket up, so a
// fleet of workloads behind one NAT address is not throttled for logging in, while each
// attempt still holds its token until it ends, which bounds how many verifications one
// address can have in flight (security.md RATE-01, RATE-02).
// Refusals are answered with an application error, not HTTP 429, which the connectors
// would retry (see specs/snowflake-rest.md §3.3).
#ifndef WIFGATE_SERVER_RATE_LIMITER_H_
#define WIFGATE_SERVER_RATE_LIMITER_H_

#include <mutex>
#include <string>
#include <unordered_map>

#include "wifgate/env.h"

namespace wifgate::server {

class RateLimiter {
 public:
  // `rate_per_minute` tokens are added each minute, up to `burst`.
  RateLimiter(const Env& env, double rate_per_minute, double burst, size_t max_clients = 100000);

  // Takes a token for `client`; false when its bucket is empty.
  bool Allow(const std::string& client);
  // Gives back the token an allowed attempt took (it succeeded), up to the burst.
  void Refund(const std::string& client);

 private:
  struct Bucket {
    double tokens;
    SystemTime updated;
  };
  const Env& env_;
  const double rate_per_second_;
  const double burst_;
  const size_t max_clients_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_RATE_LIMITER_H_
