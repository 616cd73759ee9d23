// The idle-connection pool, for AsyncSend and for a synchronous-only client's Send: reuse,
// Connection: close, connections the server closed while idle (replaced) or just as a
// request went out (retried only when safe), expiry and bounds. Connections are told apart
// by the client's port as the server sees it.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "fake_env.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"
#include "net/self_signed_cert.h"

namespace wifgate::net {
namespace {

using std::chrono::milliseconds;

// A server whose handlers answer with the client's port and record it, per route.
class PortServer {
 public:
  explicit PortServer(HttpServerOptions options = {}) : server_(std::move(options)) {
    server_.Route("GET", "/port", [this](ServerRequest request, Responder respond) {
      Record(request.remote_port);
      respond(ServerResponse::Text(200, std::to_string(request.remote_port)));
    });
    server_.Route("POST", "/port", [this](ServerRequest request, Responder respond) {
      Record(request.remote_port);
      respond(ServerResponse::Text(200, std::to_string(request.remote_port)));
    });
    server_.Route("GET", "/park", [this](ServerRequest request, Responder respond) {
      std::lock_guard<std::mutex> lock(mu_);
      ports_.push_back(request.remote_port);
      parked_.push_back(std::move(respond));
    });
    EXPECT_TRUE(server_.Start().ok());
  }

  HttpServer& server() { return server_; }
  std::string url(const std::string& path) { return server_.base_url() + path; }

  size_t Requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return ports_.size();
  }
  size_t Connections() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::set<uint16_t>(ports_.begin(), ports_.end()).size();
  }
  void WaitParked(size_t n) {
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (parked_.size() >= n) return;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
  void Release() {
    std::vector<Responder> parked;
    {
      std::lock_guard<std::mutex> lock(mu_);
      parked.swap(parked_);
    }
    for (Responder& r : parked) r(ServerResponse::Text(200, "released"));
  }

 private:
  void Record(uint16_t port) {
    std::lock_guard<std::mutex> lock(mu_);
    ports_.push_back(port);
  }

  HttpServer server_;
  std::mutex mu_;
  std::vector<uint16_t> ports_;
  std::vector<Responder> parked_;
};

std::future<Result<HttpResponse>> SendAsync(HttpClient& client, const std::string& url,
                                            const std::string& method = "GET",
                                            bool idempotent = false) {
  auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
  HttpRequest request;
  request.method = method;
  request.url = url;
  request.idempotent = idempotent;
  HttpOptions options;
  options.timeout = milliseconds(5000);
  client.AsyncSend(std::move(request), options,
                   [promise](Result<HttpResponse> r) { promise->set_value(std::move(r)); });
  return promise->get_future();
}

Result<HttpResponse> Call(HttpClient& client, const std::string& url,
                          const std::string& method = "GET", bool idempotent = false) {
  return SendAsync(client, url, method, idempotent).get();
}

// A client that pools, of either kind: synchronous-only (Send), or on `loop` (AsyncSend).
class PoolingClient {
 public:
  PoolingClient(const Env& env, boost::asio::io_context* loop, BeastHttpClientOptions options = {})
      : on_loop_(loop != nullptr),
        client_(loop != nullptr ? std::make_unique<BeastHttpClient>(env, *loop, options)
                                : std::make_unique<BeastHttpClient>(env, options)) {}

  Result<HttpResponse> Call(const std::string& url, const std::string& method = "GET",
                            bool idempotent = false) {
    if (on_loop_) return net::Call(*client_, url, method, idempotent);
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.idempotent = idempotent;
    return client_->Send(request, {});
  }
  size_t idle_connections() const { return client_->idle_connections(); }

 private:
  bool on_loop_;
  std::unique_ptr<BeastHttpClient> client_;
};

constexpr bool kClientKinds[] = {false, true};  // on an event loop?
std::string KindName(bool on_loop) { return on_loop ? "AsyncSend" : "synchronous Send"; }

class ConnectionPoolTest : public ::testing::Test {
 protected:
  testing::FakeEnv env_;
};

TEST_F(ConnectionPoolTest, SequentialRequestsShareOneConnection) {
  PortServer server;
  BeastHttpClient client(env_, server.server().io_context());
  Result<HttpResponse> first = Call(client, server.url("/port"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(client.idle_connections(), 1u);
  Result<HttpResponse> second = Call(client, server.url("/port"), "POST");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  Result<HttpResponse> third = Call(client, server.url("/port"));
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(first->body, second->body);
  EXPECT_EQ(first->body, third->body);
  EXPECT_EQ(server.Requests(), 3u);
  EXPECT_EQ(server.Connections(), 1u);
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST_F(ConnectionPoolTest, TlsConnectionsAreReusedPerHost) {
  Result<CertAndKey> cert = MakeSelfSignedCert({"localhost", "127.0.0.1"});
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  HttpServerOptions server_options;
  server_options.tls = ServerTls{cert->cert_pem, cert->key_pem};
  BeastHttpClientOptions options;
  options.trust_system_roots = false;
  options.ca_pem = cert->cert_pem;
  for (bool on_loop : kClientKinds) {
    SCOPED_TRACE(KindName(on_loop));
    PortServer server(server_options);
    PoolingClient client(env_, on_loop ? &server.server().io_context() : nullptr, options);
    std::string port = std::to_string(server.server().port());
    std::string by_ip = "https://127.0.0.1:" + port + "/port";
    std::string by_name = "https://localhost:" + port + "/port";
    for (const std::string& url : {by_ip, by_ip, by_name, by_name}) {
      Result<HttpResponse> r = client.Call(url, "POST");
      ASSERT_TRUE(r.ok()) << url << ": " << r.status().ToString();
    }
    // One connection per host name: each was verified for the name it is reused for.
    EXPECT_EQ(server.Requests(), 4u);
    EXPECT_EQ(server.Connections(), 2u);
    EXPECT_EQ(client.idle_connections(), 2u);
  }
}

// Opens `acceptor` on an ephemeral loopback port and returns the port.
uint16_t ListenOnLoopback(boost::asio::ip::tcp::acceptor& acceptor) {
  boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), 0);
  acceptor.open(endpoint.protocol());
  acceptor.bind(endpoint);
  acceptor.listen();
  return acceptor.local_endpoint().port();
}

// A server that answers every request on a connection with `Connection: close` and closes
// it; serves `connections` connections, one at a time, then ends.
class ClosingServer {
 public:
  explicit ClosingServer(int connections) : acceptor_(io_) {
    port_ = ListenOnLoopback(acceptor_);
    thread_ = std::thread([this, connections] {
      for (int i = 0; i < connections; ++i) {
        boost::asio::ip::tcp::socket socket(io_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec) return;
        boost::asio::streambuf request;
        boost::asio::read_until(socket, request, "\r\n\r\n", ec);
        std::string_view response =
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
        boost::asio::write(socket, boost::asio::buffer(response), ec);
        socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
      }
    });
  }
  ~ClosingServer() { thread_.join(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::thread thread_;
};

TEST_F(ConnectionPoolTest, ConnectionCloseIsHonoured) {
  PortServer loop;  // only for its io_context
  ClosingServer server(2);
  BeastHttpClient client(env_, loop.server().io_context());
  for (int i = 0; i < 2; ++i) {
    // The server accepts one connection at a time: a reused (closed) one would fail.
    Result<HttpResponse> r = Call(client, server.url());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->body, "ok");
    EXPECT_EQ(client.idle_connections(), 0u);
  }
}

// A server scripted for what becomes of a kept-alive connection after its first answer:
// kCloseWhenIdle closes it at once (a server's idle timeout, without waiting for one);
// kDropNextRequest reads the next request and closes it unanswered (the idle timeout firing
// just as a request arrives). Either way it then answers one request on a second
// connection, with `Connection: close`, and ends.
class ScriptedServer {
 public:
  enum class AfterFirstAnswer { kCloseWhenIdle, kDropNextRequest };
  static constexpr std::string_view kKeepAliveAnswer =
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst";
  static constexpr std::string_view kClosingAnswer =
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 6\r\n\r\nsecond";

  explicit ScriptedServer(AfterFirstAnswer script) : acceptor_(io_) {
    port_ = ListenOnLoopback(acceptor_);
    thread_ = std::thread([this, script] { Serve(script); });
  }

  // A test that failed early may leave the server waiting for a connection: give it one.
  ~ScriptedServer() {
    stopping_ = true;
    if (!finished_) {
      boost::asio::io_context io;
      boost::asio::ip::tcp::socket poke(io);
      boost::system::error_code ec;
      poke.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    }
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  // Waits until the first connection is closed (kCloseWhenIdle).
  void WaitClosed() {
    for (int i = 0; i < 1000 && !closed_; ++i) std::this_thread::sleep_for(milliseconds(10));
    ASSERT_TRUE(closed_) << "the server did not close its first connection";
  }
  // Whether a second request arrived on the first connection (and was dropped).
  bool dropped() const { return dropped_; }

 private:
  void Serve(AfterFirstAnswer script) {
    boost::system::error_code ec;
    boost::asio::streambuf request;
    boost::asio::ip::tcp::socket first(io_);
    acceptor_.accept(first, ec);
    if (ec || stopping_) return Finish();
    boost::asio::read_until(first, request, "\r\n\r\n", ec);
    boost::asio::write(first, boost::asio::buffer(kKeepAliveAnswer), ec);
    request.consume(request.size());
    if (script == AfterFirstAnswer::kDropNextRequest) {
      boost::asio::read_until(first, request, "\r\n\r\n", ec);
      dropped_ = !ec;
    }
    first.close(ec);
    closed_ = true;
    boost::asio::ip::tcp::socket second(io_);
    acceptor_.accept(second, ec);
    if (ec || stopping_) return Finish();
    boost::asio::read_until(second, request, "\r\n\r\n", ec);
    boost::asio::write(second, boost::asio::buffer(kClosingAnswer), ec);
    Finish();
  }
  void Finish() { finished_ = true; }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> closed_{false}, dropped_{false}, stopping_{false}, finished_{false};
  std::thread thread_;
};

TEST_F(ConnectionPoolTest, ConnectionClosedWhileIdleIsReplacedBeforeUse) {
  for (bool on_loop : kClientKinds) {
    SCOPED_TRACE(KindName(on_loop));
    PortServer loop;  // only for its io_context
    ScriptedServer server(ScriptedServer::AfterFirstAnswer::kCloseWhenIdle);
    PoolingClient client(env_, on_loop ? &loop.server().io_context() : nullptr);
    Result<HttpResponse> first = client.Call(server.url(), "POST");
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(client.idle_connections(), 1u);
    server.WaitClosed();
    // Not safe to repeat, yet it succeeds: the closed connection is noticed before use.
    Result<HttpResponse> second = client.Call(server.url(), "POST");
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    EXPECT_EQ(second->body, "second");
  }
}

TEST_F(ConnectionPoolTest, DroppedRequestIsRetriedWhenSafe) {
  struct Case {
    std::string method;
    bool idempotent;
  };
  for (bool on_loop : kClientKinds) {
    for (const Case& c : {Case{"GET", false}, Case{"POST", true}}) {
      SCOPED_TRACE(KindName(on_loop) + ", " + c.method);
      PortServer loop;
      ScriptedServer server(ScriptedServer::AfterFirstAnswer::kDropNextRequest);
      PoolingClient client(env_, on_loop ? &loop.server().io_context() : nullptr);
      Result<HttpResponse> first = client.Call(server.url(), c.method, c.idempotent);
      ASSERT_TRUE(first.ok()) << first.status().ToString();
      EXPECT_EQ(first->body, "first");
      Result<HttpResponse> second = client.Call(server.url(), c.method, c.idempotent);
      ASSERT_TRUE(second.ok()) << second.status().ToString();
      EXPECT_EQ(second->body, "second");
      EXPECT_TRUE(server.dropped()) << "the first connection was not reused";
    }
  }
}

TEST_F(ConnectionPoolTest, DroppedRequestIsNotRetriedOtherwise) {
  for (bool on_loop : kClientKinds) {
    SCOPED_TRACE(KindName(on_loop));
    PortServer loop;
    ScriptedServer server(ScriptedServer::AfterFirstAnswer::kDropNextRequest);
    PoolingClient client(env_, on_loop ? &loop.server().io_context() : nullptr);
    ASSERT_TRUE(client.Call(server.url(), "POST").ok());
    Result<HttpResponse> r = client.Call(server.url(), "POST");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(server.dropped());
    EXPECT_EQ(r.status().reason(), "net.io") << r.status().message();
    EXPECT_NE(r.status().message().find("not retried"), std::string::npos) << r.status().message();
    // The next request opens a new connection.
    Result<HttpResponse> next = client.Call(server.url(), "POST");
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    EXPECT_EQ(next->body, "second");
  }
}

TEST_F(ConnectionPoolTest, IdleConnectionsExpire) {
  PortServer server;
  BeastHttpClientOptions options;
  options.idle_timeout = milliseconds(100);
  BeastHttpClient client(env_, server.server().io_context(), options);
  ASSERT_TRUE(Call(client, server.url("/port")).ok());
  EXPECT_EQ(client.idle_connections(), 1u);
  // Closed by the sweeper, not on next use (waited for: the machine may be slow).
  for (int i = 0; i < 500 && client.idle_connections() > 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(client.idle_connections(), 0u);
  ASSERT_TRUE(Call(client, server.url("/port")).ok());
  EXPECT_EQ(server.Connections(), 2u);
}

TEST_F(ConnectionPoolTest, IdleConnectionsAreBounded) {
  PortServer a;
  PortServer b;
  BeastHttpClientOptions options;
  options.max_idle_per_origin = 2;
  options.max_idle_total = 3;
  BeastHttpClient client(env_, a.server().io_context(), options);

  std::vector<std::future<Result<HttpResponse>>> calls;
  for (int i = 0; i < 3; ++i) calls.push_back(SendAsync(client, a.url("/park")));
  a.WaitParked(3);
  a.Release();
  for (auto& f : calls) ASSERT_TRUE(f.get().ok());
  EXPECT_EQ(a.Connections(), 3u);
  EXPECT_EQ(client.idle_connections(), 2u);  // per origin

  calls.clear();
  for (int i = 0; i < 2; ++i) calls.push_back(SendAsync(client, b.url("/park")));
  b.WaitParked(2);
  b.Release();
  for (auto& f : calls) ASSERT_TRUE(f.get().ok());
  EXPECT_EQ(client.idle_connections(), 3u);  // in total: the oldest of a's went

  // a keeps one idle connection; the next two concurrent calls reuse it and open one.
  calls.clear();
  for (int i = 0; i < 2; ++i) calls.push_back(SendAsync(client, a.url("/park")));
  a.WaitParked(2);
  a.Release();
  for (auto& f : calls) ASSERT_TRUE(f.get().ok());
  EXPECT_EQ(a.Connections(), 4u);
}

TEST_F(ConnectionPoolTest, SynchronousClientPoolsItsConnections) {
  PortServer server;
  BeastHttpClient client(env_);
  HttpRequest request;
  request.url = server.url("/port");
  for (const char* method : {"GET", "POST", "GET"}) {
    request.method = method;
    Result<HttpResponse> r = client.Send(request, {});
    ASSERT_TRUE(r.ok()) << method << ": " << r.status().ToString();
    EXPECT_EQ(client.idle_connections(), 1u);
  }
  EXPECT_EQ(server.Requests(), 3u);
  EXPECT_EQ(server.Connections(), 1u);
}

TEST_F(ConnectionPoolTest, SendOnAClientOfAnEventLoopDoesNotPool) {
  PortServer server;
  BeastHttpClient client(env_, server.server().io_context());
  HttpRequest request;
  request.url = server.url("/port");
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(client.Send(request, {}).ok());
  EXPECT_EQ(server.Connections(), 2u);
  EXPECT_EQ(client.idle_connections(), 0u);
}

}  // namespace
}  // namespace wifgate::net
