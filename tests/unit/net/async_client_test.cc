// BeastHttpClient::AsyncSend on a server's io_context: no thread waits, bounded concurrency.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>

#include "fake_env.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"

namespace wifgate::net {
namespace {

using std::chrono::milliseconds;

class AsyncClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.threads = 2;
    server_ = std::make_unique<HttpServer>(options);
    server_->Route("GET", "/park", [this](ServerRequest, Responder respond) {
      std::lock_guard<std::mutex> lock(mu_);
      parked_.push_back(std::move(respond));
    });
    server_->Route("GET", "/now", [](ServerRequest, Responder respond) {
      respond(ServerResponse::Text(200, "now"));
    });
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    Release();
    server_->Stop();
  }

  size_t Parked() {
    std::lock_guard<std::mutex> lock(mu_);
    return parked_.size();
  }
  void Release() {
    std::vector<Responder> parked;
    {
      std::lock_guard<std::mutex> lock(mu_);
      parked.swap(parked_);
    }
    for (Responder& r : parked) r(ServerResponse::Text(200, "released"));
  }

  std::future<Result<HttpResponse>> Send(HttpClient& client, const std::string& path,
                                         milliseconds timeout = milliseconds(5000)) {
    auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
    HttpRequest request;
    request.url = server_->base_url() + path;
    HttpOptions options;
    options.timeout = timeout;
    client.AsyncSend(std::move(request), options,
                     [promise](Result<HttpResponse> r) { promise->set_value(std::move(r)); });
    return promise->get_future();
  }

  std::unique_ptr<HttpServer> server_;
  testing::FakeEnv env_;
  std::mutex mu_;
  std::vector<Responder> parked_;
};

TEST_F(AsyncClientTest, ExcessRequestsFailFastThenCapacityReturns) {
  BeastHttpClientOptions options;
  options.max_in_flight = 2;
  BeastHttpClient client(env_, server_->io_context(), options);
  auto first = Send(client, "/park");
  auto second = Send(client, "/park");
  while (Parked() < 2) std::this_thread::sleep_for(milliseconds(5));
  EXPECT_EQ(client.in_flight(), 2u);

  auto third = Send(client, "/now");
  ASSERT_EQ(third.wait_for(std::chrono::seconds(2)), std::future_status::ready);
  Result<HttpResponse> overloaded = third.get();
  ASSERT_FALSE(overloaded.ok());
  EXPECT_EQ(overloaded.status().reason(), "net.overloaded");
  EXPECT_EQ(overloaded.status().code(), Code::kResourceExhausted);

  Release();
  for (auto* f : {&first, &second}) {
    Result<HttpResponse> r = f->get();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->body, "released");
  }
  EXPECT_EQ(client.in_flight(), 0u);
  Result<HttpResponse> again = Send(client, "/now").get();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->body, "now");
}

TEST_F(AsyncClientTest, ManyConcurrentExchangesOnTwoThreads) {
  BeastHttpClient client(env_, server_->io_context());
  std::vector<std::future<Result<HttpResponse>>> futures;
  for (int i = 0; i < 40; ++i) futures.push_back(Send(client, "/now"));
  for (auto& f : futures) {
    Result<HttpResponse> r = f.get();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST_F(AsyncClientTest, DeadlineAndErrorsArriveThroughTheCallback) {
  BeastHttpClient client(env_, server_->io_context());
  auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> timed_out = Send(client, "/park", milliseconds(150)).get();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.status().reason(), "net.timeout");
  EXPECT_EQ(client.in_flight(), 0u);

  auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
  HttpRequest bad;
  bad.url = "gopher://127.0.0.1/";
  client.AsyncSend(bad, {}, [promise](Result<HttpResponse> r) { promise->set_value(r); });
  EXPECT_EQ(promise->get_future().get().status().reason(), "net.bad_url");
}

TEST_F(AsyncClientTest, SynchronousClientRunsAsyncSendInline) {
  BeastHttpClient client(env_);
  auto result = Send(client, "/now");
  ASSERT_EQ(result.wait_for(milliseconds(0)), std::future_status::ready);
  EXPECT_EQ(result.get()->body, "now");
}

}  // namespace
}  // namespace wifgate::net
