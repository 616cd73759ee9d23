// The client's proxy path, against a tiny forward proxy stand-in on 127.0.0.1.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "fake_env.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"
#include "net/self_signed_cert.h"

namespace wifgate::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// A forward proxy: CONNECT host:port opens a tunnel to 127.0.0.1 on the port `hosts` maps
// `host` to (so test names need no DNS); absolute-form requests are answered by the proxy
// itself. Records what it was asked.
class ProxyStandIn {
 public:
  explicit ProxyStandIn(std::map<std::string, uint16_t> hosts, int connect_status = 200)
      : hosts_(std::move(hosts)), connect_status_(connect_status), acceptor_(io_) {
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~ProxyStandIn() {
    stopping_ = true;
    tcp::socket wake(io_);  // unblocks accept()
    boost::system::error_code ec;
    wake.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    accept_thread_.join();
    for (std::thread& t : connections_) t.join();
  }

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::vector<std::string> authorizations() {
    std::lock_guard<std::mutex> lock(mu_);
    return authorizations_;
  }

 private:
  void AcceptLoop() {
    for (;;) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (stopping_ || ec) return;
      connections_.emplace_back([this, s = std::move(socket)]() mutable { Serve(std::move(s)); });
    }
  }

  void Serve(tcp::socket client) {
    boost::system::error_code ec;
    boost::beast::flat_buffer buffer;
    http::request_parser<http::string_body> parser;
    http::read(client, buffer, parser, ec);
    if (ec) return;
    auto& request = parser.get();
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(std::string(request.method_string()) + " " +
                          std::string(request.target()));
      auto auth = request.find(http::field::proxy_authorization);
      authorizations_.push_back(auth == request.end() ? "" : std::string(auth->value()));
    }
    if (request.method() != http::verb::connect) {
      http::response<http::string_body> response{http::status::ok, 11};
      response.body() = "proxied " + std::string(request.target()) +
                        " host=" + std::string(request[http::field::host]);
      response.keep_alive(false);
      response.prepare_payload();
      http::write(client, response, ec);
      return;
    }
    std::string target(request.target());
    std::string host = target.substr(0, target.rfind(':'));
    auto mapped = hosts_.find(host);
    if (connect_status_ != 200 || mapped == hosts_.end()) {
      std::string refusal = "HTTP/1.1 " +
                            std::to_string(connect_status_ == 200 ? 502 : connect_status_) +
                            " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      asio::write(client, asio::buffer(refusal), ec);
      return;
    }
    tcp::socket upstream(io_);
    upstream.connect({asio::ip::make_address("127.0.0.1"), mapped->second}, ec);
    if (ec) return;
    std::string established = "HTTP/1.1 200 Connection established\r\n\r\n";
    asio::write(client, asio::buffer(established), ec);
    std::thread up([&] { Relay(client, upstream); });
    Relay(upstream, client);
    up.join();
  }

  static void Relay(tcp::socket& from, tcp::socket& to) {
    char data[8192];
    boost::system::error_code ec;
    for (;;) {
      size_t n = from.read_some(asio::buffer(data), ec);
      if (ec) break;
      asio::write(to, asio::buffer(data, n), ec);
      if (ec) break;
    }
    to.shutdown(tcp::socket::shutdown_send, ec);
  }

  const std::map<std::string, uint16_t> hosts_;
  const int connect_status_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::vector<std::thread> connections_;  // touched by the accept thread only, until joined
  std::mutex mu_;
  std::vector<std::string> requests_;
  std::vector<std::string> authorizations_;
};

class ProxyPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<CertAndKey> cert = MakeSelfSignedCert({"sts.proxied.test"});
    ASSERT_TRUE(cert.ok());
    cert_ = *cert;
    HttpServerOptions options;
    options.tls = ServerTls{cert_.cert_pem, cert_.key_pem};
    server_ = std::make_unique<HttpServer>(options);
    server_->Route("GET", "/identity", [](ServerRequest request, Responder respond) {
      respond(ServerResponse::Text(200, "tunnelled host=" + request.Header("host").value_or("")));
    });
    ASSERT_TRUE(server_->Start().ok());
    client_options_.trust_system_roots = false;
    client_options_.ca_pem = cert_.cert_pem;
  }

  std::string TargetUrl() const {
    return "https://sts.proxied.test:" + std::to_string(server_->port()) + "/identity";
  }

  Result<HttpResponse> Send(const std::string& url, bool use_proxy = true) {
    BeastHttpClient client(env_, client_options_);
    HttpRequest request;
    request.url = url;
    HttpOptions options;
    options.timeout = std::chrono::seconds(5);
    options.use_proxy = use_proxy;
    return client.Send(request, options);
  }

  CertAndKey cert_;
  std::unique_ptr<HttpServer> server_;
  testing::FakeEnv env_;
  BeastHttpClientOptions client_options_;
};

TEST_F(ProxyPathTest, HttpsGoesThroughAConnectTunnel) {
  ProxyStandIn proxy({{"sts.proxied.test", server_->port()}});
  env_.vars["HTTPS_PROXY"] = "http://alice:wonderland@127.0.0.1:" + std::to_string(proxy.port());
  Result<HttpResponse> response = Send(TargetUrl());
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "tunnelled host=sts.proxied.test:" + std::to_string(server_->port()));
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(proxy.requests()[0], "CONNECT sts.proxied.test:" + std::to_string(server_->port()));
  EXPECT_EQ(proxy.authorizations()[0], "Basic YWxpY2U6d29uZGVybGFuZA==");  // alice:wonderland
}

TEST_F(ProxyPathTest, TunnelStillVerifiesTheTargetCertificate) {
  ProxyStandIn proxy({{"wrong.proxied.test", server_->port()}});
  env_.vars["https_proxy"] = proxy.url();
  Result<HttpResponse> response =
      Send("https://wrong.proxied.test:" + std::to_string(server_->port()) + "/identity");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "net.tls");
}

TEST_F(ProxyPathTest, RefusedConnectIsNamed) {
  ProxyStandIn proxy({{"sts.proxied.test", server_->port()}}, 407);
  env_.vars["HTTPS_PROXY"] = proxy.url();
  Result<HttpResponse> response = Send(TargetUrl());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "net.proxy");
  EXPECT_NE(response.status().message().find("407"), std::string::npos);
  EXPECT_NE(response.status().message().find("sts.proxied.test"), std::string::npos);
}

TEST_F(ProxyPathTest, PlainHttpUsesAbsoluteForm) {
  ProxyStandIn proxy({});
  env_.vars["HTTP_PROXY"] = proxy.url();
  env_.vars["HTTPS_PROXY"] = "http://127.0.0.1:1";  // must not be used for http URLs
  Result<HttpResponse> response = Send("http://metadata.proxied.test/latest?x=1");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body,
            "proxied http://metadata.proxied.test/latest?x=1 host=metadata.proxied.test");
  ASSERT_EQ(proxy.requests().size(), 1u);
}

TEST_F(ProxyPathTest, NoProxyAndUseProxyFalseGoDirect) {
  ProxyStandIn proxy({{"sts.proxied.test", server_->port()}});
  env_.vars["HTTPS_PROXY"] = proxy.url();
  env_.vars["NO_PROXY"] = "example.org, .proxied.test";
  // Direct means resolving the .test name ourselves, which fails; the proxy is never asked.
  Result<HttpResponse> response = Send(TargetUrl());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "net.resolve") << response.status().ToString();

  env_.vars.erase("NO_PROXY");
  response = Send(TargetUrl(), /*use_proxy=*/false);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "net.resolve");
  EXPECT_TRUE(proxy.requests().empty());

  // Loopback targets never use the proxy.
  Result<HttpResponse> loopback =
      Send("https://127.0.0.1:" + std::to_string(server_->port()) + "/identity");
  EXPECT_EQ(loopback.status().reason(), "net.tls");  // reached the server directly: wrong name
  EXPECT_TRUE(proxy.requests().empty());
}

}  // namespace
}  // namespace wifgate::net
