#include "registry/sqlite_store.h"

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "common/json.h"
#include "registry/shared_counter.h"
#include "registry/sqlite_db.h"

namespace wifgate::registry {
namespace {

namespace json = boost::json;

// Each entry upgrades the schema from version i to i+1; never edit a released entry.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES ('registry_version', 1);
CREATE TABLE account (id INTEGER PRIMARY KEY CHECK (id = 1),
                      authentication_policy TEXT NOT NULL);
INSERT INTO account VALUES (1, '');
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  login_name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('PERSON', 'SERVICE', 'LEGACY_SERVICE')),
  default_role TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  comment TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  rsa_public_key TEXT NOT NULL,
  authentication_policy TEXT NOT NULL,
  owner TEXT NOT NULL,
  created_on INTEGER NOT NULL,
  last_altered INTEGER NOT NULL,
  last_success_login INTEGER);
CREATE TABLE workload_identities (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('AWS', 'GCP', 'AZURE', 'OIDC')),
  arn TEXT NOT NULL,
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  audiences TEXT NOT NULL,
  match_key TEXT NOT NULL UNIQUE,
  disabled INTEGER NOT NULL,
  comment TEXT NOT NULL,
  created_on INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  last_altered INTEGER NOT NULL,
  last_altered_by TEXT NOT NULL,
  last_used_on INTEGER,
  UNIQUE (user_id, name));
CREATE TABLE roles (
  name TEXT PRIMARY KEY,
  comment TEXT NOT NULL,
  is_system INTEGER NOT NULL,
  owner TEXT NOT NULL,
  created_on INTEGER NOT NULL);
INSERT INTO roles SELECT column1, '', 1, '', CAST(strftime('%s', 'now') AS INTEGER) FROM
  (VALUES ('ACCOUNTADMIN'), ('SECURITYADMIN'), ('USERADMIN'), ('SYSADMIN'), ('PUBLIC'));
CREATE TABLE role_grants (
  role TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  granted_by TEXT NOT NULL,
  created_on INTEGER NOT NULL,
  PRIMARY KEY (role, user_id));
CREATE TABLE authentication_policies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  authentication_methods TEXT NOT NULL,
  allowed_providers TEXT NOT NULL,
  allowed_aws_accounts TEXT NOT NULL,
  allowed_azure_issuers TEXT NOT NULL,
  allowed_oidc_issuers TEXT NOT NULL,
  comment TEXT NOT NULL,
  owner TEXT NOT NULL,
  created_on INTEGER NOT NULL,
  last_altered INTEGER NOT NULL);
CREATE TABLE login_history (
  event_id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_timestamp INTEGER NOT NULL,
  user_name TEXT,
  client_ip TEXT NOT NULL,
  reported_client_type TEXT NOT NULL,
  reported_client_version TEXT NOT NULL,
  first_authentication_factor TEXT NOT NULL,
  is_success INTEGER NOT NULL,
  error_code TEXT,
  error_message TEXT,
  first_authentication_factor_id INTEGER,
  login_details TEXT NOT NULL);
)sql",
};

std::string ListToJson(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return ToJson(a);
}

Result<std::vector<std::string>> ListFromJson(const std::string& text) {
  WIFGATE_ASSIGN_OR_RETURN(json::value v, ParseStrictJson(text));
  std::vector<std::string> out;
  if (!v.is_array()) {
    return Status(Code::kInternal, "registry.corrupt", "a stored list is not a JSON array");
  }
  for (const auto& e : v.as_array()) {
    if (!e.is_string()) {
      return Status(Code::kInternal, "registry.corrupt", "a stored list holds a non-string");
    }
    out.emplace_back(e.as_string());
  }
  return out;
}

std::vector<std::string> ProviderNames(const std::vector<verify::Provider>& ps) {
  std::vector<std::string> out;
  for (auto p : ps) out.emplace_back(verify::ProviderName(p));
  return out;
}

Status Corrupt(std::string what) {
  return Status(Code::kInternal, "registry.corrupt",
                "the registry database holds an invalid value: " + what);
}

constexpr std::string_view kReadVersion = "SELECT value FROM meta WHERE key = 'registry_version'";

class SqliteStore : public Store {
 public:
  SqliteStore(SqliteDb db, std::unique_ptr<SharedCounter> changes,
              std::chrono::milliseconds version_recheck)
      : db_(std::move(db)), changes_(std::move(changes)), version_recheck_(version_recheck) {}

  // Version() reads on its own connection so that the login path's freshness check never
  // waits behind a write on the main one; login rows are written on theirs, with their own
  // durability setting.
  void SetVersionConnection(SqliteDb db) { version_db_ = std::move(db); }
  void SetHistoryConnection(SqliteDb db) { history_db_ = std::move(db); }

  Status Migrate();

  Result<RegistryState> Load() override {
    std::lock_guard lock(mu_);
    WIFGATE_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_, "DEFERRED"));
    WIFGATE_ASSIGN_OR_RETURN(RegistryState state, LoadLocked());
    WIFGATE_RETURN_IF_ERROR(txn->Commit());
    return state;
  }

  // Called before every login. While the shared change counter has not moved since the
  // last read and that read is younger than version_recheck_, the version read then is
  // still the version: no query, no lock.
  Result<uint64_t> Version() override {
    if (uint64_t version; FreshVersion(changes_->Load(), &version)) return version;
    std::lock_guard lock(version_mu_);
    // Read before the query: a change committed while it runs moves the counter past this.
    const uint64_t changes = changes_->Load();
    if (uint64_t version; FreshVersion(changes, &version)) return version;  // a peer just read
    WIFGATE_ASSIGN_OR_RETURN(uint64_t version, ReadVersion(version_db_));
    version_.store(version, std::memory_order_relaxed);
    checked_changes_.store(changes, std::memory_order_release);
    recheck_at_.store(SteadyNow() + version_recheck_.count() * 1000000, std::memory_order_release);
    return version;
  }

  Result<RegistryState> Update(const Change& change) override {
    std::lock_guard lock(mu_);
    WIFGATE_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_, "IMMEDIATE"));
    WIFGATE_ASSIGN_OR_RETURN(RegistryState before, LoadLocked());
    RegistryState after = before;
    WIFGATE_RETURN_IF_ERROR(change(after));
    WIFGATE_RETURN_IF_ERROR(WriteDiff(before, after));
    WIFGATE_RETURN_IF_ERROR(
        db_.Exec("UPDATE meta SET value = value + 1 WHERE key = 'registry_version'"));
    WIFGATE_ASSIGN_OR_RETURN(after.version, VersionLocked());
    WIFGATE_RETURN_IF_ERROR(txn->Commit());
    changes_->Increment();
    return after;
  }

  // The login hot path: statements compiled once on the history connection.
  Result<int64_t> RecordLogin(const LoginEvent& e) override {
    std::lock_guard lock(history_mu_);
    WIFGATE_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(history_db_, "IMMEDIATE"));
    WIFGATE_ASSIGN_OR_RETURN(
        auto insert,
        history_db_.PrepareCached(
            "INSERT INTO login_history (event_timestamp, user_name, client_ip, "
            "reported_client_type, reported_client_version, first_authentication_factor, "
            "is_success, error_code, error_message, first_authentication_factor_id, "
            "login_details) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    insert.Bind(1, e.event_timestamp)
        .Bind(2, e.user_name)
        .Bind(3, e.client_ip)
        .Bind(4, e.reported_client_type)
        .Bind(5, e.reported_client_version)
        .Bind(6, e.first_authentication_factor)
        .Bind(7, int64_t{e.is_success})
        .Bind(8, e.error_code)
        .Bind(9, e.error_message)
        .Bind(10, e.first_authentication_factor_id)
        .Bind(11, e.login_details);
    WIFGATE_RETURN_IF_ERROR(insert.Run());
    int64_t event_id = history_db_.LastInsertRowId();
    if (e.is_success && e.first_authentication_factor_id) {
      WIFGATE_ASSIGN_OR_RETURN(auto touch,
                               history_db_.PrepareCached(
                                   "UPDATE workload_identities SET last_used_on = ? WHERE id = ?"));
      touch.Bind(1, e.event_timestamp).Bind(2, *e.first_authentication_factor_id);
      WIFGATE_RETURN_IF_ERROR(touch.Run());
    }
    if (e.is_success && e.user_name) {
      WIFGATE_ASSIGN_OR_RETURN(
          auto touch,
          history_db_.PrepareCached("UPDATE users SET last_success_login = ? WHERE name = ?"));
      touch.Bind(1, e.event_timestamp).Bind(2, *e.user_name);
      WIFGATE_RETURN_IF_ERROR(touch.Run());
    }
    WIFGATE_RETURN_IF_ERROR(txn->Commit());
    return event_id;
  }

  Result<std::vector<LoginEvent>> LoginHistory() override {
    std::lock_guard lock(mu_);
    WIFGATE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("SELECT event_id, event_timestamp, user_name, client_ip, "
                            "reported_client_type, reported_client_version, "
                            "first_authentication_factor, is_success, error_code, error_message, "
                            "first_authentication_factor_id, login_details FROM login_history "
                            "ORDER BY event_id"));
    std::vector<LoginEvent> out;
    while (true) {
      WIFGATE_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      LoginEvent e;
      e.event_id = q.Int(0);
      e.event_timestamp = q.Int(1);
      e.user_name = q.OptionalText(2);
      e.client_ip = q.Text(3);
      e.reported_client_type = q.Text(4);
      e.reported_client_version = q.Text(5);
      e.first_authentication_factor = q.Text(6);
      e.is_success = q.Int(7) != 0;
      e.error_code = q.OptionalText(8);
      e.error_message = q.OptionalText(9);
      e.first_authentication_factor_id = q.OptionalInt(10);
      e.login_details = q.Text(11);
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  static int64_t SteadyNow() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  // The version last read, if nothing can have changed since: the counter is where it was
  // before that read, and the read is recent enough for writers that do not move it.
  bool FreshVersion(uint64_t changes, uint64_t* version) const {
    if (changes != checked_changes_.load(std::memory_order_acquire)) return false;
    if (SteadyNow() >= recheck_at_.load(std::memory_order_acquire)) return false;
    *version = version_.load(std::memory_order_relaxed);
    return true;
  }

  static Result<uint64_t> ReadVersion(SqliteDb& db) {
    WIFGATE_ASSIGN_OR_RETURN(auto q, db.PrepareCached(kReadVersion));
    WIFGATE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return Corrupt("meta.registry_version is missing");
    return static_cast<uint64_t>(q.Int(0));
  }
  Result<uint64_t> VersionLocked() { return ReadVersion(db_); }

  Result<RegistryState> LoadLocked();
  Status LoadIdentities(std::map<int64_t, User*>& by_id);
  Status LoadGrants(std::map<int64_t, User*>& by_id);
  Status WriteDiff(RegistryState& before, RegistryState& after);
  Status WriteUser(User& u, bool insert);
  Status WriteIdentity(int64_t user_id, WorkloadIdentity& id, bool insert);
  Status WritePolicy(AuthenticationPolicy& p, bool insert);

  std::mutex mu_;
  SqliteDb db_;
  const std::unique_ptr<SharedCounter> changes_;  // raised after every committed Update
  const std::chrono::milliseconds version_recheck_;
  std::mutex version_mu_;  // serialises reads on version_db_
  SqliteDb version_db_;
  // The last read: the version, the counter as it stood before it, and when it is due
  // again (steady-clock nanoseconds; 0 before the first read).
  std::atomic<uint64_t> version_{0};
  std::atomic<uint64_t> checked_changes_{0};
  std::atomic<int64_t> recheck_at_{0};
  std::mutex history_mu_;
  SqliteDb history_db_;
};

Status SqliteStore::Migrate() {
  std::lock_guard lock(mu_);
  WIFGATE_RETURN_IF_ERROR(
      db_.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
  const int latest = static_cast<int>(std::size(kMigrations));
  while (true) {
    WIFGATE_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_, "IMMEDIATE"));
    WIFGATE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT max(version) FROM schema_version"));
    WIFGATE_ASSIGN_OR_RETURN(bool row, q.Step());
    int current = row && !q.IsNull(0) ? static_cast<int>(q.Int(0)) : 0;
    if (current > latest) {
      return Status(Code::kFailedPrecondition, "registry.schema_too_new",
                    "the registry database has schema version " + std::to_string(current) +
                        " but this wifgate knows only up to " + std::to_string(latest) +
                        "; run a newer wifgate on this data directory");
    }
    if (current == latest) return txn->Commit();
    WIFGATE_RETURN_IF_ERROR(db_.Exec(kMigrations[current]));
    WIFGATE_RETURN_IF_ERROR(
        db_.Exec("DELETE FROM schema_version; INSERT INTO schema_version VALUES (" +
                 std::to_string(current + 1) + ")"));
    WIFGATE_RETURN_IF_ERROR(txn->Commit());
  }
}

Result<RegistryState> SqliteStore::LoadLocked() {
  RegistryState state;
  WIFGATE_ASSIGN_OR_RETURN(state.version, VersionLocked());
  {
    WIFGATE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT authentication_policy FROM account"));
    WIFGATE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return Corrupt("the account row is missing");
    state.account_authentication_policy = q.Text(0);
  }
  {
    WIFGATE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("SELECT id, name, login_name, display_name, email, type, "
                            "default_role, disabled, comment, password_hash, rsa_public_key, "
                            "authentication_policy, owner, created_on, last_altered, "
                            "last_success_login FROM users ORDER BY name"));
    while (true) {
      WIFGATE_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      User u;
      u.id = q.Int(0);
      u.name = q.Text(1);
      u.login_name = q.Text(2);
      u.display_name = q.Text(3);
      u.email = q.Text(4);
      auto type = ParseUserType(q.Text(5));
      if (!type) return Corrupt("users.type '" + q.Text(5) + "'");
      u.type = *type;
      u.default_role = q.Text(6);
      u.disabled = q.Int(7) != 0;
      u.comment = q.Text(8);
      u.password_hash = q.Text(9);
      u.rsa_public_key = q.Text(10);
      u.authentication_policy = q.Text(11);
      u.owner = q.Text(12);
      u.created_on = q.Int(13);
      u.last_altered = q.Int(14);
      u.last_success_login = q.OptionalInt(15);
      state.users.push_back(std::move(u));
    }
  }
  std::map<int64_t, User*> by_id;
  for (auto& u : state.users) by_id[u.id] = &u;
  WIFGATE_RETURN_IF_ERROR(LoadIdentities(by_id));
  WIFGATE_RETURN_IF_ERROR(LoadGrants(by_id));
  {
    WIFGATE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("SELECT name, comment, is_system, owner, created_on FROM roles "
                            "ORDER BY name"));
    while (true) {
      WIFGATE_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      state.roles.push_back(Role{q.Text(0), q.Text(1), q.Int(2) != 0, q.Text(3), q.Int(4)});
    }
  }
  {
    WIFGATE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("SELECT id, name, authentication_methods, allowed_providers, "
                            "allowed_aws_accounts, allowed_azure_issuers, allowed_oidc_issuers, "
                            "comment, owner, created_on, last_altered "
                            "FROM authentication_policies ORDER BY name"));
    while (true) {
      WIFGATE_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      AuthenticationPolicy p;
      p.id = q.Int(0);
      p.name = q.Text(1);
      WIFGATE_ASSIGN_OR_RETURN(p.authentication_methods, ListFromJson(q.Text(2)));
      WIFGATE_ASSIGN_OR_RETURN(auto providers, ListFromJson(q.Text(3)));
      for (const auto& name : providers) {
        auto provider = verify::ParseProvider(name);
        if (!provider) return Corrupt("allowed provider '" + name + "'");
        p.allowed_providers.push_back(*provider);
      }
      WIFGATE_ASSIGN_OR_RETURN(p.allowed_aws_accounts, ListFromJson(q.Text(4)));
      WIFGATE_ASSIGN_OR_RETURN(p.allowed_azure_issuers, ListFromJson(q.Text(5)));
      WIFGATE_ASSIGN_OR_RETURN(p.allowed_oidc_issuers, ListFromJson(q.Text(6)));
      p.comment = q.Text(7);
      p.owner = q.Text(8);
      p.created_on = q.Int(9);
      p.last_altered = q.Int(10);
      state.policies.push_back(std::move(p));
    }
  }
  return state;
}

Status SqliteStore::LoadIdentities(std::map<int64_t, User*>& by_id) {
  WIFGATE_ASSIGN_OR_RETURN(
      auto q, db_.Prepare("SELECT id, user_id, name, type, arn, issuer, subject, audiences, "
                          "match_key, disabled, comment, created_on, created_by, last_altered, "
                          "last_altered_by, last_used_on FROM workload_identities ORDER BY id"));
  while (true) {
    WIFGATE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return Status::Ok();
    WorkloadIdentity w;
    w.id = q.Int(0);
    auto owner = by_id.find(q.Int(1));
    if (owner == by_id.end()) return Corrupt("workload identity without a user");
    w.name = q.Text(2);
    auto type = verify::ParseProvider(q.Text(3));
    if (!type) return Corrupt("workload_identities.type '" + q.Text(3) + "'");
    w.type = *type;
    w.arn = q.Text(4);
    w.issuer = q.Text(5);
    w.subject = q.Text(6);
    WIFGATE_ASSIGN_OR_RETURN(w.audiences, ListFromJson(q.Text(7)));
    w.match_key = q.Text(8);
    w.disabled = q.Int(9) != 0;
    w.comment = q.Text(10);
    w.created_on = q.Int(11);
    w.created_by = q.Text(12);
    w.last_altered = q.Int(13);
    w.last_altered_by = q.Text(14);
    w.last_used_on = q.OptionalInt(15);
    owner->second->identities.push_back(std::move(w));
  }
}

Status SqliteStore::LoadGrants(std::map<int64_t, User*>& by_id) {
  WIFGATE_ASSIGN_OR_RETURN(auto q, db_.Prepare("SELECT user_id, role, granted_by, created_on "
                                               "FROM role_grants ORDER BY created_on, role"));
  while (true) {
    WIFGATE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return Status::Ok();
    auto owner = by_id.find(q.Int(0));
    if (owner == by_id.end()) return Corrupt("role grant without a user");
    owner->second->grants.push_back(RoleGrant{q.Text(1), q.Text(2), q.Int(3)});
  }
}

Status SqliteStore::WriteUser(User& u, bool insert) {
  WIFGATE_ASSIGN_OR_RETURN(
      auto q,
      db_.Prepare(insert ? "INSERT INTO users (name, login_name, display_name, email, type, "
                           "default_role, disabled, comment, password_hash, rsa_public_key, "
                           "authentication_policy, owner, created_on, last_altered, "
                           "last_success_login) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                         : "UPDATE users SET name=?, login_name=?, display_name=?, email=?, "
                           "type=?, default_role=?, disabled=?, comment=?, password_hash=?, "
                           "rsa_public_key=?, authentication_policy=?, owner=?, created_on=?, "
                           "last_altered=?, last_success_login=? WHERE id=?"));
  q.Bind(1, u.name)
      .Bind(2, u.login_name)
      .Bind(3, u.display_name)
      .Bind(4, u.email)
      .Bind(5, UserTypeName(u.type))
      .Bind(6, u.default_role)
      .Bind(7, int64_t{u.disabled})
      .Bind(8, u.comment)
      .Bind(9, u.password_hash)
      .Bind(10, u.rsa_public_key)
      .Bind(11, u.authentication_policy)
      .Bind(12, u.owner)
      .Bind(13, u.created_on)
      .Bind(14, u.last_altered)
      .Bind(15, u.last_success_login);
  if (!insert) q.Bind(16, u.id);
  WIFGATE_RETURN_IF_ERROR(q.Run());
  if (insert) u.id = db_.LastInsertRowId();
  return Status::Ok();
}

Status SqliteStore::WriteIdentity(int64_t user_id, WorkloadIdentity& w, bool insert) {
  WIFGATE_ASSIGN_OR_RETURN(
      auto q,
      db_.Prepare(insert ? "INSERT INTO workload_identities (user_id, name, type, arn, issuer, "
                           "subject, audiences, match_key, disabled, comment, created_on, "
                           "created_by, last_altered, last_altered_by, last_used_on) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                         : "UPDATE workload_identities SET user_id=?, name=?, type=?, arn=?, "
                           "issuer=?, subject=?, audiences=?, match_key=?, disabled=?, "
                           "comment=?, created_on=?, created_by=?, last_altered=?, "
                           "last_altered_by=?, last_used_on=? WHERE id=?"));
  q.Bind(1, user_id)
      .Bind(2, w.name)
      .Bind(3, verify::ProviderName(w.type))
      .Bind(4, w.arn)
      .Bind(5, w.issuer)
      .Bind(6, w.subject)
      .Bind(7, ListToJson(w.audiences))
      .Bind(8, w.match_key)
      .Bind(9, int64_t{w.disabled})
      .Bind(10, w.comment)
      .Bind(11, w.created_on)
      .Bind(12, w.created_by)
      .Bind(13, w.last_altered)
      .Bind(14, w.last_altered_by)
      .Bind(15, w.last_used_on);
  if (!insert) q.Bind(16, w.id);
  WIFGATE_RETURN_IF_ERROR(q.Run());
  if (insert) w.id = db_.LastInsertRowId();
  return Status::Ok();
}

Status SqliteStore::WritePolicy(AuthenticationPolicy& p, bool insert) {
  WIFGATE_ASSIGN_OR_RETURN(
      auto q, db_.Prepare(insert ? "INSERT INTO authentication_policies (name, "
                                   "authentication_methods, allowed_providers, "
                                   "allowed_aws_accounts, allowed_azure_issuers, "
                                   "allowed_oidc_issuers, comment, owner, created_on, "
                                   "last_altered) VALUES (?,?,?,?,?,?,?,?,?,?)"
                                 : "UPDATE authentication_policies SET name=?, "
                                   "authentication_methods=?, allowed_providers=?, "
                                   "allowed_aws_accounts=?, allowed_azure_issuers=?, "
                                   "allowed_oidc_issuers=?, comment=?, owner=?, created_on=?, "
                                   "last_altered=? WHERE id=?"));
  q.Bind(1, p.name)
      .Bind(2, ListToJson(p.authentication_methods))
      .Bind(3, ListToJson(ProviderNames(p.allowed_providers)))
      .Bind(4, ListToJson(p.allowed_aws_accounts))
      .Bind(5, ListToJson(p.allowed_azure_issuers))
      .Bind(6, ListToJson(p.allowed_oidc_issuers))
      .Bind(7, p.comment)
      .Bind(8, p.owner)
      .Bind(9, p.created_on)
      .Bind(10, p.last_altered);
  if (!insert) q.Bind(11, p.id);
  WIFGATE_RETURN_IF_ERROR(q.Run());
  if (insert) p.id = db_.LastInsertRowId();
  return Status::Ok();
}

// Deletes first (so that a replaced identity frees its match key), then updates, then
// inserts; ids of inserted rows are written back into `after`.
Status SqliteStore::WriteDiff(RegistryState& before, RegistryState& after) {
  std::map<int64_t, const User*> old_users;
  for (const auto& u : before.users) old_users[u.id] = &u;
  std::set<int64_t> kept_users, kept_identities;
  for (const auto& u : after.users) {
    if (u.id != 0) kept_users.insert(u.id);
    for (const auto& w : u.identities) {
      if (w.id != 0) kept_identities.insert(w.id);
    }
  }
  auto exec_id = [&](const char* sql, int64_t id) -> Status {
    WIFGATE_ASSIGN_OR_RETURN(auto q, db_.Prepare(sql));
    q.Bind(1, id);
    return q.Run();
  };
  for (const auto& u : before.users) {
    if (!kept_users.count(u.id)) {
      WIFGATE_RETURN_IF_ERROR(exec_id("DELETE FROM users WHERE id = ?", u.id));
      continue;
    }
    for (const auto& w : u.identities) {
      if (!kept_identities.count(w.id)) {
        WIFGATE_RETURN_IF_ERROR(exec_id("DELETE FROM workload_identities WHERE id = ?", w.id));
      }
    }
  }
  std::set<int64_t> kept_policies;
  for (const auto& p : after.policies) kept_policies.insert(p.id);
  for (const auto& p : before.policies) {
    if (!kept_policies.count(p.id)) {
      WIFGATE_RETURN_IF_ERROR(exec_id("DELETE FROM authentication_policies WHERE id = ?", p.id));
    }
  }
  std::set<std::string> kept_roles;
  for (const auto& r : after.roles) kept_roles.insert(r.name);
  for (const auto& r : before.roles) {
    if (kept_roles.count(r.name)) continue;
    WIFGATE_ASSIGN_OR_RETURN(auto q, db_.Prepare("DELETE FROM roles WHERE name = ?"));
    q.Bind(1, r.name);
    WIFGATE_RETURN_IF_ERROR(q.Run());
  }

  for (auto& r : after.roles) {
    const Role* old = before.FindRole(r.name);
    if (old != nullptr && *old == r) continue;
    WIFGATE_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("INSERT INTO roles VALUES (?,?,?,?,?) ON CONFLICT (name) DO UPDATE "
                            "SET comment = excluded.comment, owner = excluded.owner"));
    q.Bind(1, r.name).Bind(2, r.comment).Bind(3, int64_t{r.system}).Bind(4, r.owner);
    q.Bind(5, r.created_on);
    WIFGATE_RETURN_IF_ERROR(q.Run());
  }
  std::map<int64_t, const AuthenticationPolicy*> old_policies;
  for (const auto& p : before.policies) old_policies[p.id] = &p;
  for (auto& p : after.policies) {
    auto old = old_policies.find(p.id);
    if (p.id != 0 && old != old_policies.end() && *old->second == p) continue;
    WIFGATE_RETURN_IF_ERROR(WritePolicy(p, p.id == 0));
  }
  if (before.account_authentication_policy != after.account_authentication_policy) {
    WIFGATE_ASSIGN_OR_RETURN(auto q, db_.Prepare("UPDATE account SET authentication_policy = ?"));
    q.Bind(1, after.account_authentication_policy);
    WIFGATE_RETURN_IF_ERROR(q.Run());
  }

  for (auto& u : after.users) {
    auto old_it = old_users.find(u.id);
    const User* old = u.id != 0 && old_it != old_users.end() ? old_it->second : nullptr;
    if (old != nullptr && *old == u) continue;
    User row = u;  // compare rows without children
    row.identities.clear();
    row.grants.clear();
    User old_row;
    if (old != nullptr) {
      old_row = *old;
      old_row.identities.clear();
      old_row.grants.clear();
    }
    if (old == nullptr || !(old_row == row)) {
      WIFGATE_RETURN_IF_ERROR(WriteUser(u, old == nullptr));
    }
    std::map<int64_t, const WorkloadIdentity*> old_ids;
    if (old != nullptr) {
      for (const auto& w : old->identities) old_ids[w.id] = &w;
    }
    for (auto& w : u.identities) {
      auto o = old_ids.find(w.id);
      if (w.id != 0 && o != old_ids.end() && *o->second == w) continue;
      WIFGATE_RETURN_IF_ERROR(WriteIdentity(u.id, w, w.id == 0 || o == old_ids.end()));
    }
    std::set<std::string> new_roles;
    for (const auto& g : u.grants) new_roles.insert(g.role);
    if (old != nullptr) {
      for (const auto& g : old->grants) {
        if (new_roles.count(g.role)) continue;
        WIFGATE_ASSIGN_OR_RETURN(
            auto q, db_.Prepare("DELETE FROM role_grants WHERE role = ? AND user_id = ?"));
        q.Bind(1, g.role).Bind(2, u.id);
        WIFGATE_RETURN_IF_ERROR(q.Run());
      }
    }
    for (const auto& g : u.grants) {
      WIFGATE_ASSIGN_OR_RETURN(auto q, db_.Prepare("INSERT INTO role_grants VALUES (?,?,?,?) "
                                                   "ON CONFLICT (role, user_id) DO NOTHING"));
      q.Bind(1, g.role).Bind(2, u.id).Bind(3, g.granted_by).Bind(4, g.created_on);
      WIFGATE_RETURN_IF_ERROR(q.Run());
    }
  }
  return Status::Ok();
}

}  // namespace

int SqliteSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

std::optional<LoginHistorySync> ParseLoginHistorySync(std::string_view text) {
  if (text == "normal") return LoginHistorySync::kNormal;
  if (text == "full") return LoginHistorySync::kFull;
  return std::nullopt;
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& data_dir,
                                               const SqliteStoreOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return Status(Code::kFailedPrecondition, "registry.data_dir",
                  "cannot create the data directory " + data_dir + ": " + ec.message());
  }
  std::string path = (std::filesystem::path(data_dir) / "registry.db").string();
  auto open = [&](LoginHistorySync sync) -> Result<SqliteDb> {
    WIFGATE_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::Open(path, /*create=*/true));
    WIFGATE_RETURN_IF_ERROR(
        db.Exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms)));
    WIFGATE_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode = WAL"));
    WIFGATE_RETURN_IF_ERROR(db.Exec(sync == LoginHistorySync::kFull
                                        ? "PRAGMA synchronous = FULL"
                                        : "PRAGMA synchronous = NORMAL"));
    WIFGATE_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON"));
    return db;
  };
  WIFGATE_ASSIGN_OR_RETURN(SqliteDb db, open(LoginHistorySync::kFull));
  WIFGATE_ASSIGN_OR_RETURN(auto changes, SharedCounter::Open(path + "-changes"));
  auto store =
      std::make_unique<SqliteStore>(std::move(db), std::move(changes), options.version_recheck);
  WIFGATE_RETURN_IF_ERROR(store->Migrate());
  WIFGATE_ASSIGN_OR_RETURN(SqliteDb version_db, open(LoginHistorySync::kFull));
  store->SetVersionConnection(std::move(version_db));
  WIFGATE_ASSIGN_OR_RETURN(SqliteDb history_db, open(options.login_history_sync));
  store->SetHistoryConnection(std::move(history_db));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace wifgate::registry
