// The production HttpClient: HTTP/1.1 over Beast, with TLS from OpenSSL.
//
// Guarantees, for every exchange (see docs/net.md):
//   - TLS peers are verified against the system trust store (plus an optional extra CA),
//     with SNI and a host-name (or IP) check; TLS 1.2 or newer;
//   - redirects are never followed: a 3xx is returned to the caller as is;
//   - one deadline covers the whole exchange (proxy, connect, TLS, write, read);
//   - response bodies larger than HttpOptions::max_response_bytes fail, never truncate;
//   - compression is never requested (Accept-Encoding: identity) and never accepted;
//   - HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured when HttpOptions::use_proxy is set:
//     https through CONNECT, http in absolute form;
//   - failures are named Statuses whose message names host:port and the failed step, and
//     never contains the request body or header values.
//
// Two ways to construct it. Without an io_context it is for synchronous use (the CLI, the
// client library, the Lambda runtime): Send runs the client's own event loop on the calling
// thread, one exchange at a time, and no thread is ever started. Given an io_context (the server's,
// see HttpServer::io_context()) AsyncSend runs exchanges on it without blocking any thread, at most
// `max_in_flight` at once; excess requests fail fast with net.overloaded. Callbacks run on
// the io_context's threads; exchanges still pending when it is stopped are dropped
// without a callback (server shutdown).
//
// Connections are kept alive: after a complete response that allows it (HTTP/1.1, no
// `Connection: close`, body fully read) the TCP or TLS connection goes to an idle pool keyed
// by scheme, host and port, and the next exchange to that origin reuses the most recently
// idled one, saving a handshake (an STS call per AWS login on the server; the login, query
// and logout of a client session). A synchronous-only client pools Send's connections; a
// client on an io_context pools AsyncSend's, and its Send never reuses. Idle connections
// are bounded and expire after `idle_timeout` (closed by a timer on an io_context; by a
// synchronous client at its next Send, or when it is destroyed). They are checked before
// reuse: one the server has closed meanwhile is replaced by a new connection. A request that still
// fails on a reused connection before any response byte arrives (the server closed it just then) is
// retried once on a new connection when it is safe to repeat (GET, HEAD, or
// HttpRequest::idempotent). Proxied exchanges never reuse connections.
#ifndef WIFGATE_NET_BEAST_HTTP_CLIENT_H_
#define WIFGATE_NET_BEAST_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "net/http.h"
#include "wifgate/env.h"

namespace boost::asio {
class io_context;
}

namespace wifgate::net {

struct BeastHttpClientOptions {
  bool trust_system_roots = true;  // the OS trust store (OpenSSL's default verify paths)
  std::string ca_file;             // a PEM file of extra trusted CAs (tests, --dev certs)
  std::string ca_pem;              // extra trusted CAs as PEM text
  size_t max_in_flight = 64;       // AsyncSend concurrency cap
  size_t max_idle_per_origin = 4;  // idle keep-alive connections kept per scheme://host:port
  size_t max_idle_total = 64;      // across origins; 0 turns connection reuse off
  std::chrono::milliseconds idle_timeout{20000};  // idle connections older than this close
};

class BeastHttpClient final : public HttpClient {
 public:
  // Synchronous client; AsyncSend degrades to an inline Send. Sends run one at a time (the
  // client is meant for one thread: a connection of the client library, the CLI). `env`
  // supplies the proxy variables and must outlive the client.
  explicit BeastHttpClient(const Env& env, BeastHttpClientOptions options = {});
  // Client whose AsyncSend runs on `io`, which must outlive every exchange started.
  BeastHttpClient(const Env& env, boost::asio::io_context& io, BeastHttpClientOptions options = {});
  ~BeastHttpClient() override;

  BeastHttpClient(const BeastHttpClient&) = delete;
  BeastHttpClient& operator=(const BeastHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request, const HttpOptions& options) override;
  void AsyncSend(HttpRequest request, HttpOptions options, Callback done) override;

  // Asynchronous exchanges currently running.
  size_t in_flight() const;
  // Idle connections currently pooled.
  size_t idle_connections() const;

  struct Shared;  // state shared with running exchanges, which may outlive the client

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace wifgate::net

#endif  // WIFGATE_NET_BEAST_HTTP_CLIENT_H_
