// AwsReplayGuard: first use only, until expiry; atomic under concurrency; bounded.
#include "verify/aws_replay_guard.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace wifgate::verify {
namespace {

using std::chrono::seconds;

const SystemTime kT0{seconds{1'000'000}};

TEST(AwsReplayGuard, RefusesEverySecondUseUntilExpiry) {
  AwsReplayGuard guard(10);
  EXPECT_TRUE(guard.FirstUse("a", kT0 + seconds(900), kT0));
  EXPECT_FALSE(guard.FirstUse("a", kT0 + seconds(900), kT0 + seconds(1)));
  EXPECT_FALSE(guard.FirstUse("a", kT0 + seconds(900), kT0 + seconds(899)));
  EXPECT_TRUE(guard.FirstUse("b", kT0 + seconds(900), kT0));
  // Past expiry the verifier refuses the attestation anyway; the guard forgets it.
  EXPECT_TRUE(guard.FirstUse("a", kT0 + seconds(2000), kT0 + seconds(900)));
  EXPECT_EQ(guard.size(), 2u);
}

TEST(AwsReplayGuard, ExactlyOneOfConcurrentUsesWins) {
  AwsReplayGuard guard(100);
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (guard.FirstUse("same", kT0 + seconds(900), kT0)) ++winners;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners, 1);
}

TEST(AwsReplayGuard, WhenFullForgetsExpiredThenSoonestToExpire) {
  AwsReplayGuard guard(2);
  EXPECT_TRUE(guard.FirstUse("soon", kT0 + seconds(10), kT0));
  EXPECT_TRUE(guard.FirstUse("late", kT0 + seconds(900), kT0));
  // Full, nothing expired: the entry closest to expiry goes.
  EXPECT_TRUE(guard.FirstUse("new", kT0 + seconds(800), kT0 + seconds(1)));
  EXPECT_EQ(guard.size(), 2u);
  EXPECT_FALSE(guard.FirstUse("late", kT0 + seconds(900), kT0 + seconds(2)));
  EXPECT_FALSE(guard.FirstUse("new", kT0 + seconds(800), kT0 + seconds(2)));
  EXPECT_TRUE(guard.FirstUse("soon", kT0 + seconds(10), kT0 + seconds(2)));
}

}  // namespace
}  // namespace wifgate::verify
