// An asynchronous HTTP/1.1 server on Beast: the one listener behind `wifgate serve`, the
// dev fixtures (dev STS, dev IdP) and the test stand-ins.
//
// Routing is by method and exact path, with a fallback handler (404 by default). A handler
// gets the parsed request and a Responder it may call later, from any thread, so a handler
// can start outbound calls (an STS or JWKS fetch) and answer when they finish without
// holding a server thread. Connections are kept alive; requests are bounded (header bytes:
// 431; body bytes, also after gzip decoding: 413); `Content-Encoding: gzip` request bodies
// are decoded before the handler sees them. TLS is optional.
//
// Lifecycle: configure routes, then Start() (background threads) or Run() (blocks), then
// Stop() from any thread that is not one of the server's: it stops accepting, lets
// in-flight requests finish within a grace period, and closes everything.
#ifndef WIFGATE_NET_HTTP_SERVER_H_
#define WIFGATE_NET_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace boost::asio {
class io_context;
}

namespace wifgate::net {

struct ServerRequest {
  std::string method;                                      // as sent, e.g. "POST"
  std::string target;                                      // as sent: "/path?query"
  std::string path;                                        // percent-decoded path
  std::vector<std::pair<std::string, std::string>> query;  // decoded ('+' is a space), in order
  HttpHeaders headers;         // Content-Encoding removed once the body is decoded
  std::string body;            // decoded
  std::string remote_address;  // peer IP address
  uint16_t remote_port = 0;    // peer TCP port: tells the client's connections apart

  std::optional<std::string> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
  // The first value of query parameter `name`.
  std::optional<std::string> Query(std::string_view name) const;
};

struct ServerResponse {
  int status = 200;
  HttpHeaders headers;  // Content-Length and Connection are set by the server
  std::string body;

  static ServerResponse Text(int status, std::string body);
  static ServerResponse Json(int status, std::string body);
};

// Sends the response. Call it once, from any thread, at any time while the server exists;
// later calls are ignored. If every copy is dropped without a call, the client gets a 500.
using Responder = std::function<void(ServerResponse)>;
using Handler = std::function<void(ServerRequest request, Responder respond)>;

struct ServerTls {
  std::string cert_chain_pem;  // leaf first
  std::string key_pem;
};

// Reads a certificate chain and key from PEM files, through `env`.
Result<ServerTls> LoadServerTls(const Env& env, const std::string& cert_file,
                                const std::string& key_file);

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // an IP address or "localhost"
  uint16_t port = 0;               // 0: an ephemeral port, see HttpServer::port()
  int threads = 1;
  size_t max_header_bytes = 16 * 1024;            // more: 431
  size_t max_body_bytes = 1 << 20;                // as sent; more: 413
  size_t max_decoded_body_bytes = 8 << 20;        // after gzip decoding; more: 413
  std::chrono::milliseconds idle_timeout{30000};  // to receive a request or send a response
  // Open connections allowed from one client address; more are closed as they arrive, so
  // one client holding connections open (slowloris) cannot starve the others. Behind a
  // reverse proxy every connection comes from the proxy: raise it there.
  size_t max_connections_per_address = 256;
  std::optional<ServerTls> tls;
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();  // Stop()s with a short grace period

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes are set before Start()/Run().
  void Route(std::string method, std::string path, Handler handler);
  void SetFallback(Handler handler);

  // Binds and listens. Called by Start()/Run() when not called before; call it first to
  // learn the port before serving. Fails with net.listen or net.tls_config.
  Status Listen();
  uint16_t port() const;
  // "http://127.0.0.1:PORT" or "https://…", for tests and log lines.
  std::string base_url() const;

  // Serves on `threads` background threads.
  Status Start();
  // Serves on this thread (plus threads-1 others) until Stop().
  Status Run();
  // Stops accepting, waits up to `grace` for in-flight requests, then closes everything.
  // Idempotent. Never call it from a handler.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  // The event loop the server runs on, for an asynchronous BeastHttpClient to share.
  boost::asio::io_context& io_context();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace wifgate::net

#endif  // WIFGATE_NET_HTTP_SERVER_H_
