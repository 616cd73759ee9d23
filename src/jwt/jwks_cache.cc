#include "jwt/jwks_cache.h"

#include <future>
#include <utility>

namespace wifgate::jwt {
namespace {

Status KidUnknown() {
  return Status(Code::kUnauthenticated, "jwt.kid_unknown",
                "the token's kid is not in the issuer's current key set (refetches of the key "
                "set are rate-limited); the token may be signed by a retired or foreign key",
                "The token's signing key is unknown.");
}

Status Unavailable(std::string what) {
  return Status(Code::kUnavailable, "jwt.jwks_unavailable",
                "the issuer's keys are unavailable: " + what,
                "The token issuer's keys are unavailable; try again later.");
}

}  // namespace

bool JwksCache::Usable(const Entry& entry, SystemTime now) const {
  return entry.keys && (entry.is_static || now - entry.fetched_at < options_.max_age);
}

Result<Jwk> JwksCache::Resolve(const Entry& entry, const std::optional<std::string>& kid,
                               SystemTime now) const {
  if (!Usable(entry, now)) {
    if (!entry.last_error.ok()) return entry.last_error;
    return Unavailable("no key set has been fetched within the maximum key age");
  }
  const Jwk* key = entry.keys->Find(kid);
  if (key == nullptr) return KidUnknown();
  return *key;
}

void JwksCache::GetKeyAsync(const KeySource& source, std::optional<std::string> kid,
                            Callback done) {
  std::unique_lock lock(mu_);
  const SystemTime now = env_.Now();
  Entry& entry = entries_[source.issuer];

  if (source.static_jwks) {
    if (!entry.is_static) {
      Result<JwkSet> keys = ParseJwkSet(*source.static_jwks);
      if (!keys.ok()) {
        lock.unlock();
        return done(keys.status());
      }
      entry.keys = std::make_shared<const JwkSet>(std::move(keys).value());
      entry.is_static = true;
    }
    Result<Jwk> key = Resolve(entry, kid, now);
    lock.unlock();
    return done(std::move(key));
  }

  const bool may_fetch =
      !entry.last_attempt || now - *entry.last_attempt >= options_.refetch_cooldown;
  const bool fresh = entry.keys && now - entry.fetched_at < options_.refresh_after;
  if (Usable(entry, now) && entry.keys->Find(kid) != nullptr) {
    // Answer from the cache; refresh ageing keys behind the caller's back.
    if (!fresh && may_fetch && !entry.fetching) StartFetchLocked(source, entry);
    Result<Jwk> key = Resolve(entry, kid, now);
    lock.unlock();
    return done(std::move(key));
  }
  if (!entry.fetching && !may_fetch) {
    Result<Jwk> answer = Resolve(entry, kid, now);
    lock.unlock();
    return done(std::move(answer));
  }
  if (entry.waiters.size() >= options_.max_waiters_per_issuer) {
    lock.unlock();
    return done(Status(Code::kResourceExhausted, "jwt.busy",
                       "too many verifications are waiting for the keys of " + source.issuer,
                       "The server is busy; try again later."));
  }
  entry.waiters.push_back({std::move(kid), std::move(done)});
  if (!entry.fetching) StartFetchLocked(source, entry);
}

void JwksCache::StartFetchLocked(const KeySource& source, Entry& entry) {
  entry.fetching = true;
  entry.last_attempt = env_.Now();
  ++fetch_count_;
  // The fetcher may complete inline; run it without holding the lock.
  mu_.unlock();
  fetcher_.Fetch(source, [this, issuer = source.issuer](Result<JwkSet> result) {
    OnFetched(issuer, std::move(result));
  });
  mu_.lock();
}

void JwksCache::OnFetched(const std::string& issuer, Result<JwkSet> result) {
  std::vector<std::pair<Waiter, Result<Jwk>>> answers;
  {
    std::lock_guard lock(mu_);
    Entry& entry = entries_[issuer];
    const SystemTime now = env_.Now();
    entry.fetching = false;
    if (result.ok()) {
      entry.keys = std::make_shared<const JwkSet>(std::move(result).value());
      entry.fetched_at = now;
      entry.last_error = Status::Ok();
    } else {
      entry.last_error = result.status();
    }
    for (Waiter& w : entry.waiters) {
      Result<Jwk> answer = Resolve(entry, w.kid, now);
      answers.emplace_back(std::move(w), std::move(answer));
    }
    entry.waiters.clear();
  }
  for (auto& [waiter, answer] : answers) waiter.done(std::move(answer));
}

Result<Jwk> JwksCache::GetKey(const KeySource& source, std::optional<std::string> kid) {
  std::promise<Result<Jwk>> promise;
  auto future = promise.get_future();
  GetKeyAsync(source, std::move(kid),
              [&promise](Result<Jwk> key) { promise.set_value(std::move(key)); });
  return future.get();
}

size_t JwksCache::fetch_count() const {
  std::lock_guard lock(mu_);
  return fetch_count_;
}

}  // namespace wifgate::jwt
