#include "server/session_store.h"

#include <array>

#include "common/base64.h"
#include "common/crypto.h"

namespace wifgate::server {
namespace {

Status UnknownSession() {
  return Status(Code::kUnauthenticated, "session.unknown",
                "the session token names no live session (never issued, logged out, revoked or "
                "idle-expired)",
                "User must login again to access the service.");
}

}  // namespace

SessionStore::SessionStore(Env& env, SessionLimits limits) : env_(env), limits_(limits) {
  // Session ids start at a random point so that they do not reveal how many logins the
  // server has seen; they are identifiers, not secrets.
  std::array<uint8_t, 4> seed{};
  env_.RandomBytes(seed);
  next_id_ = 1 + (static_cast<uint64_t>(seed[0]) << 24 | static_cast<uint64_t>(seed[1]) << 16 |
                  static_cast<uint64_t>(seed[2]) << 8 | seed[3]);
}

std::string SessionStore::NewToken(std::string_view prefix) {
  std::array<uint8_t, 32> bytes{};
  env_.RandomBytes(bytes);
  return std::string(prefix) + Base64UrlEncode(std::string_view(
                                   reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

IssuedTokens SessionStore::Issue(Entry& entry) {
  IssuedTokens tokens;
  tokens.session_token = NewToken("wgs_");
  tokens.master_token = NewToken("wgm_");
  tokens.session_validity = limits_.session_token_validity;
  tokens.master_validity = limits_.master_token_validity;
  tokens.session_id = entry.session->id;
  SystemTime now = env_.Now();
  entry.session_hash = Sha256(tokens.session_token);
  entry.master_hash = Sha256(tokens.master_token);
  entry.session_expires = now + limits_.session_token_validity;
  entry.master_expires = now + limits_.master_token_validity;
  entry.last_used = now;
  return tokens;
}

Result<IssuedTokens> SessionStore::Create(std::shared_ptr<Session> session) {
  std::lock_guard lock(mu_);
  if (by_session_hash_.size() >= limits_.max_sessions) {
    SystemTime now = env_.Now();
    std::erase_if(by_session_hash_, [&](const auto& kv) {
      if (!ExpiredLocked(kv.second, now)) return false;
      master_to_session_hash_.erase(kv.second.master_hash);
      return true;
    });
    if (by_session_hash_.size() >= limits_.max_sessions) {
      return Status(Code::kResourceExhausted, "server.too_many_sessions",
                    "the server holds " + std::to_string(limits_.max_sessions) +
                        " live sessions, its limit; raise sessions.max or find the client that "
                        "logs in without logging out");
    }
  }
  session->id = next_id_++;
  session->created = env_.Now();
  Entry entry;
  entry.session = std::move(session);
  IssuedTokens tokens = Issue(entry);
  master_to_session_hash_[entry.master_hash] = entry.session_hash;
  by_session_hash_.emplace(entry.session_hash, std::move(entry));
  return tokens;
}

bool SessionStore::ExpiredLocked(const Entry& e, SystemTime now) const {
  return now >= e.last_used + limits_.idle_timeout ||
         now >= e.session->created + limits_.absolute_lifetime || now >= e.master_expires;
}

void SessionStore::EraseLocked(const std::string& session_hash) {
  auto it = by_session_hash_.find(session_hash);
  if (it == by_session_hash_.end()) return;
  master_to_session_hash_.erase(it->second.master_hash);
  by_session_hash_.erase(it);
}

Result<std::shared_ptr<Session>> SessionStore::Authenticate(std::string_view session_token) {
  std::string hash = Sha256(session_token);
  std::lock_guard lock(mu_);
  auto it = by_session_hash_.find(hash);
  if (it == by_session_hash_.end()) return UnknownSession();
  SystemTime now = env_.Now();
  if (ExpiredLocked(it->second, now)) {
    EraseLocked(hash);
    return UnknownSession();
  }
  if (now >= it->second.session_expires) {
    return Status(Code::kUnauthenticated, "session.token_expired",
                  "the session token expired; the client should renew it with its master token",
                  "Your session has expired. Please login again.");
  }
  it->second.last_used = now;
  return it->second.session;
}

Result<IssuedTokens> SessionStore::Renew(std::string_view master_token,
                                         std::string_view old_session_token) {
  std::string master_hash = Sha256(master_token);
  std::lock_guard lock(mu_);
  auto link = master_to_session_hash_.find(master_hash);
  if (link == master_to_session_hash_.end()) {
    return Status(Code::kUnauthenticated, "session.master_unknown",
                  "the master token names no live session", "Master token not found.");
  }
  std::string session_hash = link->second;
  auto it = by_session_hash_.find(session_hash);
  if (it == by_session_hash_.end())
    return Status(Code::kInternal, "session.index_broken",
                  "master token index points at no session");
  Entry& entry = it->second;
  SystemTime now = env_.Now();
  if (ExpiredLocked(entry, now)) {
    EraseLocked(session_hash);
    return Status(Code::kUnauthenticated, "session.master_expired",
                  "the session behind this master token has expired; the client must log in "
                  "again",
                  "Authentication token has expired.  The user must authenticate again.");
  }
  if (!ConstantTimeEquals(Sha256(old_session_token), session_hash)) {
    return Status(Code::kUnauthenticated, "session.renew_mismatch",
                  "the session token presented for renewal is not the one paired with the master "
                  "token",
                  "Master token not found.");
  }
  master_to_session_hash_.erase(link);
  Entry renewed = std::move(by_session_hash_.extract(session_hash).mapped());
  SystemTime master_expires = renewed.master_expires;
  IssuedTokens tokens = Issue(renewed);
  // Renewal refreshes the session token, not the master token's own lifetime: a stolen
  // master token cannot keep a session alive forever.
  renewed.master_expires = master_expires;
  tokens.master_validity =
      std::chrono::duration_cast<std::chrono::seconds>(master_expires - env_.Now());
  master_to_session_hash_[renewed.master_hash] = renewed.session_hash;
  by_session_hash_.emplace(renewed.session_hash, std::move(renewed));
  return tokens;
}

bool SessionStore::Remove(std::string_view session_token) {
  std::string hash = Sha256(session_token);
  std::lock_guard lock(mu_);
  if (!by_session_hash_.contains(hash)) return false;
  EraseLocked(hash);
  return true;
}

size_t SessionStore::RevokeIf(const std::function<bool(const Session&)>& pred) {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (auto it = by_session_hash_.begin(); it != by_session_hash_.end();) {
    if (pred(*it->second.session)) {
      master_to_session_hash_.erase(it->second.master_hash);
      it = by_session_hash_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

size_t SessionStore::size() const {
  std::lock_guard lock(mu_);
  return by_session_hash_.size();
}

}  // namespace wifgate::server
