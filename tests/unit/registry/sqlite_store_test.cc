#include "registry/sqlite_store.h"

#include <gtest/gtest.h>

#include "registry/identity_rules.h"
#include "registry/sqlite_db.h"
#include "sync_counting_vfs.h"
#include "temp_dir.h"

namespace wifgate::registry {
namespace {

WorkloadIdentity AwsIdentity(std::string name, std::string arn) {
  IdentitySpec spec;
  spec.type = "AWS";
  spec.arn = std::move(arn);
  auto id = BuildIdentity(name, spec);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return *id;
}

Status AddUser(RegistryState& s, std::string name, std::vector<WorkloadIdentity> ids = {}) {
  User u;
  u.name = std::move(name);
  u.login_name = u.name;
  u.type = UserType::kService;
  u.identities = std::move(ids);
  s.users.push_back(std::move(u));
  return Status::Ok();
}

TEST(SqliteStoreTest, FreshStoreHasSystemRolesAndSchemaVersion) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto state = (*store)->Load();
  ASSERT_TRUE(state.ok());
  std::vector<std::string> names;
  for (const auto& r : state->roles) {
    EXPECT_TRUE(r.system);
    names.push_back(r.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"ACCOUNTADMIN", "PUBLIC", "SECURITYADMIN", "SYSADMIN",
                                             "USERADMIN"}));
  auto db = SqliteDb::Open(dir.path() + "/registry.db", false);
  ASSERT_TRUE(db.ok());
  auto q = db->Prepare("SELECT version FROM schema_version");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->Int(0), SqliteSchemaVersion());
  auto mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok() && *mode->Step());
  EXPECT_EQ(mode->Text(0), "wal");
}

TEST(SqliteStoreTest, AcknowledgedChangesSurviveReopen) {
  testing::TempDir dir;
  {
    auto store = OpenSqliteStore(dir.path());
    ASSERT_TRUE(store.ok());
    auto after = (*store)->Update([](RegistryState& s) {
      WIFGATE_RETURN_IF_ERROR(AddUser(
          s, "SVC", {AwsIdentity("DEFAULT", "arn:aws:iam::123456789012:role/service-role/r")}));
      s.users.back().grants.push_back(RoleGrant{"SYSADMIN", "local", 7});
      AuthenticationPolicy p;
      p.name = "P";
      p.allowed_providers = {verify::Provider::kAws};
      p.allowed_aws_accounts = {"123456789012"};
      s.policies.push_back(p);
      s.account_authentication_policy = "P";
      return Status::Ok();
    });
    ASSERT_TRUE(after.ok()) << after.status().ToString();
    EXPECT_NE(after->users[0].id, 0);
    EXPECT_NE(after->users[0].identities[0].id, 0);
  }
  auto store = OpenSqliteStore(dir.path());
  ASSERT_TRUE(store.ok());
  auto state = (*store)->Load();
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->users.size(), 1u);
  const User& u = state->users[0];
  EXPECT_EQ(u.name, "SVC");
  ASSERT_EQ(u.identities.size(), 1u);
  EXPECT_EQ(u.identities[0].arn, "arn:aws:iam::123456789012:role/service-role/r");
  EXPECT_EQ(u.identities[0].match_key, "aws-role:aws:123456789012:r");
  ASSERT_EQ(u.grants.size(), 1u);
  EXPECT_EQ(u.grants[0].role, "SYSADMIN");
  ASSERT_EQ(state->policies.size(), 1u);
  EXPECT_EQ(state->policies[0].allowed_providers, std::vector{verify::Provider::kAws});
  EXPECT_EQ(state->account_authentication_policy, "P");
}

TEST(SqliteStoreTest, FailedChangeWritesNothingAndKeepsVersion) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  ASSERT_TRUE(store.ok());
  auto v0 = (*store)->Version();
  ASSERT_TRUE(v0.ok());
  auto r = (*store)->Update([](RegistryState& s) {
    WIFGATE_RETURN_IF_ERROR(AddUser(s, "A"));
    return Status(Code::kInvalidArgument, "test.fail", "no");
  });
  EXPECT_EQ(r.status().reason(), "test.fail");
  EXPECT_EQ(*(*store)->Version(), *v0);
  EXPECT_TRUE((*store)->Load()->users.empty());
}

TEST(SqliteStoreTest, MatchKeyIsUniqueInTheDatabase) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  ASSERT_TRUE(store.ok());
  auto r = (*store)->Update([](RegistryState& s) {
    WIFGATE_RETURN_IF_ERROR(
        AddUser(s, "A", {AwsIdentity("DEFAULT", "arn:aws:iam::123456789012:role/R")}));
    return AddUser(s, "B", {AwsIdentity("DEFAULT", "arn:aws:iam::123456789012:role/path/r")});
  });
  EXPECT_EQ(r.status().reason(), "registry.constraint");
  EXPECT_TRUE((*store)->Load()->users.empty());
}

TEST(SqliteStoreTest, ReplacingAUserFreesItsIdentityKey) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  ASSERT_TRUE(store.ok());
  auto arn = "arn:aws:iam::123456789012:role/R";
  ASSERT_TRUE(
      (*store)
          ->Update([&](RegistryState& s) { return AddUser(s, "A", {AwsIdentity("DEFAULT", arn)}); })
          .ok());
  auto r = (*store)->Update([&](RegistryState& s) {
    s.users.clear();
    return AddUser(s, "A", {AwsIdentity("DEFAULT", arn)});
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*store)->Load()->users.size(), 1u);
}

TEST(SqliteStoreTest, SecondInstanceSeesCommitsAndVersionMoves) {
  testing::TempDir dir;
  auto a = OpenSqliteStore(dir.path());
  auto b = OpenSqliteStore(dir.path());
  ASSERT_TRUE(a.ok() && b.ok());
  auto v = (*b)->Version();
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE((*a)->Update([](RegistryState& s) { return AddUser(s, "X"); }).ok());
  EXPECT_GT(*(*b)->Version(), *v);
  EXPECT_EQ((*b)->Load()->users.size(), 1u);
  // Concurrent writers serialise: both increments land.
  ASSERT_TRUE((*b)->Update([](RegistryState& s) { return AddUser(s, "Y"); }).ok());
  EXPECT_EQ((*a)->Load()->users.size(), 2u);
}

TEST(SqliteStoreTest, LoginHistoryAndLastUsed) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  ASSERT_TRUE(store.ok());
  auto state = (*store)->Update([](RegistryState& s) {
    return AddUser(s, "A", {AwsIdentity("DEFAULT", "arn:aws:iam::123456789012:role/R")});
  });
  ASSERT_TRUE(state.ok());
  auto version = *(*store)->Version();
  LoginEvent ok;
  ok.event_timestamp = 1000;
  ok.user_name = "A";
  ok.first_authentication_factor = "WORKLOAD_IDENTITY";
  ok.is_success = true;
  ok.first_authentication_factor_id = state->users[0].identities[0].id;
  auto id1 = (*store)->RecordLogin(ok);
  ASSERT_TRUE(id1.ok()) << id1.status().ToString();
  LoginEvent bad;
  bad.event_timestamp = 1001;
  bad.first_authentication_factor = "WORKLOAD_IDENTITY";
  bad.error_code = "390144";
  bad.error_message = "no identity";
  auto id2 = (*store)->RecordLogin(bad);
  ASSERT_TRUE(id2.ok());
  EXPECT_GT(*id2, *id1);
  EXPECT_EQ(*(*store)->Version(), version);
  auto history = (*store)->LoginHistory();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_FALSE((*history)[1].user_name.has_value());
  EXPECT_EQ((*history)[1].error_message, "no identity");
  auto loaded = (*store)->Load();
  EXPECT_EQ(loaded->users[0].identities[0].last_used_on, 1000);
  EXPECT_EQ(loaded->users[0].last_success_login, 1000);
}

LoginEvent FailedLogin(int64_t when) {
  LoginEvent e;
  e.event_timestamp = when;
  e.first_authentication_factor = "WORKLOAD_IDENTITY";
  e.error_code = "390144";
  return e;
}

TEST(SqliteStoreTest, LoginRowsAreVisibleToOtherProcessesAtOnceInEitherSyncMode) {
  for (auto sync : {LoginHistorySync::kNormal, LoginHistorySync::kFull}) {
    testing::TempDir dir;
    auto server = OpenSqliteStore(dir.path(), {.login_history_sync = sync});
    auto shell = OpenSqliteStore(dir.path());
    ASSERT_TRUE(server.ok() && shell.ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE((*server)->RecordLogin(FailedLogin(1000 + i)).ok());
      auto seen = (*shell)->LoginHistory();
      ASSERT_TRUE(seen.ok()) << seen.status().ToString();
      ASSERT_EQ(seen->size(), static_cast<size_t>(i + 1));
      EXPECT_EQ(seen->back().event_timestamp, 1000 + i);
    }
  }
}

TEST(SqliteStoreTest, LoginHistorySyncDecidesTheFsyncsPerLogin) {
  testing::SyncCountingVfs vfs;  // outlives the stores below
  for (auto sync : {LoginHistorySync::kNormal, LoginHistorySync::kFull}) {
    testing::TempDir dir;
    auto store = OpenSqliteStore(dir.path(), {.login_history_sync = sync});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    int before = vfs.syncs();
    for (int i = 0; i < 5; ++i) ASSERT_TRUE((*store)->RecordLogin(FailedLogin(i)).ok());
    int login_syncs = vfs.syncs() - before;
    if (sync == LoginHistorySync::kFull) {
      EXPECT_GE(login_syncs, 5);
    } else {
      EXPECT_EQ(login_syncs, 0);
    }
    // A registry change is on disk before Update returns, whatever the login setting.
    before = vfs.syncs();
    ASSERT_TRUE((*store)->Update([](RegistryState& s) { return AddUser(s, "A"); }).ok());
    EXPECT_GE(vfs.syncs() - before, 1);
  }
}

TEST(SqliteStoreTest, ParsesTheLoginHistorySyncSetting) {
  EXPECT_EQ(ParseLoginHistorySync("normal"), LoginHistorySync::kNormal);
  EXPECT_EQ(ParseLoginHistorySync("full"), LoginHistorySync::kFull);
  EXPECT_FALSE(ParseLoginHistorySync("off").has_value());
  EXPECT_FALSE(ParseLoginHistorySync("").has_value());
}

TEST(SqliteStoreTest, AnotherWifgatesCommitMovesVersionAtOnce) {
  testing::TempDir dir;
  const SqliteStoreOptions no_recheck{.version_recheck = std::chrono::hours(1)};
  auto server = OpenSqliteStore(dir.path(), no_recheck);
  auto shell = OpenSqliteStore(dir.path(), no_recheck);
  ASSERT_TRUE(server.ok() && shell.ok());
  for (int i = 0; i < 3; ++i) {
    auto before = (*server)->Version();
    ASSERT_TRUE(before.ok());
    ASSERT_TRUE((*shell)
                    ->Update([i](RegistryState& s) { return AddUser(s, "U" + std::to_string(i)); })
                    .ok());
    EXPECT_EQ(*(*server)->Version(), *before + 1);
  }
  // The server's own commits move it too.
  auto before = *(*server)->Version();
  ASSERT_TRUE((*server)->Update([](RegistryState& s) { return AddUser(s, "MINE"); }).ok());
  EXPECT_EQ(*(*server)->Version(), before + 1);
}

TEST(SqliteStoreTest, AWriterThatSkipsTheCounterIsSeenAtTheNextRecheck) {
  testing::TempDir dir;
  auto cached = OpenSqliteStore(dir.path(), {.version_recheck = std::chrono::hours(1)});
  auto rechecking = OpenSqliteStore(dir.path(), {.version_recheck = std::chrono::milliseconds(0)});
  ASSERT_TRUE(cached.ok() && rechecking.ok());
  const uint64_t v = *(*cached)->Version();
  EXPECT_EQ(*(*rechecking)->Version(), v);
  {
    auto raw = SqliteDb::Open(dir.path() + "/registry.db", false);  // e.g. the sqlite3 shell
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE(raw->Exec("UPDATE meta SET value = value + 1 WHERE key = 'registry_version'").ok());
  }
  // Nothing moved the counter, and the last read is not due: no query, the old version.
  EXPECT_EQ(*(*cached)->Version(), v);
  // Due at once: the database is read.
  EXPECT_EQ(*(*rechecking)->Version(), v + 1);
}

TEST(SqliteStoreTest, RefusesNewerSchema) {
  testing::TempDir dir;
  ASSERT_TRUE(OpenSqliteStore(dir.path()).ok());
  {
    auto db = SqliteDb::Open(dir.path() + "/registry.db", false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("UPDATE schema_version SET version = 99").ok());
  }
  EXPECT_EQ(OpenSqliteStore(dir.path()).status().reason(), "registry.schema_too_new");
}

}  // namespace
}  // namespace wifgate::registry
