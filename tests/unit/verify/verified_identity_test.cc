#include "verify/verified_identity.h"

#include <gtest/gtest.h>

namespace wifgate::verify {
namespace {

TEST(ParseAwsArn, RoleWithServiceRolePathKeepsPathAndTakesLastSegment) {
  auto arn = ParseAwsArn("arn:aws:iam::123456789012:role/service-role/my-fn-role-abc");
  ASSERT_TRUE(arn.ok()) << arn.status().ToString();
  EXPECT_EQ(arn->kind, ParsedAwsArn::Kind::kRole);
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->path, "/service-role/");
  EXPECT_EQ(arn->name, "my-fn-role-abc");
}

TEST(ParseAwsArn, UserAndAssumedRole) {
  auto user = ParseAwsArn("arn:aws-us-gov:iam::123456789012:user/team/alice");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->kind, ParsedAwsArn::Kind::kUser);
  EXPECT_EQ(user->path, "/team/");
  EXPECT_EQ(user->name, "alice");
  auto assumed = ParseAwsArn("arn:aws-cn:sts::123456789012:assumed-role/Deploy/s1");
  ASSERT_TRUE(assumed.ok());
  EXPECT_EQ(assumed->kind, ParsedAwsArn::Kind::kAssumedRole);
  EXPECT_EQ(assumed->name, "Deploy");
  EXPECT_EQ(assumed->session, "s1");
}

TEST(ParseAwsArn, RejectsWithReasons) {
  for (const char* bad :
       {"", "arn:aws:iam::12345678901:role/R", "arn:aws:iam:us-east-1:123456789012:role/R",
        "arn:aws:s3:::bucket", "arn:evil:iam::123456789012:role/R",
        "arn:aws:iam::123456789012:group/G", "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role/a//b", "arn:aws:iam::123456789012:root",
        "arn:aws:sts::123456789012:assumed-role/R", "arn:aws:sts::123456789012:federated-user/u",
        "arn:aws:iam::123456789012:role/bad name"}) {
    auto r = ParseAwsArn(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().reason(), "aws.arn_invalid");
    }
  }
}

TEST(IdentityKey, RoleKeyIgnoresPathAndCase) {
  auto registered = ParseAwsArn("arn:aws:iam::123456789012:role/service-role/My-Fn");
  ASSERT_TRUE(registered.ok());
  VerifiedIdentity id;
  id.aws = AwsPrincipal{"aws",
                        "123456789012",
                        AwsPrincipalType::kRole,
                        "my-fn",
                        "",
                        "sess",
                        "arn:aws:sts::123456789012:assumed-role/my-fn/sess"};
  EXPECT_EQ(IdentityKey(id),
            AwsRoleKey(registered->partition, registered->account, registered->name));
  // Another partition or account is another key.
  EXPECT_NE(AwsRoleKey("aws-cn", "123456789012", "my-fn"),
            AwsRoleKey("aws", "123456789012", "my-fn"));
  EXPECT_NE(AwsRoleKey("aws", "123456789013", "my-fn"), AwsRoleKey("aws", "123456789012", "my-fn"));
  // A role and a user of the same name never collide.
  EXPECT_NE(AwsUserKey("aws", "123456789012", "x"), AwsRoleKey("aws", "123456789012", "x"));
}

TEST(CanonicalIssuer, AzureV1AndV2BecomeOneForm) {
  const std::string want =
      "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";
  for (const char* in :
       {"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
        "https://sts.windows.net/72F988BF-86f1-41af-91ab-2d7cd011db47",
        "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
        "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/"}) {
    auto c = CanonicalIssuer(Provider::kAzure, in);
    ASSERT_TRUE(c.ok()) << in;
    EXPECT_EQ(*c, want);
  }
  EXPECT_FALSE(CanonicalIssuer(Provider::kAzure, "https://evil.example/tenant").ok());
  EXPECT_FALSE(CanonicalIssuer(Provider::kAzure, "https://sts.windows.net/../x/").ok());
}

TEST(CanonicalIssuer, GcpAndOidc) {
  EXPECT_EQ(*CanonicalIssuer(Provider::kGcp, "accounts.google.com"), "https://accounts.google.com");
  EXPECT_EQ(*CanonicalIssuer(Provider::kOidc, "https://token.actions.githubusercontent.com"),
            "https://token.actions.githubusercontent.com");
}

TEST(JwtKey, SubjectIsExact) {
  EXPECT_NE(JwtKey("https://i", "Sub"), JwtKey("https://i", "sub"));
  EXPECT_NE(JwtKey("https://i\nx", "y"), JwtKey("https://i", "x\ny"));
}

}  // namespace
}  // namespace wifgate::verify
