// SessionStore: the server's live sessions, and the tokens that name them.
//
// A login creates a session and two bearer tokens: the session token, sent on every call
// and short-lived (Snowflake clients renew it on code 390112), and the master token, used
// only to renew. Tokens are 256 random bits; the store keeps only their SHA-256, so a dump
// of its memory or a timing probe of its map reveals nothing that can be replayed.
//
// Sessions end three ways: idle expiry (no call for `idle_timeout`), absolute expiry
// (`absolute_lifetime` after login, renewals or not), and revocation — logout, or the
// server revoking every session of a user or workload identity that was dropped, disabled
// or removed.
#ifndef WIFGATE_SERVER_SESSION_STORE_H_
#define WIFGATE_SERVER_SESSION_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::server {

struct SessionLimits {
  std::chrono::seconds session_token_validity{3600};
  std::chrono::seconds master_token_validity{4 * 3600};
  std::chrono::seconds idle_timeout{4 * 3600};
  std::chrono::seconds absolute_lifetime{24 * 3600};
  size_t max_sessions = 100000;
};

// The mutable state of one session. Fields other than the identity are changed by USE
// statements; `mu` guards them.
struct Session {
  uint64_t id = 0;
  std::string user;
  std::string authenticator;  // WORKLOAD_IDENTITY, SNOWFLAKE, SNOWFLAKE_JWT
  std::string identity_key;   // canonical key of the workload identity used; empty otherwise
  std::string client;         // e.g. "JavaScript 3.3.0"
  SystemTime created;

  std::mutex mu;
  std::string role;
  std::string database;
  std::string schema;
  std::string warehouse;
  bool treat_integer_as_bigint = false;
};

struct IssuedTokens {
  std::string session_token;
  std::string master_token;
  std::chrono::seconds session_validity;
  std::chrono::seconds master_validity;
  uint64_t session_id = 0;
};

class SessionStore {
 public:
  SessionStore(Env& env, SessionLimits limits);

  // Registers `session` (its id is assigned here) and returns fresh tokens for it.
  // Fails with server.too_many_sessions when the store is full.
  Result<IssuedTokens> Create(std::shared_ptr<Session> session);

  // The session a session token names. Reasons: session.unknown (never issued, logged out,
  // revoked or idle-expired: the client must log in again, code 390104) and
  // session.token_expired (the session lives but the token aged out: renew, code 390112).
  Result<std::shared_ptr<Session>> Authenticate(std::string_view session_token);

  // Swaps a session token for a new one using the master token (the 390112 flow). The old
  // session token must be the one paired with the master token.
  Result<IssuedTokens> Renew(std::string_view master_token, std::string_view old_session_token);

  // Ends the session a session token names; false when there was none.
  bool Remove(std::string_view session_token);

  // Ends every session for which `pred` holds; returns how many.
  size_t RevokeIf(const std::function<bool(const Session&)>& pred);

  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<Session> session;
    std::string session_hash;
    std::string master_hash;
    SystemTime session_expires;
    SystemTime master_expires;
    SystemTime last_used;
  };

  std::string NewToken(std::string_view prefix);
  IssuedTokens Issue(Entry& entry);  // requires mu_
  void EraseLocked(const std::string& session_hash);
  bool ExpiredLocked(const Entry& e, SystemTime now) const;

  Env& env_;
  const SessionLimits limits_;
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;
  std::unordered_map<std::string, Entry> by_session_hash_;
  std::unordered_map<std::string, std::string> master_to_session_hash_;
};

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_SESSION_STORE_H_
