// Single flight in the AWS verification path: concurrent misses for one signed request
// make one STS call and share its answer, success or failure; nothing beyond a success is
// cached; distinct signed requests never share a call.
#include <gtest/gtest.h>

#include <barrier>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <new>
#include <stdexcept>
#include <thread>

#include "aws_test_util.h"
#include "fake_env.h"
#include "verify/aws_sts_verifier.h"

namespace wifgate::verify {
namespace {

using wifgate::testing::EnvelopeBuilder;
using wifgate::testing::FakeEnv;

// Holds every AsyncSend until the test answers it, as STS would while a call is in flight.
class ParkedHttpClient : public net::HttpClient {
 public:
  Result<net::HttpResponse> Send(const net::HttpRequest&, const net::HttpOptions&) override {
    return Status(Code::kInternal, "test.sync_send", "the verifier must not block on STS");
  }
  void AsyncSend(net::HttpRequest, net::HttpOptions, Callback done) override {
    std::lock_guard lock(mu_);
    parked_.push_back(std::move(done));
    ++calls_;
  }
  size_t calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  // Answers the oldest parked call.
  void Answer(Result<net::HttpResponse> response) {
    Callback done;
    {
      std::lock_guard lock(mu_);
      ASSERT_FALSE(parked_.empty());
      done = std::move(parked_.front());
      parked_.pop_front();
    }
    done(std::move(response));
  }

 private:
  std::mutex mu_;
  std::deque<Callback> parked_;
  size_t calls_ = 0;
};

net::HttpResponse CallerResponse() {
  net::HttpResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", "application/json"}};
  r.body =
      "{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{\"Account\":"
      "\"111111111111\",\"Arn\":\"arn:aws:sts::111111111111:assumed-role/Deploy/s1\","
      "\"UserId\":\"AROAX:s1\"},\"ResponseMetadata\":{\"RequestId\":\"r\"}}}";
  return r;
}

// Collects the answers handed to VerifyAsync callbacks, from any thread.
struct Answers {
  std::mutex mu;
  std::vector<Result<VerifiedIdentity>> got;
  Verifier::Callback Add() {
    return [this](Result<VerifiedIdentity> r) {
      std::lock_guard lock(mu);
      got.push_back(std::move(r));
    };
  }
  size_t size() {
    std::lock_guard lock(mu);
    return got.size();
  }
};

class AwsSingleFlightTest : public ::testing::Test {
 protected:
  std::unique_ptr<AwsStsVerifier> Make(size_t cache_capacity, bool one_time_use = false) {
    AwsStsVerifierConfig config;
    config.cache_capacity = cache_capacity;
    config.one_time_use = one_time_use;
    auto v = AwsStsVerifier::Create(std::move(config), http_, env_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? std::move(v.value()) : nullptr;
  }

  FakeEnv env_;
  ParkedHttpClient http_;
  EnvelopeBuilder b_{env_.now};
};

TEST_F(AwsSingleFlightTest, ConcurrentMissesShareOneStsCall) {
  auto verifier = Make(100);
  const std::string token = b_.Token();
  Answers answers;
  for (int i = 0; i < 5; ++i) verifier->VerifyAsync(token, answers.Add());
  EXPECT_EQ(http_.calls(), 1u);
  EXPECT_EQ(answers.size(), 0u);  // all five wait on the one call
  EXPECT_EQ(verifier->cache().in_flight(), 1u);

  http_.Answer(CallerResponse());
  ASSERT_EQ(answers.size(), 5u);
  for (const auto& r : answers.got) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->aws->arn, "arn:aws:sts::111111111111:assumed-role/Deploy/s1");
  }
  EXPECT_EQ(verifier->cache().in_flight(), 0u);
  // The success is cached: the next login is answered at once, with no call.
  Answers later;
  verifier->VerifyAsync(token, later.Add());
  EXPECT_EQ(later.size(), 1u);
  EXPECT_EQ(http_.calls(), 1u);
}

// With one-time use, concurrent logins with one attestation still make one STS call, and
// exactly one of them logs in.
TEST_F(AwsSingleFlightTest, OneTimeUseLetsOneOfConcurrentLoginsThrough) {
  auto verifier = Make(100, /*one_time_use=*/true);
  const std::string token = b_.Token();
  Answers answers;
  for (int i = 0; i < 5; ++i) verifier->VerifyAsync(token, answers.Add());
  http_.Answer(CallerResponse());
  ASSERT_EQ(answers.size(), 5u);
  int ok = 0, replayed = 0;
  for (const auto& r : answers.got) {
    if (r.ok()) ++ok;
    if (!r.ok() && r.status().reason() == "aws.attestation_replayed") ++replayed;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(replayed, 4);
  EXPECT_EQ(http_.calls(), 1u);
}

TEST_F(AwsSingleFlightTest, AFailureReachesEveryWaiterAndIsNotCached) {
  auto verifier = Make(100);
  const std::string token = b_.Token();
  Answers answers;
  for (int i = 0; i < 3; ++i) verifier->VerifyAsync(token, answers.Add());
  net::HttpResponse unavailable;
  unavailable.status = 500;
  http_.Answer(unavailable);
  ASSERT_EQ(answers.size(), 3u);
  for (const auto& r : answers.got) EXPECT_EQ(r.status().reason(), "aws.sts_unavailable");
  EXPECT_EQ(verifier->cache().size(), 0u);
  EXPECT_EQ(verifier->cache().in_flight(), 0u);

  // The next attempt asks STS again.
  Answers retry;
  verifier->VerifyAsync(token, retry.Add());
  EXPECT_EQ(http_.calls(), 2u);
  http_.Answer(CallerResponse());
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_TRUE(retry.got[0].ok());
}

TEST_F(AwsSingleFlightTest, TheCallsDeadlineEndsEveryWait) {
  auto verifier = Make(100);
  const std::string token = b_.Token();
  Answers answers;
  for (int i = 0; i < 3; ++i) verifier->VerifyAsync(token, answers.Add());
  http_.Answer(Status(Code::kDeadlineExceeded, "net.timeout", "deadline of 10000 ms passed"));
  ASSERT_EQ(answers.size(), 3u);
  for (const auto& r : answers.got) {
    EXPECT_EQ(r.status().reason(), "aws.sts_unreachable");
    EXPECT_EQ(r.status().code(), Code::kUnavailable);
  }
  EXPECT_EQ(verifier->cache().in_flight(), 0u);
}

TEST_F(AwsSingleFlightTest, DistinctSignedRequestsAreNeverMerged) {
  auto verifier = Make(100);
  EnvelopeBuilder other(env_.now);
  other.Set("Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00/20150830/us-east-1/sts/"
            "aws4_request, SignedHeaders=host;x-amz-date;x-snowflake-audience, Signature=" +
                std::string(64, 'c'));
  Answers first, second;
  verifier->VerifyAsync(b_.Token(), first.Add());
  verifier->VerifyAsync(other.Token(), second.Add());
  EXPECT_EQ(http_.calls(), 2u);
  EXPECT_EQ(verifier->cache().in_flight(), 2u);
  http_.Answer(CallerResponse());
  EXPECT_EQ(first.size(), 1u);
  EXPECT_EQ(second.size(), 0u);  // still waiting on its own call
  net::HttpResponse rejected;
  rejected.status = 403;
  rejected.headers = {{"Content-Type", "application/json"}};
  rejected.body = "{\"Error\":{\"Code\":\"SignatureDoesNotMatch\"}}";
  http_.Answer(rejected);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second.got[0].status().reason(), "aws.sts_rejected");
}

TEST_F(AwsSingleFlightTest, MergesEvenWithTheCacheOff) {
  auto verifier = Make(0);
  const std::string token = b_.Token();
  Answers answers;
  for (int i = 0; i < 4; ++i) verifier->VerifyAsync(token, answers.Add());
  EXPECT_EQ(http_.calls(), 1u);
  http_.Answer(CallerResponse());
  EXPECT_EQ(answers.size(), 4u);
  // Nothing is kept: a later login calls again.
  verifier->VerifyAsync(token, answers.Add());
  EXPECT_EQ(http_.calls(), 2u);
}

TEST_F(AwsSingleFlightTest, ThreadsRacingOnOneRequestMakeOneCall) {
  auto verifier = Make(100);
  const std::string token = b_.Token();
  constexpr int kThreads = 8;
  Answers answers;
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      verifier->VerifyAsync(token, answers.Add());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(http_.calls(), 1u);
  std::thread sts([&] { http_.Answer(CallerResponse()); });
  sts.join();
  ASSERT_EQ(answers.size(), static_cast<size_t>(kThreads));
  for (const auto& r : answers.got) EXPECT_TRUE(r.ok());
}

// An HttpClient that cannot start a call: it lets `before_throw` run (a login joining the
// call meanwhile), then throws as an allocation failure would.
class ThrowingHttpClient : public net::HttpClient {
 public:
  Result<net::HttpResponse> Send(const net::HttpRequest&, const net::HttpOptions&) override {
    return Status(Code::kInternal, "test.sync_send", "the verifier must not block on STS");
  }
  void AsyncSend(net::HttpRequest, net::HttpOptions, Callback) override {
    ++calls;
    if (before_throw) before_throw();
    throw std::bad_alloc();
  }
  std::function<void()> before_throw;
  size_t calls = 0;
};

TEST(AwsSingleFlightFailureTest, ACallThatCannotStartAnswersEveryWaiter) {
  FakeEnv env;
  ThrowingHttpClient http;
  auto verifier = AwsStsVerifier::Create(AwsStsVerifierConfig{}, http, env);
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  const std::string token = EnvelopeBuilder(env.now).Token();
  Answers answers;
  http.before_throw = [&] { (*verifier)->VerifyAsync(token, answers.Add()); };
  (*verifier)->VerifyAsync(token, answers.Add());
  ASSERT_EQ(answers.size(), 2u);  // the leader and the login that joined it
  for (const auto& r : answers.got) EXPECT_EQ(r.status().reason(), "aws.sts_call_failed");
  EXPECT_EQ((*verifier)->cache().in_flight(), 0u);

  // Nothing is left behind: the next login leads a new call.
  http.before_throw = nullptr;
  Answers next;
  (*verifier)->VerifyAsync(token, next.Add());
  EXPECT_EQ(http.calls, 2u);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next.got[0].status().reason(), "aws.sts_call_failed");
}

TEST_F(AwsSingleFlightTest, AWaiterThatThrowsDoesNotSilenceTheOthers) {
  auto verifier = Make(100);
  const std::string token = b_.Token();
  Answers answers;
  verifier->VerifyAsync(token, [](Result<VerifiedIdentity>) { throw std::runtime_error("boom"); });
  for (int i = 0; i < 2; ++i) verifier->VerifyAsync(token, answers.Add());
  EXPECT_THROW(http_.Answer(CallerResponse()), std::runtime_error);
  ASSERT_EQ(answers.size(), 2u);
  for (const auto& r : answers.got) EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(verifier->cache().in_flight(), 0u);
  EXPECT_EQ(verifier->cache().size(), 1u);
}

TEST(AwsVerificationCacheSingleFlightTest, LeaderFirstThenWaitersOutsideTheLock) {
  AwsVerificationCache cache(10);
  SystemTime t0{std::chrono::seconds{1000}};
  std::vector<std::string> order;
  auto record = [&](std::string who) {
    return [&order, who](Result<VerifiedIdentity> r) {
      order.push_back(who + (r.ok() ? ":ok" : ":" + r.status().reason()));
    };
  };
  using Outcome = AwsVerificationCache::Outcome;
  EXPECT_EQ(cache.LookupOrJoin("k", t0, record("leader")), Outcome::kLead);
  EXPECT_EQ(cache.LookupOrJoin("k", t0, record("w1")), Outcome::kJoined);
  // A waiter may look the key up again from its callback: no lock is held by then, and the
  // success is already cached.
  Outcome reentrant{};
  EXPECT_EQ(cache.LookupOrJoin("k", t0,
                               [&](Result<VerifiedIdentity>) {
                                 reentrant = cache.LookupOrJoin("k", t0, record("again"));
                               }),
            Outcome::kJoined);
  cache.Complete("k", VerifiedIdentity{}, t0 + std::chrono::seconds(60), t0);
  EXPECT_EQ(reentrant, Outcome::kHit);
  EXPECT_EQ(order, (std::vector<std::string>{"leader:ok", "w1:ok", "again:ok"}));
  EXPECT_EQ(cache.in_flight(), 0u);

  // A failure is handed over, not kept.
  order.clear();
  EXPECT_EQ(cache.LookupOrJoin("f", t0, record("leader")), Outcome::kLead);
  EXPECT_EQ(cache.LookupOrJoin("f", t0, record("w1")), Outcome::kJoined);
  cache.Complete("f", Status(Code::kUnavailable, "aws.sts_unavailable", "500"),
                 t0 + std::chrono::seconds(60), t0);
  EXPECT_EQ(order,
            (std::vector<std::string>{"leader:aws.sts_unavailable", "w1:aws.sts_unavailable"}));
  EXPECT_EQ(cache.LookupOrJoin("f", t0, record("next")), Outcome::kLead);
}

}  // namespace
}  // namespace wifgate::verify
