// IssuerDirectory: an issuer is trusted for the provider whose identities name it, with the
// union of their audiences; the answer follows registry changes, also ones committed by
// another process.
#include "server/issuer_directory.h"

#include <gtest/gtest.h>

#include "registry/identity_rules.h"
#include "registry/sqlite_store.h"
#include "registry/temp_dir.h"

namespace wifgate::server {
namespace {

using verify::Provider;

registry::WorkloadIdentity Oidc(std::string name, std::string issuer, std::string subject,
                                std::vector<std::string> audiences) {
  registry::IdentitySpec spec;
  spec.type = "OIDC";
  spec.issuer = std::move(issuer);
  spec.subject = std::move(subject);
  spec.audiences = std::move(audiences);
  auto id = registry::BuildIdentity(name, spec);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return *id;
}

Status AddUser(registry::RegistryState& s, std::string name,
               std::vector<registry::WorkloadIdentity> ids) {
  registry::User u;
  u.name = std::move(name);
  u.login_name = u.name;
  u.type = registry::UserType::kService;
  u.identities = std::move(ids);
  s.users.push_back(std::move(u));
  return Status::Ok();
}

class IssuerDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = registry::OpenSqliteStore(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto registry = registry::Registry::Open(std::move(*store));
    ASSERT_TRUE(registry.ok());
    registry_ = std::move(*registry);
    directory_ = std::make_unique<IssuerDirectory>(*registry_);
  }

  wifgate::testing::TempDir dir_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<IssuerDirectory> directory_;
};

TEST_F(IssuerDirectoryTest, TrustsRegisteredIssuersForTheirProviderWithTheAudienceUnion) {
  ASSERT_TRUE(registry_
                  ->Update([](registry::RegistryState& s) {
                    WIFGATE_RETURN_IF_ERROR(
                        AddUser(s, "A", {Oidc("DEFAULT", "https://idp.test", "a", {"x", "y"})}));
                    return AddUser(s, "B", {Oidc("DEFAULT", "https://idp.test", "b", {"y", "z"})});
                  })
                  .ok());
  auto policy = directory_->Lookup(Provider::kOidc, "https://idp.test");
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->audiences, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_FALSE(directory_->Lookup(Provider::kGcp, "https://idp.test").has_value());
  EXPECT_FALSE(directory_->Lookup(Provider::kOidc, "https://other.test").has_value());
  EXPECT_FALSE(directory_->Lookup(Provider::kOidc, "https://idp.tes").has_value());
}

TEST_F(IssuerDirectoryTest, FollowsChangesFromThisAndAnotherProcess) {
  EXPECT_FALSE(directory_->Lookup(Provider::kOidc, "https://idp.test").has_value());
  ASSERT_TRUE(registry_
                  ->Update([](registry::RegistryState& s) {
                    return AddUser(s, "A", {Oidc("DEFAULT", "https://idp.test", "a", {})});
                  })
                  .ok());
  EXPECT_TRUE(directory_->Lookup(Provider::kOidc, "https://idp.test").has_value());

  // `wifgate sql` on the same data directory drops the user: the next lookup knows.
  auto shell = registry::OpenSqliteStore(dir_.path());
  ASSERT_TRUE(shell.ok());
  ASSERT_TRUE((*shell)
                  ->Update([](registry::RegistryState& s) {
                    s.users.clear();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(directory_->Lookup(Provider::kOidc, "https://idp.test").has_value());
}

}  // namespace
}  // namespace wifgate::server
