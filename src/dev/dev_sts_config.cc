#include "dev/dev_sts_config.h"

#include <toml++/toml.h>

#include <set>

#include "common/crypto.h"
#include "common/strings.h"

namespace wifgate::dev {
namespace {

Status Bad(std::string_view source, std::string what) {
  return Status(Code::kInvalidArgument, "dev_sts.bad_config", std::string(source) + ": " + what);
}

// A stable IAM-looking unique id: prefix + 17 upper-case base32-ish characters.
std::string StableId(std::string_view prefix, std::string_view seed) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string digest = Sha256(seed);
  std::string out(prefix);
  for (int i = 0; i < 17; ++i) out += kAlphabet[static_cast<unsigned char>(digest[i]) % 32];
  return out;
}

// IAM names: 1-64 of [A-Za-z0-9+=,.@_-].
bool IsIamName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("+=,.@_-").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool ValidPath(std::string_view path) {
  return path.starts_with('/') && path.ends_with('/') && path.find("//") == std::string_view::npos;
}

Result<std::vector<std::string>> StringList(const toml::table& t, std::string_view key,
                                            std::string_view source) {
  std::vector<std::string> out;
  const toml::node* node = t.get(key);
  if (node == nullptr) return out;
  const toml::array* arr = node->as_array();
  if (arr == nullptr) return Bad(source, std::string(key) + " must be an array of strings");
  for (const auto& item : *arr) {
    auto s = item.value<std::string>();
    if (!s) return Bad(source, std::string(key) + " must be an array of strings");
    out.push_back(*s);
  }
  return out;
}

Status BadArn(std::string_view arn) {
  return Status(Code::kInvalidArgument, "dev_sts.bad_arn",
                "'" + std::string(arn) + "' is not an IAM user/role or STS assumed-role ARN");
}

}  // namespace

Result<DevArn> ParseDevArn(std::string_view arn) {
  auto f = Split(arn, ':');
  if (f.size() != 6 || f[0] != "arn" || f[1] != "aws" || !f[3].empty() || f[4].size() != 12 ||
      f[4].find_first_not_of("0123456789") != std::string_view::npos) {
    return BadArn(arn);
  }
  DevArn out;
  out.account = std::string(f[4]);
  std::string_view res = f[5];
  if (f[2] == "iam" && (res.starts_with("user/") || res.starts_with("role/"))) {
    out.kind = res.starts_with("user/") ? DevArn::Kind::kUser : DevArn::Kind::kRole;
    std::string_view rest = res.substr(5);
    size_t slash = rest.rfind('/');
    out.name = std::string(slash == std::string_view::npos ? rest : rest.substr(slash + 1));
    out.path = "/" + std::string(slash == std::string_view::npos ? "" : rest.substr(0, slash + 1));
    if (!IsIamName(out.name) || !ValidPath(out.path)) return BadArn(arn);
    return out;
  }
  if (f[2] == "sts" && res.starts_with("assumed-role/")) {
    auto parts = Split(res.substr(13), '/');
    if (parts.size() != 2 || !IsIamName(parts[0]) || !IsIamName(parts[1])) return BadArn(arn);
    out.kind = DevArn::Kind::kAssumedRole;
    out.name = std::string(parts[0]);
    out.session = std::string(parts[1]);
    return out;
  }
  return BadArn(arn);
}

std::string DevStsUser::Arn() const { return "arn:aws:iam::" + account + ":user" + path + name; }
std::string DevStsUser::UserId() const { return StableId("AIDA", account + "/user/" + name); }

std::string DevStsRole::Arn() const { return "arn:aws:iam::" + account + ":role" + path + name; }
std::string DevStsRole::RoleId() const { return StableId("AROA", account + "/role/" + name); }

bool DevStsRole::Trusts(std::string_view caller_arn) const {
  auto caller = ParseDevArn(caller_arn);
  if (!caller.ok()) return false;
  for (const auto& entry : trusted_principals) {
    if (entry == "*" || entry == caller->account) return true;
    auto trusted = ParseDevArn(entry);
    if (!trusted.ok() || trusted->account != caller->account) continue;
    bool user_match = trusted->kind == DevArn::Kind::kUser && caller->kind == DevArn::Kind::kUser &&
                      trusted->name == caller->name && trusted->path == caller->path;
    bool role_match = trusted->kind == DevArn::Kind::kRole &&
                      caller->kind == DevArn::Kind::kAssumedRole && trusted->name == caller->name;
    if (user_match || role_match) return true;
  }
  return false;
}

const DevStsUser* DevStsConfig::FindUserByKey(std::string_view access_key_id) const {
  for (const auto& u : users) {
    if (u.access_key_id == access_key_id) return &u;
  }
  return nullptr;
}

const DevStsRole* DevStsConfig::FindRole(std::string_view role_arn) const {
  auto parsed = ParseDevArn(role_arn);
  if (!parsed.ok() || parsed->kind != DevArn::Kind::kRole) return nullptr;
  const DevStsRole* role = FindRoleByName(parsed->account, parsed->name);
  // A path, when given, must be the role's; IAM role names are unique per account.
  if (role != nullptr && parsed->path != "/" && parsed->path != role->path) return nullptr;
  return role;
}

const DevStsRole* DevStsConfig::FindRoleByName(std::string_view account,
                                               std::string_view name) const {
  for (const auto& r : roles) {
    if (r.account == account && AsciiEqualsIgnoreCase(r.name, name)) return &r;
  }
  return nullptr;
}

Result<DevStsConfig> ParseDevStsConfig(std::string_view toml_text, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    return Bad(source, std::string("not valid TOML: ") + std::string(e.description()));
  }
  const toml::array* accounts = root["accounts"].as_array();
  if (accounts == nullptr || accounts->empty()) {
    return Bad(source, "needs at least one [[accounts]] table");
  }
  DevStsConfig out;
  std::set<std::string> keys;
  for (const auto& node : *accounts) {
    const toml::table* acct = node.as_table();
    if (acct == nullptr) return Bad(source, "[[accounts]] entries must be tables");
    auto id = (*acct)["id"].value<std::string>();
    if (!id || id->size() != 12 || id->find_first_not_of("0123456789") != std::string::npos) {
      return Bad(source, "an account id must be a 12-digit string");
    }
    out.accounts.push_back(*id);
    if (const toml::array* users = (*acct)["users"].as_array()) {
      for (const auto& un : *users) {
        const toml::table* u = un.as_table();
        if (u == nullptr) return Bad(source, "[[accounts.users]] entries must be tables");
        DevStsUser user;
        user.account = *id;
        user.name = (*u)["name"].value_or(std::string());
        user.path = (*u)["path"].value_or(std::string("/"));
        user.access_key_id = (*u)["access_key_id"].value_or(std::string());
        user.secret_access_key = (*u)["secret_access_key"].value_or(std::string());
        if (!ValidPath(user.path) || !ParseDevArn(user.Arn()).ok()) {
          return Bad(source, "user '" + user.name + "' has an invalid name or path");
        }
        if (user.access_key_id.size() < 16 || user.secret_access_key.size() < 16) {
          return Bad(source,
                     "user '" + user.name +
                         "' needs an access_key_id and a secret_access_key of 16+ characters");
        }
        if (!keys.insert(user.access_key_id).second) {
          return Bad(source, "access key id " + user.access_key_id + " is used twice");
        }
        out.users.push_back(std::move(user));
      }
    }
    if (const toml::array* roles = (*acct)["roles"].as_array()) {
      for (const auto& rn : *roles) {
        const toml::table* r = rn.as_table();
        if (r == nullptr) return Bad(source, "[[accounts.roles]] entries must be tables");
        DevStsRole role;
        role.account = *id;
        role.name = (*r)["name"].value_or(std::string());
        role.path = (*r)["path"].value_or(std::string("/"));
        if (!ValidPath(role.path) || !ParseDevArn(role.Arn()).ok()) {
          return Bad(source, "role '" + role.name + "' has an invalid name or path");
        }
        if (out.FindRoleByName(*id, role.name) != nullptr) {
          return Bad(source, "role '" + role.name + "' is defined twice in account " + *id);
        }
        WIFGATE_ASSIGN_OR_RETURN(role.trusted_principals,
                                 StringList(*r, "trusted_principals", source));
        WIFGATE_ASSIGN_OR_RETURN(role.trusted_issuers, StringList(*r, "trusted_issuers", source));
        out.roles.push_back(std::move(role));
      }
    }
  }
  return out;
}

}  // namespace wifgate::dev
