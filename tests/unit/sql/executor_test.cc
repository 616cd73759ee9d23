#include "sql/executor.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "fake_env.h"
#include "registry/login_history.h"
#include "registry/policy.h"
#include "registry/resolver.h"
#include "registry/sqlite_store.h"
#include "sql/errors.h"
#include "sql/executor_harness.h"

namespace wifgate::sql {
namespace {

// A session of `user` in account ACCT with `role`, `database` and a statement timeout.
SessionContext Context(std::string user, std::string role, std::string database,
                       std::chrono::milliseconds timeout) {
  SessionContext c;
  c.user = std::move(user);
  c.role = std::move(role);
  c.account = "ACCT";
  c.database = std::move(database);
  c.statement_timeout = timeout;
  return c;
}

class ExecutorTest : public testing::ExecutorHarness {
 protected:
  ResultSet Ok(std::string_view sql, SessionContext ctx = SessionContext::LocalAdmin()) {
    auto r = executor_->Execute(ctx, sql);
    EXPECT_TRUE(r.ok()) << sql << "\n" << r.status().ToString();
    return r.ok() ? *r : ResultSet{};
  }
  Status Err(std::string_view sql, SessionContext ctx = SessionContext::LocalAdmin()) {
    auto r = executor_->Execute(ctx, sql);
    EXPECT_FALSE(r.ok()) << sql;
    return r.status();
  }
  static std::string Col(const ResultSet& rs, size_t row, std::string_view name) {
    for (size_t i = 0; i < rs.columns.size(); ++i) {
      if (rs.columns[i].name == name) return CellText(rs.rows.at(row)[i], rs.columns[i].type);
    }
    ADD_FAILURE() << "no column " << name;
    return {};
  }
  static std::vector<std::string> Names(const ResultSet& rs) {
    std::vector<std::string> out;
    for (const auto& c : rs.columns) out.push_back(c.name);
    return out;
  }
};

constexpr const char* kLambdaUser =
    "CREATE USER lambda_svc TYPE = SERVICE DEFAULT_ROLE = etl WORKLOAD_IDENTITY = ( TYPE = AWS "
    "ARN = 'arn:aws:iam::123456789012:role/service-role/my-fn-role-abc' )";

TEST_F(ExecutorTest, ServiceRolePathEndToEnd) {
  auto created = Ok(kLambdaUser);
  EXPECT_EQ(Col(created, 0, "status"), "User LAMBDA_SVC successfully created.");
  verify::VerifiedIdentity v;
  v.provider = verify::Provider::kAws;
  v.aws = verify::AwsPrincipal{"aws",
                               "123456789012",
                               verify::AwsPrincipalType::kRole,
                               "my-fn-role-abc",
                               "/",
                               "my-fn",
                               "arn:aws:sts::123456789012:assumed-role/my-fn-role-abc/my-fn"};
  auto snap = registry_->Current();
  ASSERT_TRUE(snap.ok());
  auto p = registry::Resolve(*snap, v);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->user->name, "LAMBDA_SVC");
  EXPECT_TRUE(registry::CheckWorkloadLogin(*p, v).ok());

  auto show = Ok("SHOW USER WORKLOAD IDENTITY AUTHENTICATION METHODS FOR USER lambda_svc");
  EXPECT_EQ(Names(show), (std::vector<std::string>{"name", "type", "comment", "last_used",
                                                   "created_on", "additional_info"}));
  ASSERT_EQ(show.rows.size(), 1u);
  EXPECT_EQ(Col(show, 0, "name"), "DEFAULT");
  auto info = ParseStrictJson(Col(show, 0, "additional_info"));
  ASSERT_TRUE(info.ok());
  const auto& o = info->as_object();
  EXPECT_EQ(o.at("awsPartition").as_string(), "aws");
  EXPECT_EQ(o.at("awsAccount").as_string(), "123456789012");
  EXPECT_EQ(o.at("type").as_string(), "IAM_ROLE");
  EXPECT_EQ(o.at("iamRole").as_string(), "my-fn-role-abc");
  EXPECT_EQ(o.at("iamPath").as_string(), "/service-role/");

  auto desc = Ok("DESC USER lambda_svc");
  std::map<std::string, std::string> props;
  for (size_t i = 0; i < desc.rows.size(); ++i)
    props[Col(desc, i, "property")] = Col(desc, i, "value");
  EXPECT_EQ(props["HAS_WORKLOAD_IDENTITY"], "true");
  EXPECT_EQ(props["WORKLOAD_IDENTITY.DEFAULT.ARN"],
            "arn:aws:iam::123456789012:role/service-role/my-fn-role-abc");
  EXPECT_EQ(props["WORKLOAD_IDENTITY.DEFAULT.MATCH_KEY"],
            "aws-role:aws:123456789012:my-fn-role-abc");
  EXPECT_EQ(props["WORKLOAD_IDENTITY.DEFAULT.DISABLED"], "false");
  EXPECT_EQ(props["WORKLOAD_IDENTITY.DEFAULT.LAST_USED"], "NULL");
  EXPECT_EQ(props["TYPE"], "SERVICE");
  EXPECT_EQ(props["DEFAULT_ROLE"], "ETL");
}

TEST_F(ExecutorTest, DuplicateIdentityIsRefusedNamingTheHolder) {
  Ok(kLambdaUser);
  auto s =
      Err("CREATE USER other TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AWS ARN = "
          "'arn:aws:iam::123456789012:role/My-Fn-Role-ABC')");
  EXPECT_EQ(s.reason(), "sql.duplicate_identity");
  EXPECT_EQ(SqlErrorCode(s), "099706");
  EXPECT_NE(s.message().find("user LAMBDA_SVC"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("IAM role 'My-Fn-Role-ABC'"), std::string::npos);
  EXPECT_EQ(Ok("SHOW USERS").rows.size(), 1u);  // nothing half-applied
  Ok("CREATE USER other TYPE = SERVICE");
  auto add =
      Err("ALTER USER other ADD WORKLOAD IDENTITY x TYPE = AWS ARN = "
          "'arn:aws:sts::123456789012:assumed-role/my-fn-role-abc/sess'");
  EXPECT_EQ(add.reason(), "sql.duplicate_identity");
  Ok("CREATE USER gh TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'https://i' "
     "SUBJECT = 's')");
  auto oidc =
      Err("ALTER USER other ADD WORKLOAD IDENTITY y TYPE = OIDC ISSUER = 'https://i' "
          "SUBJECT = 's'");
  EXPECT_NE(oidc.message().find("Issuer 'https://i' and Subject 's' already exists"),
            std::string::npos)
      << oidc.message();
}

TEST_F(ExecutorTest, PropertyErrorsNameValidChoices) {
  auto s = Err("CREATE USER u TYPE = SERVICE COLOUR = 'red'");
  EXPECT_EQ(s.reason(), "sql.invalid_property");
  EXPECT_NE(s.message().find("valid properties: LOGIN_NAME"), std::string::npos);
  EXPECT_NE(Err("CREATE USER u TYPE = ROBOT").message().find("PERSON, SERVICE, LEGACY_SERVICE"),
            std::string::npos);
  EXPECT_NE(Err("CREATE USER u TYPE = SERVICE WORKLOAD_IDENTITY = (ARN = 'x')")
                .message()
                .find("requires TYPE"),
            std::string::npos);
  EXPECT_NE(Err("CREATE USER u TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'x' FOO = 1)")
                .message()
                .find("valid properties: TYPE, ARN, ISSUER, SUBJECT, OIDC_AUDIENCE_LIST"),
            std::string::npos);
  auto issuer =
      Err("CREATE USER u TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AWS ARN = "
          "'arn:aws:iam::123456789012:role/r' ISSUER = 'https://sts.amazonaws.com')");
  EXPECT_EQ(SqlErrorCode(issuer), "004616");
  EXPECT_NE(Err("CREATE USER u TYPE = SERVICE PASSWORD = 'pw'")
                .message()
                .find("Cannot set PASSWORD on users with TYPE=SERVICE."),
            std::string::npos);
  EXPECT_NE(Err("CREATE USER p WORKLOAD_IDENTITY = (TYPE = GCP SUBJECT = '1')")
                .message()
                .find("TYPE = PERSON"),
            std::string::npos);
  EXPECT_EQ(Err("CREATE USER u DISABLED = maybe").reason(), "sql.invalid_value");
  EXPECT_EQ(Ok("SHOW USERS").rows.size(), 0u);
}

TEST_F(ExecutorTest, NamedIdentitiesLifecycleAndLimit) {
  Ok("CREATE USER u TYPE = LEGACY_SERVICE");
  for (int i = 0; i < 10; ++i) {
    Ok("ALTER USER u ADD WORKLOAD IDENTITY id" + std::to_string(i) +
       " TYPE = GCP SUBJECT = '10000" + std::to_string(i) + "'");
  }
  auto limit = Err("ALTER USER u ADD WORKLOAD IDENTITY id10 TYPE = GCP SUBJECT = '2'");
  EXPECT_EQ(limit.reason(), "sql.limit_exceeded");
  EXPECT_NE(limit.message().find("limit is 10"), std::string::npos);
  EXPECT_NE(Err("ALTER USER u ADD WORKLOAD IDENTITY default TYPE = GCP SUBJECT = '3'")
                .message()
                .find("reserved"),
            std::string::npos);
  EXPECT_EQ(Err("ALTER USER u ADD WORKLOAD IDENTITY id1 TYPE = GCP SUBJECT = '4'").reason(),
            "sql.already_exists");
  Ok("ALTER USER u MODIFY WORKLOAD IDENTITY id1 RENAME TO ci");
  Ok("ALTER USER u MODIFY WORKLOAD IDENTITY ci SET DISABLED = TRUE COMMENT = 'paused'");
  auto show = Ok("SHOW USER WORKLOAD IDENTITY AUTHENTICATION METHODS FOR USER u");
  bool found = false;
  for (size_t i = 0; i < show.rows.size(); ++i) {
    if (Col(show, i, "name") == "CI") {
      found = true;
      EXPECT_EQ(Col(show, i, "comment"), "paused");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(Err("ALTER USER u MODIFY WORKLOAD IDENTITY ci SET SUBJECT = '9'").reason(),
            "sql.invalid_property");
  Ok("ALTER USER u MODIFY WORKLOAD IDENTITY ci UNSET DISABLED, COMMENT");
  Ok("ALTER USER u REMOVE WORKLOAD IDENTITY ci");
  EXPECT_EQ(Err("ALTER USER u REMOVE WORKLOAD IDENTITY ci").reason(), "sql.does_not_exist");
  EXPECT_EQ(Ok("SHOW USER WORKLOAD IDENTITY AUTHENTICATION METHODS FOR USER u").rows.size(), 9u);
  // WORKLOAD_IDENTITY is the DEFAULT identity; SET replaces it, UNSET removes it.
  Ok("ALTER USER u SET WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'https://a' SUBJECT = 'x')");
  EXPECT_EQ(Err("ALTER USER u ADD WORKLOAD IDENTITY extra TYPE = GCP SUBJECT = '5'").reason(),
            "sql.limit_exceeded");
  // SET replaces DEFAULT in place, so it does not count twice.
  Ok("ALTER USER u SET WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'https://a' SUBJECT = 'z')");
  Ok("ALTER USER u REMOVE WORKLOAD IDENTITY id0");
  Ok("ALTER USER u SET WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'https://a' SUBJECT = 'y')");
  Ok("ALTER USER u UNSET WORKLOAD_IDENTITY");
  EXPECT_EQ(Ok("SHOW USER WORKLOAD IDENTITY AUTHENTICATION METHODS FOR USER u").rows.size(), 8u);
  Ok("ALTER USER IF EXISTS nobody REMOVE WORKLOAD IDENTITY x");
  EXPECT_EQ(Err("ALTER USER nobody SET COMMENT = 'x'").reason(), "sql.does_not_exist");
}

TEST_F(ExecutorTest, CreateReplaceIfNotExistsDropAndPassword) {
  Ok("CREATE USER alice PASSWORD = 'correct horse' EMAIL = 'a@example.com'");
  EXPECT_EQ(Err("CREATE USER alice").reason(), "sql.already_exists");
  EXPECT_EQ(Col(Ok("CREATE USER IF NOT EXISTS alice"), 0, "status"),
            "ALICE already exists, statement succeeded.");
  auto users = Ok("SHOW USERS LIKE 'ali%'");
  ASSERT_EQ(users.rows.size(), 1u);
  EXPECT_EQ(Col(users, 0, "has_password"), "true");
  EXPECT_EQ(Col(users, 0, "type"), "PERSON");
  auto desc = Ok("DESC USER alice");
  for (size_t i = 0; i < desc.rows.size(); ++i) {
    EXPECT_EQ(Col(desc, i, "value").find("pbkdf2"), std::string::npos);
  }
  auto state = registry_->store().Load();
  EXPECT_TRUE(state->users[0].password_hash.starts_with("pbkdf2-sha256$600000$"));
  Ok("CREATE OR REPLACE USER alice TYPE = SERVICE");
  EXPECT_EQ(Col(Ok("SHOW USERS"), 0, "has_password"), "false");
  Ok("DROP USER alice");
  EXPECT_EQ(Err("DROP USER alice").reason(), "sql.does_not_exist");
  Ok("DROP USER IF EXISTS alice");
  Ok("CREATE USER \"quoted\"");
  EXPECT_EQ(Err("DROP USER quoted").reason(), "sql.does_not_exist");
  Ok("DROP USER \"quoted\"");
}

TEST_F(ExecutorTest, RolesAndGrants) {
  Ok("CREATE USER u TYPE = SERVICE");
  Ok("CREATE ROLE etl COMMENT = 'loaders'");
  Ok("GRANT ROLE etl TO USER u");
  Ok("GRANT ROLE etl TO USER u");  // idempotent
  auto grants = Ok("SHOW GRANTS TO USER u");
  ASSERT_EQ(grants.rows.size(), 2u);
  EXPECT_EQ(Col(grants, 0, "role"), "ETL");
  EXPECT_EQ(Col(grants, 1, "role"), "PUBLIC");
  auto roles = Ok("SHOW ROLES");
  EXPECT_EQ(roles.rows.size(), 6u);
  EXPECT_EQ(Err("DROP ROLE PUBLIC").reason(), "sql.invalid_value");
  EXPECT_EQ(Err("REVOKE ROLE public FROM USER u").reason(), "sql.invalid_value");
  EXPECT_EQ(Err("GRANT ROLE nope TO USER u").reason(), "sql.does_not_exist");
  Ok("REVOKE ROLE etl FROM USER u");
  EXPECT_EQ(Ok("SHOW GRANTS TO USER u").rows.size(), 1u);
  Ok("GRANT ROLE etl TO USER u");
  Ok("DROP ROLE etl");
  EXPECT_EQ(Ok("SHOW GRANTS TO USER u").rows.size(), 1u);
}

TEST_F(ExecutorTest, AuthenticationPolicies) {
  Ok(kLambdaUser);
  Ok("CREATE AUTHENTICATION POLICY azure_only AUTHENTICATION_METHODS = ('WORKLOAD_IDENTITY') "
     "WORKLOAD_IDENTITY_POLICY = (ALLOWED_PROVIDERS = (AZURE) ALLOWED_AZURE_ISSUERS = "
     "('https://sts.windows.net/2c0183ed-cf17-480d-b3f7-df91bc0a97cd/'))");
  Ok("CREATE AUTHENTICATION POLICY aws_ok WORKLOAD_IDENTITY_POLICY = (ALLOWED_PROVIDERS = (AWS) "
     "ALLOWED_AWS_ACCOUNTS = ('123456789012'))");
  EXPECT_EQ(Err("CREATE AUTHENTICATION POLICY bad WORKLOAD_IDENTITY_POLICY = "
                "(ALLOWED_AWS_ACCOUNTS = ('123'))")
                .reason(),
            "sql.invalid_value");
  EXPECT_NE(Err("CREATE AUTHENTICATION POLICY bad AUTHENTICATION_METHODS = ('MAGIC')")
                .message()
                .find("WORKLOAD_IDENTITY"),
            std::string::npos);
  Ok("ALTER ACCOUNT SET AUTHENTICATION POLICY azure_only");
  verify::VerifiedIdentity v;
  v.provider = verify::Provider::kAws;
  v.aws = verify::AwsPrincipal{
      "aws", "123456789012", verify::AwsPrincipalType::kRole, "my-fn-role-abc", "/", "s1", "arn"};
  auto check = [&] {
    auto snap = registry_->Current();
    auto p = registry::Resolve(*snap, v);
    EXPECT_TRUE(p.ok());
    return registry::CheckWorkloadLogin(*p, v);
  };
  EXPECT_EQ(check().reason(), "registry.policy_provider");
  Ok("ALTER USER lambda_svc SET AUTHENTICATION POLICY aws_ok");
  EXPECT_TRUE(check().ok());
  Ok("ALTER AUTHENTICATION POLICY aws_ok RENAME TO aws_policy");
  EXPECT_TRUE(check().ok());
  EXPECT_EQ(Err("DROP AUTHENTICATION POLICY aws_policy").reason(), "sql.invalid_value");
  Ok("ALTER USER lambda_svc UNSET AUTHENTICATION POLICY");
  EXPECT_EQ(check().reason(), "registry.policy_provider");
  Ok("ALTER AUTHENTICATION POLICY azure_only UNSET WORKLOAD_IDENTITY_POLICY");
  EXPECT_TRUE(check().ok());
  Ok("ALTER AUTHENTICATION POLICY azure_only SET AUTHENTICATION_METHODS = ('PASSWORD')");
  EXPECT_EQ(check().reason(), "registry.policy_method");
  Ok("ALTER ACCOUNT UNSET AUTHENTICATION POLICY");
  Ok("DROP AUTHENTICATION POLICY azure_only");
  EXPECT_EQ(Ok("SHOW AUTHENTICATION POLICIES").rows.size(), 1u);
  EXPECT_EQ(Err("ALTER USER lambda_svc SET AUTHENTICATION POLICY nope").reason(),
            "sql.does_not_exist");
}

TEST_F(ExecutorTest, PrivilegesFollowTheSessionRole) {
  SessionContext user_admin = Context("ADMIN", "USERADMIN", "", std::chrono::seconds(5));
  SessionContext plain = Context("BOB", "PUBLIC", "", std::chrono::seconds(5));
  Ok("CREATE USER bob TYPE = SERVICE", user_admin);
  auto denied = Err("CREATE USER eve", plain);
  EXPECT_EQ(denied.reason(), "sql.insufficient_privileges");
  EXPECT_NE(denied.message().find("ACCOUNTADMIN, SECURITYADMIN, USERADMIN"), std::string::npos);
  EXPECT_EQ(Err("ALTER ACCOUNT SET AUTHENTICATION POLICY p", user_admin).reason(),
            "sql.insufficient_privileges");
  EXPECT_EQ(Err("GRANT ROLE accountadmin TO USER bob", user_admin).reason(),
            "sql.insufficient_privileges");
  EXPECT_EQ(Err("SHOW USERS", plain).reason(), "sql.insufficient_privileges");
  Ok("DESC USER bob", plain);  // one's own user
  Ok("SHOW USER WORKLOAD IDENTITY AUTHENTICATION METHODS", plain);
  EXPECT_EQ(Err("DESC USER admin", plain).reason(), "sql.insufficient_privileges");
  auto view = Err("SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.USERS", user_admin);
  EXPECT_EQ(view.reason(), "sql.does_not_exist");
  EXPECT_NE(view.message().find("need role ACCOUNTADMIN"), std::string::npos);
}

TEST_F(ExecutorTest, AccountUsageViewsAreLiveAndQueryable) {
  Ok(kLambdaUser);
  Ok("CREATE USER gh TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = "
     "'https://token.actions.githubusercontent.com' SUBJECT = 'repo:o/r:ref:refs/heads/main' "
     "OIDC_AUDIENCE_LIST = ('api://x'))");
  auto creds =
      Ok("SELECT name, user_name, type, domain, status, additional_details FROM "
         "snowflake.account_usage.credentials WHERE type = 'AWS'");
  ASSERT_EQ(creds.rows.size(), 1u);
  EXPECT_EQ(Col(creds, 0, "USER_NAME"), "LAMBDA_SVC");
  EXPECT_EQ(Col(creds, 0, "DOMAIN"), "WORKLOAD_IDENTITY_FEDERATION_METHOD");
  EXPECT_EQ(creds.columns[5].type, ColumnType::kObject);
  auto details = ParseStrictJson(Col(creds, 0, "ADDITIONAL_DETAILS"));
  ASSERT_TRUE(details.ok());
  EXPECT_EQ(details->as_object().at("aws_account").as_string(), "123456789012");
  EXPECT_EQ(details->as_object().at("iam_role").as_string(), "my-fn-role-abc");
  auto oidc =
      Ok("SELECT additional_details FROM SNOWFLAKE.ACCOUNT_USAGE.CREDENTIALS WHERE type = 'OIDC'");
  EXPECT_NE(Col(oidc, 0, "ADDITIONAL_DETAILS").find("\"audience_list\":[\"api://x\"]"),
            std::string::npos);

  auto joined =
      Ok("SELECT u.name, u.type, c.type AS provider FROM SNOWFLAKE.ACCOUNT_USAGE.USERS u JOIN "
         "SNOWFLAKE.ACCOUNT_USAGE.CREDENTIALS c ON c.user_name = u.name ORDER BY u.name");
  ASSERT_EQ(joined.rows.size(), 2u);
  EXPECT_EQ(Col(joined, 0, "NAME"), "GH");
  EXPECT_EQ(Col(joined, 1, "PROVIDER"), "AWS");

  auto empty = Ok("SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY");
  EXPECT_EQ(empty.rows.size(), 0u);
  EXPECT_EQ(empty.columns.size(), 19u);
  EXPECT_EQ(empty.columns[0].name, "EVENT_ID");
  // A login recorded by the server is visible to the next query.
  auto snap = registry_->Current();
  const registry::User& user = *(*snap)->state().FindUser("LAMBDA_SVC");
  registry::LoginEvent e;
  e.event_timestamp = 1700000000;
  e.user_name = user.name;
  e.first_authentication_factor = "WORKLOAD_IDENTITY";
  e.is_success = true;
  e.first_authentication_factor_id = user.identities[0].id;
  ASSERT_TRUE(registry_->store().RecordLogin(e).ok());
  auto history =
      Ok("SELECT user_name, is_success, event_timestamp FROM SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY "
         "WHERE is_success = 'YES'");
  ASSERT_EQ(history.rows.size(), 1u);
  EXPECT_EQ(Col(history, 0, "USER_NAME"), "LAMBDA_SVC");
  EXPECT_EQ(history.columns[2].type, ColumnType::kTimestampLtz);
  EXPECT_EQ(Col(history, 0, "EVENT_TIMESTAMP"), "2023-11-14T22:13:20Z");
  auto used =
      Ok("SELECT last_used_on FROM SNOWFLAKE.ACCOUNT_USAGE.CREDENTIALS WHERE user_name = "
         "'LAMBDA_SVC' AND last_used_on > '2023-01-01'");
  EXPECT_EQ(used.rows.size(), 1u);
  EXPECT_EQ(Err("SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.SESSIONS").reason(), "sql.does_not_exist");
}

TEST_F(ExecutorTest, UserSqlIsSandboxedFromTheRegistry) {
  Ok(kLambdaUser);
  Ok("CREATE TABLE t (x INTEGER, s TEXT)");
  Ok("INSERT INTO t VALUES (1, 'a'), (2, NULL)");
  auto rows = Ok("SELECT x, s FROM t ORDER BY x");
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_EQ(rows.columns[0].type, ColumnType::kFixed);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows.rows[1][1]));

  // The registry's tables are not in this database, and cannot be attached.
  EXPECT_NE(Err("SELECT * FROM workload_identities").message().find("no such table"),
            std::string::npos);
  EXPECT_NE(Err("SELECT * FROM users").message().find("no such table"), std::string::npos);
  EXPECT_EQ(Err("ATTACH DATABASE '" + dir_.path() + "/registry.db' AS r").reason(),
            "sql.unsupported");
  EXPECT_EQ(Err("select 1; attach '" + dir_.path() + "/registry.db' as r").reason(),
            "sql.unsupported");
  EXPECT_EQ(Err("SELECT * FROM t WHERE 1 IN (SELECT 1 FROM pragma_database_list)").reason(),
            "sql.insufficient_privileges");
  EXPECT_EQ(Err("PRAGMA database_list").reason(), "sql.unsupported");
  EXPECT_EQ(Err("VACUUM INTO '/tmp/x.db'").reason(), "sql.unsupported");
  EXPECT_EQ(Err("SELECT load_extension('x')").reason(), "sql.insufficient_privileges");
  // The materialised views are read-only and gone after the statement.
  EXPECT_EQ(Err("DELETE FROM SNOWFLAKE.ACCOUNT_USAGE.USERS").reason(),
            "sql.insufficient_privileges");
  EXPECT_EQ(Err("UPDATE SNOWFLAKE.ACCOUNT_USAGE.CREDENTIALS SET name = 'x'").reason(),
            "sql.insufficient_privileges");
  EXPECT_EQ(Err("DELETE FROM temp.account_usage_users").reason(), "sql.execution_error");
  EXPECT_NE(Err("SELECT * FROM temp.account_usage_credentials").message().find("no such table"),
            std::string::npos);
}

// Every session's SQL runs on one engine connection: a transaction one statement opened
// would hold the writes of every later statement, uncommitted.
TEST_F(ExecutorTest, NoStatementLeavesATransactionOpen) {
  Ok("CREATE TABLE t (x INTEGER)");
  EXPECT_EQ(Err("SAVEPOINT s").reason(), "sql.unsupported");
  EXPECT_EQ(Err("release savepoint s").reason(), "sql.unsupported");
  Status begin = Err("BEGIN");
  EXPECT_EQ(begin.reason(), "sql.unsupported");
  EXPECT_NE(begin.message().find("rolled back"), std::string::npos) << begin.message();
  Ok("INSERT INTO t VALUES (1)");
  // Committed: another connection to the user database sees the row.
  auto other = Engine::Open(dir_.path() + "/user.db");
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto count = (*other)->Run("SELECT COUNT(*) FROM t", SessionContext::LocalAdmin(), {});
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(std::get<int64_t>(count->rows.at(0).at(0)), 1);
}

TEST_F(ExecutorTest, DescribeReturnsColumnsAndRunsNothing) {
  Ok("CREATE TABLE t (x INTEGER, s TEXT)");
  auto describe = [&](std::string_view sql) {
    auto r = executor_->Describe(SessionContext::LocalAdmin(), sql);
    EXPECT_TRUE(r.ok()) << sql << "\n" << r.status().ToString();
    if (r.ok()) {
      EXPECT_TRUE(r->rows.empty()) << sql;
    }
    return r.ok() ? *r : ResultSet{};
  };
  ResultSet query = describe("SELECT x, s, x + 1 AS y FROM t WHERE x = ?");  // no bind needed
  EXPECT_EQ(Names(query), (std::vector<std::string>{"X", "S", "Y"}));
  EXPECT_EQ(query.columns[0].type, ColumnType::kFixed);
  EXPECT_EQ(query.columns[2].type, ColumnType::kText);
  EXPECT_EQ(Names(describe("INSERT INTO t VALUES (1, 'a')")), (std::vector<std::string>{"status"}));
  describe("DELETE FROM t");
  describe("DROP TABLE t");
  describe("CREATE TABLE u (x INTEGER)");
  describe(kLambdaUser);
  EXPECT_FALSE(Names(describe("SHOW USERS")).empty());
  EXPECT_FALSE(Names(describe("SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.USERS")).empty());
  // Nothing ran: t is there and empty, u and the user are not.
  EXPECT_EQ(Ok("SELECT COUNT(*) AS n FROM t").rows.at(0).at(0), Cell(int64_t{0}));
  EXPECT_NE(Err("SELECT * FROM u").message().find("no such table"), std::string::npos);
  EXPECT_TRUE(Ok("SHOW USERS LIKE 'LAMBDA_SVC'").rows.empty());
  // The sandbox still refuses, and a syntax error is still one.
  auto attach = executor_->Describe(SessionContext::LocalAdmin(), "ATTACH 'x.db' AS x");
  EXPECT_EQ(attach.status().reason(), "sql.unsupported");
  EXPECT_FALSE(executor_->Describe(SessionContext::LocalAdmin(), "SELEC 1").ok());
}

TEST_F(ExecutorTest, StatementTimeoutAndSessionFunctions) {
  SessionContext ctx = Context("BOB", "ACCOUNTADMIN", "DB", std::chrono::milliseconds(200));
  auto s =
      Err("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
          ctx);
  EXPECT_EQ(s.reason(), "sql.timeout");
  auto who = Ok("SELECT CURRENT_USER() AS u, CURRENT_ROLE() AS r, CURRENT_SCHEMA() AS s", ctx);
  EXPECT_EQ(Col(who, 0, "U"), "BOB");
  EXPECT_EQ(Col(who, 0, "R"), "ACCOUNTADMIN");
  EXPECT_EQ(Col(who, 0, "S"), "NULL");
}

TEST_F(ExecutorTest, ShellChangesAreSeenByARunningServer) {
  // Two processes on one data directory: `wifgate sql` (this executor) and a server.
  auto server_store = registry::OpenSqliteStore(dir_.path());
  ASSERT_TRUE(server_store.ok());
  auto server = registry::Registry::Open(std::move(*server_store));
  ASSERT_TRUE(server.ok());
  Ok(kLambdaUser);
  auto snap = (*server)->Current();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->state().users.size(), 1u);
  Ok("ALTER USER lambda_svc SET DISABLED = TRUE");
  EXPECT_TRUE((*(*server)->Current())->state().users[0].disabled);
}

TEST_F(ExecutorTest, RemainingStatementForms) {
  Ok("CREATE USER u TYPE = SERVICE COMMENT = 'c' EMAIL = 'e@x' DISPLAY_NAME = 'U' "
     "RSA_PUBLIC_KEY = 'MIIB'");
  Ok("ALTER USER u UNSET COMMENT, EMAIL, DISPLAY_NAME, RSA_PUBLIC_KEY");
  auto users = Ok("SHOW USERS");
  EXPECT_EQ(Col(users, 0, "comment"), "NULL");
  EXPECT_EQ(Col(users, 0, "display_name"), "U");  // UNSET restores the default: the name
  EXPECT_EQ(Col(users, 0, "has_rsa_public_key"), "false");
  EXPECT_EQ(Err("ALTER USER u UNSET COLOUR").reason(), "sql.invalid_property");
  Ok("CREATE USER v");
  EXPECT_EQ(Err("ALTER USER u RENAME TO v").reason(), "sql.already_exists");
  Ok("ALTER USER u RENAME TO w");
  EXPECT_EQ(Ok("SHOW USERS LIKE 'W'").rows.size(), 1u);
  EXPECT_EQ(Ok("SHOW USERS LIKE '_'").rows.size(), 2u);

  Ok("CREATE ROLE r1");
  EXPECT_EQ(Err("CREATE ROLE r1").reason(), "sql.already_exists");
  Ok("CREATE ROLE IF NOT EXISTS r1");
  Ok("CREATE OR REPLACE ROLE r1 COMMENT = 'again'");
  EXPECT_EQ(Err("CREATE OR REPLACE ROLE sysadmin").reason(), "sql.already_exists");
  auto roles = Ok("SHOW ROLES LIKE 'r%'");
  ASSERT_EQ(roles.rows.size(), 1u);
  EXPECT_EQ(Col(roles, 0, "comment"), "again");
  Ok("DROP ROLE IF EXISTS nope");

  Ok("CREATE AUTHENTICATION POLICY p COMMENT = 'x' WORKLOAD_IDENTITY_POLICY = "
     "(ALLOWED_OIDC_ISSUERS = ('https://token.actions.githubusercontent.com'))");
  EXPECT_EQ(Err("CREATE AUTHENTICATION POLICY q WORKLOAD_IDENTITY_POLICY = "
                "(ALLOWED_OIDC_ISSUERS = ('http://insecure'))")
                .reason(),
            "sql.invalid_value");
  auto desc = Ok("DESC AUTHENTICATION POLICY p");
  std::map<std::string, std::string> props;
  for (size_t i = 0; i < desc.rows.size(); ++i) {
    props[Col(desc, i, "property")] = Col(desc, i, "value");
  }
  EXPECT_EQ(props["AUTHENTICATION_METHODS"], "[ALL]");
  EXPECT_NE(props["WORKLOAD_IDENTITY_POLICY"].find("token.actions"), std::string::npos);
  Ok("ALTER AUTHENTICATION POLICY IF EXISTS nope SET COMMENT = 'x'");
  EXPECT_EQ(Err("ALTER AUTHENTICATION POLICY p SET COLOUR = 'x'").reason(), "sql.invalid_property");
  Ok("CREATE OR REPLACE AUTHENTICATION POLICY p");
  EXPECT_EQ(Ok("SHOW AUTHENTICATION POLICIES").rows.size(), 1u);
  EXPECT_EQ(Err("DESC AUTHENTICATION POLICY nope").reason(), "sql.does_not_exist");
}

TEST(ResultSetTest, TableAndJsonRendering) {
  ResultSet rs;
  rs.columns = {{"name", ColumnType::kText},
                {"n", ColumnType::kFixed},
                {"ok", ColumnType::kBoolean},
                {"at", ColumnType::kTimestampLtz},
                {"info", ColumnType::kObject}};
  rs.rows.push_back({Cell("a"), Cell(int64_t{1}), Cell(true), Cell(int64_t{0}), Cell("{\"k\":1}")});
  rs.rows.push_back({Cell(), Cell(), Cell(), Cell(), Cell()});
  EXPECT_EQ(
      FormatJson(rs),
      "[{\"name\":\"a\",\"n\":1,\"ok\":true,\"at\":\"1970-01-01T00:00:00Z\",\"info\":{\"k\":1}},"
      "{\"name\":null,\"n\":null,\"ok\":null,\"at\":null,\"info\":null}]");
  std::string table = FormatTable(rs);
  EXPECT_NE(table.find("| name | n    | ok   |"), std::string::npos) << table;
  EXPECT_NE(table.find("2 rows"), std::string::npos);
}

}  // namespace
}  // namespace wifgate::sql
