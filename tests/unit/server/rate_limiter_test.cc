#include "server/rate_limiter.h"

#include <gtest/gtest.h>

#include "fake_env.h"

namespace wifgate::server {
namespace {

TEST(RateLimiter, BurstThenSteadyRatePerClient) {
  testing::FakeEnv env;
  RateLimiter limiter(env, /*rate_per_minute=*/60, /*burst=*/3);
  EXPECT_TRUE(limiter.Allow("10.0.0.1"));
  EXPECT_TRUE(limiter.Allow("10.0.0.1"));
  EXPECT_TRUE(limiter.Allow("10.0.0.1"));
  EXPECT_FALSE(limiter.Allow("10.0.0.1"));
  EXPECT_TRUE(limiter.Allow("10.0.0.2"));  // other clients are unaffected

  env.now += std::chrono::milliseconds(999);
  EXPECT_FALSE(limiter.Allow("10.0.0.1"));
  env.now += std::chrono::milliseconds(2);
  EXPECT_TRUE(limiter.Allow("10.0.0.1"));
  EXPECT_FALSE(limiter.Allow("10.0.0.1"));

  env.now += std::chrono::hours(1);  // refills to the burst, no further
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("10.0.0.1"));
  EXPECT_FALSE(limiter.Allow("10.0.0.1"));
}

TEST(RateLimiter, RefundedTokensComeBackUpToTheBurst) {
  testing::FakeEnv env;
  RateLimiter limiter(env, 60, 2);
  for (int i = 0; i < 10; ++i) {  // attempts that succeed never run the bucket dry
    ASSERT_TRUE(limiter.Allow("a")) << i;
    limiter.Refund("a");
  }
  limiter.Refund("a");  // no credit beyond the burst
  limiter.Refund("b");  // nor for a client never seen
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_FALSE(limiter.Allow("a"));
}

TEST(RateLimiter, BoundedMemoryForgetsIdleClients) {
  testing::FakeEnv env;
  RateLimiter limiter(env, 60, 2, /*max_clients=*/2);
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("b"));
  env.now += std::chrono::seconds(5);
  EXPECT_TRUE(limiter.Allow("c"));  // a and b have refilled and are forgotten
  EXPECT_TRUE(limiter.Allow("a"));
}

}  // namespace
}  // namespace wifgate::server
