#include "registry/identity_rules.h"

#include <gtest/gtest.h>

namespace wifgate::registry {
namespace {

IdentitySpec Aws(std::string arn) {
  IdentitySpec s;
  s.type = "AWS";
  s.arn = std::move(arn);
  return s;
}

TEST(IdentityRulesTest, AwsRoleWithPathKeysOnRoleNameOnly) {
  auto with_path =
      BuildIdentity("DEFAULT", Aws("arn:aws:iam::123456789012:role/service-role/my-fn-role-abc"));
  auto without = BuildIdentity("DEFAULT", Aws("arn:aws:iam::123456789012:role/my-fn-role-abc"));
  ASSERT_TRUE(with_path.ok()) << with_path.status().ToString();
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(with_path->match_key, "aws-role:aws:123456789012:my-fn-role-abc");
  EXPECT_EQ(with_path->match_key, without->match_key);
  EXPECT_EQ(with_path->arn, "arn:aws:iam::123456789012:role/service-role/my-fn-role-abc");
}

TEST(IdentityRulesTest, AwsRoleNamesAreCaseInsensitive) {
  auto a = BuildIdentity("A", Aws("arn:aws:iam::123456789012:role/MyRole"));
  auto b = BuildIdentity("B", Aws("arn:aws:iam::123456789012:role/x/myrole"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->match_key, b->match_key);
}

TEST(IdentityRulesTest, AssumedRoleAndUserArns) {
  auto assumed = BuildIdentity("A", Aws("arn:aws:sts::123456789012:assumed-role/R/sess-1"));
  ASSERT_TRUE(assumed.ok());
  EXPECT_EQ(assumed->match_key, "aws-role:aws:123456789012:r");
  auto user = BuildIdentity("U", Aws("arn:aws:iam::123456789012:user/ops/alice"));
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->match_key, "aws-user:aws:123456789012:alice");
}

TEST(IdentityRulesTest, AwsRejections) {
  EXPECT_EQ(BuildIdentity("A", Aws("arn:aws:iam::12345:role/R")).status().reason(),
            "registry.identity_invalid");
  IdentitySpec no_arn;
  no_arn.type = "aws";
  auto s = BuildIdentity("A", no_arn).status();
  EXPECT_NE(s.message().find("requires ARN"), std::string::npos) << s.message();
  IdentitySpec with_subject = Aws("arn:aws:iam::123456789012:role/R");
  with_subject.subject = "x";
  s = BuildIdentity("A", with_subject).status();
  EXPECT_NE(s.message().find("SUBJECT is not valid"), std::string::npos) << s.message();
}

TEST(IdentityRulesTest, AwsIssuerMustBeOutboundIssuer) {
  IdentitySpec spec = Aws("arn:aws:iam::123456789012:role/R");
  spec.issuer = "https://abc123-def456.tokens.sts.global.api.aws";
  auto ok = BuildIdentity("A", spec);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->issuer, *spec.issuer);
  for (std::string bad :
       {"https://sts.amazonaws.com", "http://abc.tokens.sts.global.api.aws",
        "https://.tokens.sts.global.api.aws", "https://ABC.tokens.sts.global.api.aws",
        "https://a.b.tokens.sts.global.api.aws"}) {
    spec.issuer = bad;
    auto st = BuildIdentity("A", spec).status();
    EXPECT_EQ(st.reason(), "registry.aws_issuer_invalid") << bad;
    EXPECT_NE(st.message().find("Invalid ISSUER"), std::string::npos);
  }
  IdentitySpec gov = Aws("arn:aws-us-gov:iam::123456789012:role/R");
  gov.issuer = "https://abc.tokens.sts.global.api.aws";
  EXPECT_NE(BuildIdentity("A", gov).status().message().find("partition"), std::string::npos);
}

TEST(IdentityRulesTest, AzureIssuerIsCanonicalised) {
  IdentitySpec v1;
  v1.type = "AZURE";
  v1.issuer = "https://sts.windows.net/2C0183ED-cf17-480d-b3f7-df91bc0a97cd/";
  v1.subject = "611ab25b-2e81-4e18-92a7-b21f2bebb269";
  IdentitySpec v2 = v1;
  v2.issuer = "https://login.microsoftonline.com/2c0183ed-cf17-480d-b3f7-df91bc0a97cd/v2.0";
  auto a = BuildIdentity("A", v1);
  auto b = BuildIdentity("B", v2);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->issuer, *v2.issuer);
  EXPECT_EQ(a->match_key, b->match_key);
  v1.issuer = "https://example.com/tenant";
  EXPECT_FALSE(BuildIdentity("A", v1).ok());
}

TEST(IdentityRulesTest, GcpSubjectMustBeUniqueId) {
  IdentitySpec s;
  s.type = "GCP";
  s.subject = "112233445566778899001";
  auto ok = BuildIdentity("A", s);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->issuer, "https://accounts.google.com");
  s.subject = "sa@project.iam.gserviceaccount.com";
  auto st = BuildIdentity("A", s).status();
  EXPECT_NE(st.message().find("uniqueId"), std::string::npos);
  s.subject = "1";
  s.issuer = "https://accounts.google.com";
  EXPECT_NE(BuildIdentity("A", s).status().message().find("ISSUER is not valid"),
            std::string::npos);
}

TEST(IdentityRulesTest, OidcValidation) {
  IdentitySpec s;
  s.type = "OIDC";
  s.issuer = "https://token.actions.githubusercontent.com";
  s.subject = "repo:org/repo:ref:refs/heads/main";
  s.audiences = std::vector<std::string>{"api://a", "b"};
  auto ok = BuildIdentity("GH", s);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->audiences.size(), 2u);
  EXPECT_EQ(ok->match_key, verify::JwtKey(*s.issuer, *s.subject));
  for (std::string bad :
       {"http://x", "https://", "https:///p", "https://x?q=1", "https://x#f", "https://a b"}) {
    s.issuer = bad;
    EXPECT_FALSE(BuildIdentity("GH", s).ok()) << bad;
  }
  s.issuer = "https://x";
  s.subject = std::string(256, 'a');
  EXPECT_FALSE(BuildIdentity("GH", s).ok());
  s.subject = "ok";
  s.audiences = std::vector<std::string>{""};
  EXPECT_FALSE(BuildIdentity("GH", s).ok());
}

TEST(IdentityRulesTest, UnknownTypeNamesTheValidOnes) {
  IdentitySpec s;
  s.type = "KERBEROS";
  EXPECT_NE(BuildIdentity("A", s).status().message().find("AWS, AZURE, GCP, OIDC"),
            std::string::npos);
}

TEST(IdentityRulesTest, DefaultNameIsReserved) {
  EXPECT_TRUE(ValidateIdentityName("DEFAULT", true).ok());
  EXPECT_FALSE(ValidateIdentityName("DEFAULT", false).ok());
  EXPECT_FALSE(ValidateIdentityName("", false).ok());
  EXPECT_TRUE(ValidateIdentityName("CI", false).ok());
}

}  // namespace
}  // namespace wifgate::registry
