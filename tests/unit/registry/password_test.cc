#include "registry/password.h"

#include <gtest/gtest.h>

#include "fake_env.h"

namespace wifgate::registry {
namespace {

TEST(PasswordTest, HashVerifiesOnlyTheSamePassword) {
  testing::FakeEnv env;
  auto hash = HashPassword("correct horse", env, 1000);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("pbkdf2-sha256$1000$"));
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword("correct horse", *hash));
  EXPECT_FALSE(VerifyPassword("correct horsf", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
}

TEST(PasswordTest, SaltMakesHashesDiffer) {
  testing::FakeEnv env;
  auto a = HashPassword("pw", env, 1000);
  auto b = HashPassword("pw", env, 1000);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PasswordTest, DefaultIterationsAreHigh) {
  testing::FakeEnv env;
  auto hash = HashPassword("pw", env);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("pbkdf2-sha256$600000$"));
  EXPECT_TRUE(VerifyPassword("pw", *hash));
}

TEST(PasswordTest, MalformedEncodingsNeverMatch) {
  for (const std::string& bad :
       std::vector<std::string>{"", "pbkdf2-sha256$1000$00$", "md5$1$00$00",
                                "pbkdf2-sha256$x$0011$" + std::string(64, '0'),
                                "pbkdf2-sha256$0$0011$" + std::string(64, '0'),
                                "pbkdf2-sha256$1000$0011$" + std::string(62, '0')}) {
    EXPECT_FALSE(VerifyPassword("pw", bad)) << bad;
  }
}

TEST(PasswordTest, RejectsAbsurdIterationCounts) {
  testing::FakeEnv env;
  EXPECT_FALSE(HashPassword("pw", env, 0).ok());
}

}  // namespace
}  // namespace wifgate::registry
