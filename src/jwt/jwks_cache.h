// JwksCache: per-issuer signing keys, looked up by (issuer, kid), shared by all verifiers.
//
// Time rules (security.md §5.J; Snowflake caches JWKS at most 60 minutes):
//   - keys younger than `refresh_after` are used as they are;
//   - older keys are still used while a refresh runs in the background, and while the
//     issuer is unreachable, but never once they are `max_age` old: then the cache fails
//     closed (jwt.jwks_unavailable) until a fetch succeeds;
//   - an unknown kid (a rotation) triggers a refetch, but fetches for one issuer are at
//     least `refetch_cooldown` apart, so a flood of random kids costs one fetch.
// Concurrent lookups for an issuer whose keys are being fetched wait for that one fetch
// (callbacks, not threads). Static key sets (KeySource::static_jwks) are parsed once and
// never expire.
//
// Only KeySources built from the registry or configuration may be passed in; the cache
// fetches whatever it is given.
#ifndef WIFGATE_JWT_JWKS_CACHE_H_
#define WIFGATE_JWT_JWKS_CACHE_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "jwt/jwk.h"
#include "jwt/jwks_fetcher.h"
#include "jwt/key_source.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::jwt {

struct JwksCacheOptions {
  std::chrono::seconds refresh_after{15 * 60};
  std::chrono::seconds max_age{60 * 60};
  std::chrono::seconds refetch_cooldown{30};
  size_t max_waiters_per_issuer = 1024;
};

class JwksCache {
 public:
  using Callback = std::function<void(Result<Jwk>)>;

  // `fetcher` and `env` must outlive the cache, and the cache every fetch it started.
  JwksCache(JwksFetcher& fetcher, const Env& env, JwksCacheOptions options = {})
      : fetcher_(fetcher), env_(env), options_(options) {}

  // Finds the key `kid` of `source.issuer` (with no kid: the issuer's only key). `done`
  // runs exactly once, inline when the cache can answer, else when a fetch completes.
  // Failures: jwt.kid_unknown, jwt.jwks_unavailable, jwt.jwks_invalid, jwt.busy.
  void GetKeyAsync(const KeySource& source, std::optional<std::string> kid, Callback done);

  // Blocking form, for the CLI and tests.
  Result<Jwk> GetKey(const KeySource& source, std::optional<std::string> kid);

  // Number of fetches started so far (tests and metrics).
  size_t fetch_count() const;

 private:
  struct Waiter {
    std::optional<std::string> kid;
    Callback done;
  };
  struct Entry {
    std::shared_ptr<const JwkSet> keys;
    SystemTime fetched_at;
    bool is_static = false;
    std::optional<SystemTime> last_attempt;
    Status last_error;
    bool fetching = false;
    std::vector<Waiter> waiters;
  };

  void StartFetchLocked(const KeySource& source, Entry& entry);
  void OnFetched(const std::string& issuer, Result<JwkSet> result);
  // The answer for `kid` from what `entry` holds now.
  Result<Jwk> Resolve(const Entry& entry, const std::optional<std::string>& kid,
                      SystemTime now) const;
  bool Usable(const Entry& entry, SystemTime now) const;

  JwksFetcher& fetcher_;
  const Env& env_;
  const JwksCacheOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
  size_t fetch_count_ = 0;
};

}  // namespace wifgate::jwt

#endif  // WIFGATE_JWT_JWKS_CACHE_H_
