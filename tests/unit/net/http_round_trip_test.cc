// BeastHttpClient against HttpServer on 127.0.0.1: the behaviours both promise.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "fake_env.h"
#include "net/beast_http_client.h"
#include "net/gzip.h"
#include "net/http_server.h"

namespace wifgate::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

// Responders parked by a handler, answered when the test says so.
class ParkedResponders {
 public:
  Handler Park() {
    return [this](ServerRequest, Responder respond) {
      std::lock_guard<std::mutex> lock(mu_);
      parked_.push_back(std::move(respond));
    };
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return parked_.size();
  }
  void ReleaseAll(int status) {
    std::vector<Responder> parked;
    {
      std::lock_guard<std::mutex> lock(mu_);
      parked.swap(parked_);
    }
    for (Responder& r : parked) r(ServerResponse::Text(status, "released"));
  }

 private:
  std::mutex mu_;
  std::vector<Responder> parked_;
};

class RoundTripTest : public ::testing::Test {
 protected:
  void StartServer(HttpServerOptions options = {}) {
    server_ = std::make_unique<HttpServer>(std::move(options));
    server_->Route("GET", "/echo", [](ServerRequest request, Responder respond) {
      std::string body = request.method + " " + request.path + "\n";
      for (const auto& [k, v] : request.query) body += "q:" + k + "=" + v + "\n";
      for (const char* name : {"host", "accept-encoding", "x-test", "content-encoding"}) {
        body += std::string(name) + ":" + request.Header(name).value_or("-") + "\n";
      }
      body += "remote:" + request.remote_address + "\n";
      ServerResponse response = ServerResponse::Text(200, body);
      response.headers.push_back({"X-Reply", "yes"});
      respond(std::move(response));
    });
    server_->Route("POST", "/echo", [](ServerRequest request, Responder respond) {
      respond(ServerResponse::Text(201, request.body));
    });
    server_->Route("GET", "/big", [](ServerRequest request, Responder respond) {
      size_t size = std::stoul(request.Query("size").value_or("0"));
      respond(ServerResponse::Text(200, std::string(size, 'x')));
    });
    server_->Route("GET", "/redirect", [this](ServerRequest, Responder respond) {
      ServerResponse response = ServerResponse::Text(302, "");
      response.headers.push_back({"Location", server_->base_url() + "/target"});
      respond(std::move(response));
    });
    server_->Route("GET", "/target", [this](ServerRequest, Responder respond) {
      ++target_hits_;
      respond(ServerResponse::Text(200, "target"));
    });
    server_->Route("GET", "/later", [](ServerRequest, Responder respond) {
      std::thread([respond = std::move(respond)] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        respond(ServerResponse::Text(200, "from another thread"));
      }).detach();
    });
    server_->Route("GET", "/dropped", [](ServerRequest, Responder) {});
    server_->Route("GET", "/park", parked_.Park());
    ASSERT_TRUE(server_->Start().ok());
  }

  void TearDown() override {
    parked_.ReleaseAll(503);
    if (server_) server_->Stop();
  }

  Result<HttpResponse> Get(const std::string& path, HttpOptions options = {}) {
    HttpRequest request;
    request.url = server_->base_url() + path;
    return client_.Send(request, options);
  }

  testing::FakeEnv env_;
  BeastHttpClient client_{env_};
  std::unique_ptr<HttpServer> server_;
  ParkedResponders parked_;
  std::atomic<int> target_hits_{0};
};

TEST_F(RoundTripTest, StatusHeadersBodyAndQuery) {
  StartServer();
  HttpRequest request;
  request.url = server_->base_url() + "/echo?a=1&b=two+words&c=%2Fslash&a=2";
  request.headers.push_back({"X-Test", "value"});
  Result<HttpResponse> response = client_.Send(request, {});
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("x-reply"), "yes");
  std::string expected = "GET /echo\nq:a=1\nq:b=two words\nq:c=/slash\nq:a=2\n" +
                         std::string("host:127.0.0.1:") + std::to_string(server_->port()) +
                         "\naccept-encoding:identity\nx-test:value\ncontent-encoding:-\n"
                         "remote:127.0.0.1\n";
  EXPECT_EQ(response->body, expected);
}

TEST_F(RoundTripTest, PostBodyAndCallerHostHeader) {
  StartServer();
  HttpRequest request;
  request.method = "POST";
  request.url = server_->base_url() + "/echo";
  request.body = std::string(100000, 'b');
  Result<HttpResponse> response = client_.Send(request, {});
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, request.body);

  // A caller-supplied Host (a signed request forwarded to a stand-in) is kept.
  HttpRequest get;
  get.url = server_->base_url() + "/echo";
  get.headers.push_back({"Host", "sts.amazonaws.com"});
  response = client_.Send(get, {});
  ASSERT_TRUE(response.ok());
  EXPECT_NE(response->body.find("host:sts.amazonaws.com\n"), std::string::npos);
}

TEST_F(RoundTripTest, FallbackIs404AndCustomizable) {
  StartServer();
  Result<HttpResponse> response = Get("/nope");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 404);
  HttpRequest wrong_method;
  wrong_method.method = "DELETE";
  wrong_method.url = server_->base_url() + "/echo";
  response = client_.Send(wrong_method, {});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 404);

  HttpServer custom({});
  custom.SetFallback([](ServerRequest request, Responder respond) {
    respond(ServerResponse::Json(418, "{\"path\":\"" + request.path + "\"}"));
  });
  ASSERT_TRUE(custom.Start().ok());
  HttpRequest request;
  request.url = custom.base_url() + "/any/where";
  response = client_.Send(request, {});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 418);
  EXPECT_EQ(response->body, "{\"path\":\"/any/where\"}");
  EXPECT_EQ(response->Header("content-type"), "application/json");
}

TEST_F(RoundTripTest, AsynchronousAndDroppedResponders) {
  StartServer();
  Result<HttpResponse> later = Get("/later");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->body, "from another thread");
  Result<HttpResponse> dropped = Get("/dropped");
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->status, 500);
}

TEST_F(RoundTripTest, RedirectsAreReturnedNotFollowed) {
  StartServer();
  Result<HttpResponse> response = Get("/redirect");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 302);
  EXPECT_EQ(response->Header("location"), server_->base_url() + "/target");
  EXPECT_EQ(target_hits_.load(), 0);
}

TEST_F(RoundTripTest, ResponseSizeCap) {
  StartServer();
  HttpOptions options;
  options.max_response_bytes = 1000;
  Result<HttpResponse> exact = Get("/big?size=1000", options);
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_EQ(exact->body.size(), 1000u);
  Result<HttpResponse> over = Get("/big?size=1001", options);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().reason(), "net.response_too_large");
  EXPECT_EQ(over.status().code(), Code::kResourceExhausted);
  EXPECT_NE(over.status().message().find("127.0.0.1:" + std::to_string(server_->port())),
            std::string::npos);
}

TEST_F(RoundTripTest, DeadlineCoversAServerThatNeverAnswers) {
  StartServer();
  HttpOptions options;
  options.timeout = std::chrono::milliseconds(200);
  auto start = Clock::now();
  Result<HttpResponse> response = Get("/park", options);
  auto elapsed = Clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "net.timeout");
  EXPECT_EQ(response.status().code(), Code::kDeadlineExceeded);
  EXPECT_GE(elapsed, std::chrono::milliseconds(190));
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST_F(RoundTripTest, ConnectionRefusedIsNamed) {
  // Learn a free port, then close the server listening on it.
  uint16_t port;
  {
    HttpServer closed({});
    ASSERT_TRUE(closed.Listen().ok());
    port = closed.port();
  }
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  request.headers.push_back({"Authorization", "Bearer secret-token"});
  request.body = "secret-body";
  Result<HttpResponse> response = client_.Send(request, {});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "net.connect");
  std::string message = response.status().message();
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << message;
  EXPECT_EQ(message.find("secret"), std::string::npos) << message;
}

TEST_F(RoundTripTest, RejectsHeaderInjectionAndBadMethods) {
  StartServer();
  HttpRequest request;
  request.url = server_->base_url() + "/echo";
  request.headers.push_back({"X-Test", "a\r\nInjected: yes"});
  EXPECT_EQ(client_.Send(request, {}).status().reason(), "net.bad_request");
  request.headers = {{"Bad Name", "x"}};
  EXPECT_EQ(client_.Send(request, {}).status().reason(), "net.bad_request");
  request.headers = {};
  request.method = "GET /x HTTP/1.1\r\n";
  EXPECT_EQ(client_.Send(request, {}).status().reason(), "net.bad_request");
  request.url = "ftp://127.0.0.1/";
  request.method = "GET";
  EXPECT_EQ(client_.Send(request, {}).status().reason(), "net.bad_url");
}

// Raw HTTP over one connection, for what the client deliberately never does.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : socket_(io_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  }
  http::response<http::string_body> Exchange(const http::request<http::string_body>& request) {
    http::write(socket_, request);
    return Read();
  }
  // Exchange, for a connection the server may have closed: false instead of throwing.
  bool TryExchange(const http::request<http::string_body>& request, boost::system::error_code* ec) {
    http::write(socket_, request, *ec);
    if (*ec) return false;
    http::response<http::string_body> response;
    http::read(socket_, buffer_, response, *ec);
    return !*ec && response.result_int() == 200;
  }
  // Sends `bytes` as they are (framing a request by hand) and reads one response.
  http::response<http::string_body> ExchangeBytes(std::string_view bytes) {
    Send(bytes);
    return Read();
  }
  void Send(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }
  http::response<http::string_body> Read() {
    http::response<http::string_body> response;
    http::read(socket_, buffer_, response);
    return response;
  }
  bool PeerClosed() {
    boost::system::error_code ec;
    char byte;
    socket_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

http::request<http::string_body> RawRequest(http::verb verb, const char* target,
                                            std::string body = "") {
  http::request<http::string_body> request{verb, target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

TEST_F(RoundTripTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  RawConnection connection(server_->port());
  for (int i = 0; i < 3; ++i) {
    auto response = connection.Exchange(RawRequest(http::verb::get, "/echo?i=1"));
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_TRUE(response.keep_alive());
  }
  auto request = RawRequest(http::verb::get, "/echo");
  request.keep_alive(false);
  auto last = connection.Exchange(request);
  EXPECT_EQ(last.result_int(), 200u);
  EXPECT_FALSE(last.keep_alive());
  EXPECT_TRUE(connection.PeerClosed());
}

// security.md HTTP-04: a request whose length is ambiguous gets 400 and the connection
// closes, so the request pipelined behind it (a would-be smuggled one) is never served.
TEST_F(RoundTripTest, AmbiguousRequestLengthsAreRefusedAndCloseTheConnection) {
  StartServer();
  const std::string smuggled = "GET /echo?smuggled=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const std::string head = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const std::string& framing : {
           std::string("Transfer-Encoding: gzip\r\n\r\n"),
           std::string("Transfer-Encoding: identity\r\n\r\n"),
           std::string("Transfer-Encoding: chunked, identity\r\nContent-Length: 5\r\n\r\nhello"),
           std::string("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
           std::string("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "0\r\n\r\n"),
           std::string("Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
           std::string("Content-Length: +5\r\n\r\nhello"),
           std::string("Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n"),
       }) {
    SCOPED_TRACE(framing);
    RawConnection connection(server_->port());
    auto response = connection.ExchangeBytes(head + framing + smuggled);
    EXPECT_EQ(response.result_int(), 400u);
    EXPECT_TRUE(connection.PeerClosed()) << "a second response followed";
  }
  // Chunked alone is fine, and keeps the connection.
  RawConnection connection(server_->port());
  auto ok =
      connection.ExchangeBytes(head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(ok.result_int(), 201u);
  EXPECT_EQ(ok.body(), "hello");
  EXPECT_EQ(connection.Exchange(RawRequest(http::verb::get, "/echo")).result_int(), 200u);
}

// security.md HTTP-02: one address cannot hold more than its share of connections; the
// rest are closed as they arrive, and the connections it has keep working.
TEST_F(RoundTripTest, ConnectionsPerAddressAreCapped) {
  HttpServerOptions options;
  options.max_connections_per_address = 3;
  StartServer(options);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<RawConnection>(server_->port()));
  RawConnection refused(server_->port());
  boost::system::error_code refused_ec;
  EXPECT_FALSE(refused.TryExchange(RawRequest(http::verb::get, "/echo"), &refused_ec));
  EXPECT_EQ(held[0]->Exchange(RawRequest(http::verb::get, "/echo")).result_int(), 200u);
  // A closed connection frees its place (once the server has noticed).
  held.pop_back();
  bool admitted = false;
  for (int attempt = 0; attempt < 200 && !admitted; ++attempt) {
    RawConnection again(server_->port());
    auto request = RawRequest(http::verb::get, "/echo");
    boost::system::error_code ec;
    admitted = again.TryExchange(request, &ec);
    if (!admitted) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(admitted);
}

// security.md HTTP-03: a body trickling in is cut off by the request deadline.
TEST_F(RoundTripTest, SlowBodiesAreCutOffByTheDeadline) {
  HttpServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(300);
  StartServer(options);
  RawConnection connection(server_->port());
  connection.Send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nx");
  EXPECT_TRUE(connection.PeerClosed());  // blocks until the server gives up
}

TEST_F(RoundTripTest, RequestLimits) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  options.max_header_bytes = 2048;
  StartServer(options);
  {
    RawConnection connection(server_->port());
    auto response =
        connection.Exchange(RawRequest(http::verb::post, "/echo", std::string(1024, 'a')));
    EXPECT_EQ(response.result_int(), 201u);
    response = connection.Exchange(RawRequest(http::verb::post, "/echo", std::string(1025, 'a')));
    EXPECT_EQ(response.result_int(), 413u);
    EXPECT_TRUE(connection.PeerClosed());
  }
  {
    RawConnection connection(server_->port());
    auto request = RawRequest(http::verb::get, "/echo");
    request.set("X-Padding", std::string(4096, 'p'));
    EXPECT_EQ(connection.Exchange(request).result_int(), 431u);
  }
  // The outbound client sees the same 413 as a plain response.
  HttpRequest request;
  request.method = "POST";
  request.url = server_->base_url() + "/echo";
  request.body = std::string(5000, 'z');
  Result<HttpResponse> response = client_.Send(request, {});
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 413);
}

TEST_F(RoundTripTest, GzipRequestBodies) {
  HttpServerOptions options;
  options.max_body_bytes = 64 * 1024;
  options.max_decoded_body_bytes = 100000;
  StartServer(options);
  RawConnection connection(server_->port());
  std::string text(100000, 'g');
  auto request = RawRequest(http::verb::post, "/echo", GzipEncode(text));
  request.set(http::field::content_encoding, "gzip");
  auto response = connection.Exchange(request);
  EXPECT_EQ(response.result_int(), 201u);
  EXPECT_EQ(response.body(), text);

  request = RawRequest(http::verb::post, "/echo", GzipEncode(text + "!"));  // one byte over
  request.set(http::field::content_encoding, "gzip");
  EXPECT_EQ(connection.Exchange(request).result_int(), 413u);

  RawConnection second(server_->port());
  request = RawRequest(http::verb::post, "/echo", "definitely not gzip");
  request.set(http::field::content_encoding, "gzip");
  EXPECT_EQ(second.Exchange(request).result_int(), 400u);

  RawConnection third(server_->port());
  request = RawRequest(http::verb::post, "/echo", "x");
  request.set(http::field::content_encoding, "br");
  EXPECT_EQ(third.Exchange(request).result_int(), 415u);

  // The handler sees the decoded body without the Content-Encoding header.
  RawConnection fourth(server_->port());
  request = RawRequest(http::verb::get, "/echo", GzipEncode("ignored"));
  request.set(http::field::content_encoding, "gzip");
  auto echoed = fourth.Exchange(request);
  EXPECT_NE(echoed.body().find("content-encoding:-\n"), std::string::npos) << echoed.body();
}

TEST_F(RoundTripTest, StopLetsInFlightRequestsFinish) {
  StartServer();
  std::future<Result<HttpResponse>> in_flight = std::async(std::launch::async, [this] {
    BeastHttpClient client(env_);
    HttpRequest request;
    request.url = server_->base_url() + "/park";
    return client.Send(request, {});
  });
  while (parked_.size() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::thread releaser([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    parked_.ReleaseAll(200);
  });
  auto start = Clock::now();
  server_->Stop(std::chrono::seconds(5));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
  releaser.join();
  Result<HttpResponse> response = in_flight.get();
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "released");
  // No longer accepting.
  Result<HttpResponse> after = Get("/echo");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().reason(), "net.connect");
}

TEST(HttpServerTest, RunBlocksUntilStop) {
  HttpServer server({});
  ASSERT_TRUE(server.Listen().ok());
  EXPECT_NE(server.port(), 0);
  std::thread runner([&server] { EXPECT_TRUE(server.Run().ok()); });
  testing::FakeEnv env;
  BeastHttpClient client(env);
  HttpRequest request;
  request.url = server.base_url() + "/";
  Result<HttpResponse> response = client.Send(request, {});
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 404);
  server.Stop();
  runner.join();
}

TEST(HttpServerTest, ListenFailuresAreNamed) {
  HttpServer first({});
  ASSERT_TRUE(first.Listen().ok());
  HttpServerOptions same;
  same.port = first.port();
  HttpServer second(same);
  Status status = second.Listen();
  EXPECT_EQ(status.reason(), "net.listen");
  EXPECT_NE(status.message().find(std::to_string(first.port())), std::string::npos);

  HttpServerOptions bad_host;
  bad_host.host = "not an address";
  EXPECT_EQ(HttpServer(bad_host).Listen().reason(), "net.listen");
}

}  // namespace
}  // namespace wifgate::net
