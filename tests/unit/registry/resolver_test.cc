#include "registry/resolver.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "registry/identity_rules.h"
#include "registry/login_history.h"
#include "registry/policy.h"
#include "registry/sqlite_store.h"
#include "temp_dir.h"

namespace wifgate::registry {
namespace {

using verify::Provider;

WorkloadIdentity Build(std::string name, IdentitySpec spec) {
  auto id = BuildIdentity(name, spec);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return *id;
}

IdentitySpec AwsSpec(std::string arn) {
  IdentitySpec s;
  s.type = "AWS";
  s.arn = std::move(arn);
  return s;
}

IdentitySpec JwtSpec(std::string type, std::string issuer, std::string subject) {
  IdentitySpec s;
  s.type = std::move(type);
  if (s.type != "GCP") s.issuer = std::move(issuer);
  s.subject = std::move(subject);
  return s;
}

verify::VerifiedIdentity AssumedRole(std::string account, std::string role, std::string session,
                                     std::string partition = "aws") {
  verify::VerifiedIdentity v;
  v.provider = Provider::kAws;
  verify::AwsPrincipal p;
  p.partition = partition;
  p.account = account;
  p.type = verify::AwsPrincipalType::kRole;
  p.name = role;
  p.session = session;
  p.arn = "arn:" + partition + ":sts::" + account + ":assumed-role/" + role + "/" + session;
  v.aws = p;
  return v;
}

verify::VerifiedIdentity Jwt(Provider provider, std::string issuer, std::string subject,
                             std::vector<std::string> aud = {"snowflakecomputing.com"}) {
  verify::VerifiedIdentity v;
  v.provider = provider;
  v.jwt = verify::JwtSubject{std::move(issuer), std::move(subject), std::move(aud)};
  return v;
}

User ServiceUser(std::string name, std::vector<WorkloadIdentity> ids) {
  User u;
  u.name = std::move(name);
  u.type = UserType::kService;
  u.identities = std::move(ids);
  return u;
}

std::shared_ptr<const Snapshot> SnapshotOf(std::vector<User> users,
                                           std::vector<AuthenticationPolicy> policies = {},
                                           std::string account_policy = "") {
  RegistryState s;
  s.users = std::move(users);
  s.policies = std::move(policies);
  s.account_authentication_policy = std::move(account_policy);
  return std::make_shared<const Snapshot>(std::move(s));
}

TEST(ResolverTest, ServiceRolePathRegistrationMatchesAssumedRole) {
  auto snap = SnapshotOf({ServiceUser(
      "LAMBDA_SVC",
      {Build("DEFAULT", AwsSpec("arn:aws:iam::123456789012:role/service-role/my-fn-role-abc"))})});
  auto p = Resolve(snap, AssumedRole("123456789012", "my-fn-role-abc", "my-fn"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->user->name, "LAMBDA_SVC");
  // IAM role names are case-insensitive within an account.
  EXPECT_TRUE(Resolve(snap, AssumedRole("123456789012", "MY-FN-ROLE-ABC", "x1")).ok());
}

TEST(ResolverTest, MissExplainsAccountsNearMatchesAndPaths) {
  auto snap = SnapshotOf({ServiceUser(
      "A", {Build("DEFAULT", AwsSpec("arn:aws:iam::123456789012:role/service-role/my-fn-role-abc")),
            Build("OTHER", AwsSpec("arn:aws:iam::999999999999:role/deploy"))})});
  auto miss = Resolve(snap, AssumedRole("123456789012", "my-fn-role-abd", "s1"));
  ASSERT_FALSE(miss.ok());
  const Status& s = miss.status();
  EXPECT_EQ(s.reason(), "registry.identity_not_registered");
  EXPECT_NE(s.message().find("key aws-role:aws:123456789012:my-fn-role-abd"), std::string::npos);
  EXPECT_NE(s.message().find("near matches"), std::string::npos) << s.message();
  EXPECT_EQ(s.client_message().find("my-fn-role-abc"), std::string::npos);
  EXPECT_EQ(s.client_message().find("user A"), std::string::npos);

  auto path = Resolve(snap, AssumedRole("123456789012", "service-role", "s1"));
  EXPECT_NE(path.status().message().find("as a path segment"), std::string::npos)
      << path.status().message();

  auto other = Resolve(snap, AssumedRole("111111111111", "deploy", "s1"));
  EXPECT_NE(other.status().message().find("account 999999999999"), std::string::npos)
      << other.status().message();
  auto partition = Resolve(snap, AssumedRole("999999999999", "deploy", "s1", "aws-cn"));
  EXPECT_NE(partition.status().message().find("partition aws"), std::string::npos)
      << partition.status().message();
}

TEST(ResolverTest, AssumedRoleRegistrationPinsTheSession) {
  auto snap = SnapshotOf({ServiceUser(
      "A", {Build("DEFAULT", AwsSpec("arn:aws:sts::123456789012:assumed-role/R/job-1"))})});
  EXPECT_TRUE(Resolve(snap, AssumedRole("123456789012", "R", "job-1")).ok());
  auto miss = Resolve(snap, AssumedRole("123456789012", "R", "job-2"));
  ASSERT_FALSE(miss.ok());
  EXPECT_NE(miss.status().message().find("pinned to session 'job-1'"), std::string::npos);
}

TEST(ResolverTest, AwsJwtMethodNeedsMatchingIssuer) {
  IdentitySpec with_issuer = AwsSpec("arn:aws:iam::123456789012:role/R");
  with_issuer.issuer = "https://abc.tokens.sts.global.api.aws";
  auto snap = SnapshotOf(
      {ServiceUser("A", {Build("DEFAULT", with_issuer)}),
       ServiceUser("B", {Build("DEFAULT", AwsSpec("arn:aws:iam::123456789012:role/S"))})});
  auto v = AssumedRole("123456789012", "R", "s1");
  EXPECT_TRUE(Resolve(snap, v).ok());  // SigV4 still accepted with ISSUER set
  v.jwt = verify::JwtSubject{"https://abc.tokens.sts.global.api.aws", "arn", {}};
  EXPECT_TRUE(Resolve(snap, v).ok());
  v.jwt->issuer = "https://other.tokens.sts.global.api.aws";
  EXPECT_FALSE(Resolve(snap, v).ok());
  auto s = AssumedRole("123456789012", "S", "s1");
  s.jwt = verify::JwtSubject{"https://abc.tokens.sts.global.api.aws", "arn", {}};
  auto miss = Resolve(snap, s);
  EXPECT_NE(miss.status().message().find("has no ISSUER"), std::string::npos);
}

TEST(ResolverTest, JwtMatchingAndTrailingSlashHint) {
  auto snap = SnapshotOf({ServiceUser(
      "GH", {Build("DEFAULT", JwtSpec("OIDC", "https://token.actions.githubusercontent.com/",
                                      "repo:o/r:ref:refs/heads/main"))})});
  auto exact = Resolve(snap, Jwt(Provider::kOidc, "https://token.actions.githubusercontent.com/",
                                 "repo:o/r:ref:refs/heads/main"));
  EXPECT_TRUE(exact.ok());
  auto slash = Resolve(snap, Jwt(Provider::kOidc, "https://token.actions.githubusercontent.com",
                                 "repo:o/r:ref:refs/heads/main"));
  ASSERT_FALSE(slash.ok());
  EXPECT_NE(slash.status().message().find("trailing slash"), std::string::npos);
  auto wrong_provider =
      Resolve(snap, Jwt(Provider::kGcp, "https://token.actions.githubusercontent.com/",
                        "repo:o/r:ref:refs/heads/main"));
  EXPECT_NE(wrong_provider.status().message().find("registered as TYPE = OIDC"), std::string::npos);
}

TEST(ResolverTest, AzureV1AndV2IssuersResolveTheSameIdentity) {
  auto snap = SnapshotOf({ServiceUser(
      "AZ", {Build("DEFAULT",
                   JwtSpec("AZURE", "https://sts.windows.net/2c0183ed-cf17-480d-b3f7-df91bc0a97cd/",
                           "611ab25b-2e81-4e18-92a7-b21f2bebb269"))})});
  auto canonical = verify::CanonicalIssuer(
      Provider::kAzure,
      "https://login.microsoftonline.com/2c0183ed-cf17-480d-b3f7-df91bc0a97cd/v2.0");
  ASSERT_TRUE(canonical.ok());
  EXPECT_TRUE(
      Resolve(snap, Jwt(Provider::kAzure, *canonical, "611ab25b-2e81-4e18-92a7-b21f2bebb269"))
          .ok());
}

TEST(PolicyTest, DisabledUserIdentityAndPersonAreRefused) {
  auto user = ServiceUser("A", {Build("DEFAULT", AwsSpec("arn:aws:iam::123456789012:role/R"))});
  auto v = AssumedRole("123456789012", "R", "s1");
  auto check = [&](User u) {
    auto snap = SnapshotOf({u});
    auto p = Resolve(snap, v);
    EXPECT_TRUE(p.ok());
    return CheckWorkloadLogin(*p, v);
  };
  EXPECT_TRUE(check(user).ok());
  User disabled = user;
  disabled.disabled = true;
  EXPECT_EQ(check(disabled).reason(), "registry.user_disabled");
  User id_disabled = user;
  id_disabled.identities[0].disabled = true;
  EXPECT_EQ(check(id_disabled).reason(), "registry.identity_disabled");
  User person = user;
  person.type = UserType::kPerson;
  EXPECT_EQ(check(person).reason(), "registry.person_user");
  User legacy = user;
  legacy.type = UserType::kLegacyService;
  EXPECT_TRUE(check(legacy).ok());
}

TEST(PolicyTest, OidcAudienceList) {
  IdentitySpec spec = JwtSpec("OIDC", "https://issuer.example", "sub");
  auto snap = SnapshotOf({ServiceUser("A", {Build("DEFAULT", spec)})});
  auto v = Jwt(Provider::kOidc, "https://issuer.example", "sub", {"other"});
  auto p = Resolve(snap, v);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(CheckWorkloadLogin(*p, v).reason(), "registry.audience_not_allowed");
  v.jwt->audiences = {"x", "snowflakecomputing.com"};
  EXPECT_TRUE(CheckWorkloadLogin(*p, v).ok());
  spec.audiences = std::vector<std::string>{"api://mine"};
  auto snap2 = SnapshotOf({ServiceUser("A", {Build("DEFAULT", spec)})});
  auto p2 = Resolve(snap2, v);
  EXPECT_EQ(CheckWorkloadLogin(*p2, v).reason(), "registry.audience_not_allowed");
  v.jwt->audiences = {"api://mine"};
  EXPECT_TRUE(CheckWorkloadLogin(*p2, v).ok());
}

TEST(PolicyTest, AuthenticationPoliciesUserOverridesAccount) {
  AuthenticationPolicy account;
  account.name = "ACCT";
  account.allowed_providers = {Provider::kAzure};
  AuthenticationPolicy aws_only;
  aws_only.name = "AWS_ONLY";
  aws_only.allowed_providers = {Provider::kAws};
  aws_only.allowed_aws_accounts = {"123456789012"};
  AuthenticationPolicy no_wif;
  no_wif.name = "NO_WIF";
  no_wif.authentication_methods = {"PASSWORD"};

  auto user = ServiceUser("A", {Build("DEFAULT", AwsSpec("arn:aws:iam::123456789012:role/R"))});
  auto v = AssumedRole("123456789012", "R", "s1");
  auto check = [&](std::string user_policy) {
    User u = user;
    u.authentication_policy = user_policy;
    auto snap = SnapshotOf({u}, {account, aws_only, no_wif}, "ACCT");
    auto p = Resolve(snap, v);
    EXPECT_TRUE(p.ok());
    return CheckWorkloadLogin(*p, v);
  };
  EXPECT_EQ(check("").reason(), "registry.policy_provider");
  EXPECT_TRUE(check("AWS_ONLY").ok());
  EXPECT_EQ(check("NO_WIF").reason(), "registry.policy_method");
  aws_only.allowed_aws_accounts = {"000000000000"};
  EXPECT_EQ(check("AWS_ONLY").reason(), "registry.policy_aws_account");
}

TEST(PolicyTest, AzureAndOidcIssuerAllowLists) {
  AuthenticationPolicy p;
  p.name = "P";
  p.allowed_oidc_issuers = {"https://good.example"};
  auto snap = SnapshotOf(
      {ServiceUser("A", {Build("DEFAULT", JwtSpec("OIDC", "https://bad.example", "s"))})}, {p},
      "P");
  auto v = Jwt(Provider::kOidc, "https://bad.example", "s");
  auto principal = Resolve(snap, v);
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(CheckWorkloadLogin(*principal, v).reason(), "registry.policy_oidc_issuer");
}

TEST(LoginHistoryTest, EventCarriesStoryButNoSecrets) {
  auto snap = SnapshotOf(
      {ServiceUser("A", {Build("DEFAULT", AwsSpec("arn:aws:iam::123456789012:role/R"))})});
  auto v = AssumedRole("123456789012", "R", "s1");
  auto p = Resolve(snap, v);
  ASSERT_TRUE(p.ok());
  auto ok = WorkloadLoginEvent(&v, &*p, Status::Ok(), {"127.0.0.1", "JAVASCRIPT_DRIVER", "2.0"}, 5);
  EXPECT_TRUE(ok.is_success);
  EXPECT_EQ(ok.user_name, "A");
  EXPECT_NE(ok.login_details.find("aws-role:aws:123456789012:r"), std::string::npos);
  auto miss = Resolve(snap, AssumedRole("123456789012", "Q", "s1"));
  auto bad = WorkloadLoginEvent(&v, nullptr, miss.status(), {}, 6);
  EXPECT_FALSE(bad.is_success);
  EXPECT_FALSE(bad.user_name.has_value());
  EXPECT_EQ(bad.error_code, "registry.identity_not_registered");
}

TEST(RegistryTest, AnotherProcessesCommitIsSeenByTheNextResolve) {
  testing::TempDir dir;
  auto server_store = OpenSqliteStore(dir.path());
  auto shell_store = OpenSqliteStore(dir.path());
  ASSERT_TRUE(server_store.ok() && shell_store.ok());
  auto server = Registry::Open(std::move(*server_store));
  ASSERT_TRUE(server.ok());
  auto v = AssumedRole("123456789012", "my-fn-role-abc", "s1");
  auto before = (*server)->Current();
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(Resolve(*before, v).ok());
  ASSERT_TRUE(
      (*shell_store)
          ->Update([](RegistryState& s) {
            s.users.push_back(ServiceUser(
                "SVC",
                {Build("DEFAULT",
                       AwsSpec("arn:aws:iam::123456789012:role/service-role/my-fn-role-abc"))}));
            return Status::Ok();
          })
          .ok());
  auto after = (*server)->Current();
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(Resolve(*after, v).ok());
  EXPECT_EQ((*server)->Published(), *after);
}

TEST(RegistryTest, ConcurrentDdlAndResolutions) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  ASSERT_TRUE(store.ok());
  auto registry = Registry::Open(std::move(*store));
  ASSERT_TRUE(registry.ok());
  std::atomic<bool> done{false};
  std::atomic<int> resolutions{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        auto snap = (*registry)->Current();
        ASSERT_TRUE(snap.ok());
        auto p = Resolve(*snap, AssumedRole("123456789012", "role-0", "s1"));
        if (p.ok()) {
          EXPECT_EQ(p->user->name, "U0");
        }
        ++resolutions;
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    auto r = (*registry)->Update([i](RegistryState& s) {
      s.users.push_back(ServiceUser(
          "U" + std::to_string(i),
          {Build("DEFAULT", AwsSpec("arn:aws:iam::123456789012:role/role-" + std::to_string(i)))}));
      return Status::Ok();
    });
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(resolutions.load(), 0);
  auto final_snapshot = (*registry)->Current();
  EXPECT_EQ((*final_snapshot)->state().users.size(), 20u);
}

}  // namespace
}  // namespace wifgate::registry
