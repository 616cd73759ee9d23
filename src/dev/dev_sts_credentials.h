// Temporary credentials the dev STS has issued (AssumeRole, AssumeRoleWithWebIdentity):
// kept in memory, and optionally persisted to a file so that a restarted dev STS, or a
// `wifgate dev-sts creds` started beside it, still knows them.
//
// A temporary access key is only valid with the session token it was issued with (compared
// in constant time), until its expiration, as with real STS.
#ifndef WIFGATE_DEV_DEV_STS_CREDENTIALS_H_
#define WIFGATE_DEV_DEV_STS_CREDENTIALS_H_

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::dev {

struct IssuedCredentials {
  aws::Credentials credentials;  // expiration always set
  std::string account;
  std::string assumed_role_arn;  // arn:aws:sts::ACCT:assumed-role/ROLE/SESSION (no path)
  std::string user_id;           // "<role id>:<session>"
};

class IssuedCredentialStore {
 public:
  // `persist_path` empty: memory only. Otherwise existing entries are loaded by Load().
  explicit IssuedCredentialStore(std::string persist_path = {})
      : persist_path_(std::move(persist_path)) {}

  // Mints fresh random credentials ("ASIA…" key id) for a role session.
  IssuedCredentials Issue(Env& env, std::string account, std::string assumed_role_arn,
                          std::string user_id, std::chrono::seconds duration);

  // The entry for `access_key_id`, or nullopt.
  std::optional<IssuedCredentials> Find(std::string_view access_key_id) const;

  // Reads the persisted file (a missing file is an empty store).
  Status Load(const Env& env);

 private:
  void PersistLocked() const;

  std::string persist_path_;
  mutable std::mutex mu_;
  std::map<std::string, IssuedCredentials, std::less<>> by_key_;
};

}  // namespace wifgate::dev

#endif  // WIFGATE_DEV_DEV_STS_CREDENTIALS_H_
