#include "dev/dev_sts_credentials.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <vector>

#include "common/base64.h"
#include "common/json.h"
#include "common/time_format.h"

namespace wifgate::dev {
namespace {

std::string RandomBytes(Env& env, size_t n) {
  std::vector<uint8_t> buf(n);
  env.RandomBytes(buf);
  return std::string(buf.begin(), buf.end());
}

// Upper-case alphanumerics, as AWS key ids are.
std::string RandomKeyId(Env& env) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out = "ASIA";
  for (unsigned char c : RandomBytes(env, 16)) out += kAlphabet[c % 32];
  return out;
}

}  // namespace

IssuedCredentials IssuedCredentialStore::Issue(Env& env, std::string account,
                                               std::string assumed_role_arn, std::string user_id,
                                               std::chrono::seconds duration) {
  IssuedCredentials out;
  out.credentials.access_key_id = RandomKeyId(env);
  out.credentials.secret_access_key = Base64Encode(RandomBytes(env, 30));
  out.credentials.session_token = "DevSts" + Base64Encode(RandomBytes(env, 96));
  out.credentials.expiration =
      std::chrono::time_point_cast<std::chrono::seconds>(env.Now()) + duration;
  out.account = std::move(account);
  out.assumed_role_arn = std::move(assumed_role_arn);
  out.user_id = std::move(user_id);
  std::lock_guard lock(mu_);
  by_key_[out.credentials.access_key_id] = out;
  PersistLocked();
  return out;
}

std::optional<IssuedCredentials> IssuedCredentialStore::Find(std::string_view access_key_id) const {
  std::lock_guard lock(mu_);
  auto it = by_key_.find(access_key_id);
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

Status IssuedCredentialStore::Load(const Env& env) {
  if (persist_path_.empty()) return Status::Ok();
  auto text = env.ReadFile(persist_path_, 64 << 20);
  if (!text.ok()) return Status::Ok();  // nothing issued yet
  auto json = ParseStrictJson(*text, {64 << 20, 8});
  if (!json.ok() || !json->is_array()) {
    return Status(Code::kInvalidArgument, "dev_sts.bad_credentials_file",
                  persist_path_ + " is not a dev STS credentials file; delete it to start over");
  }
  std::lock_guard lock(mu_);
  for (const auto& v : json->get_array()) {
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    IssuedCredentials c;
    c.credentials.access_key_id = GetString(o, "access_key_id").value_or("");
    c.credentials.secret_access_key = GetString(o, "secret_access_key").value_or("");
    c.credentials.session_token = GetString(o, "session_token").value_or("");
    c.credentials.expiration = FromUnixSeconds(GetInt(o, "expiration").value_or(0));
    c.account = GetString(o, "account").value_or("");
    c.assumed_role_arn = GetString(o, "arn").value_or("");
    c.user_id = GetString(o, "user_id").value_or("");
    if (!c.credentials.access_key_id.empty()) by_key_[c.credentials.access_key_id] = c;
  }
  return Status::Ok();
}

void IssuedCredentialStore::PersistLocked() const {
  if (persist_path_.empty()) return;
  boost::json::array arr;
  for (const auto& [key, c] : by_key_) {
    arr.push_back(boost::json::object{{"access_key_id", c.credentials.access_key_id},
                                      {"secret_access_key", c.credentials.secret_access_key},
                                      {"session_token", c.credentials.session_token},
                                      {"expiration", ToUnixSeconds(*c.credentials.expiration)},
                                      {"account", c.account},
                                      {"arn", c.assumed_role_arn},
                                      {"user_id", c.user_id}});
  }
  // Written next to the final name and renamed, so a reader never sees half a file. The
  // file holds secrets: owner-only permissions.
  const std::string tmp = persist_path_ + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return;
  const std::string text = ToJson(arr);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  if (ok) std::rename(tmp.c_str(), persist_path_.c_str());
}

}  // namespace wifgate::dev
