// HTTP messages and the outbound client interface.
//
// Everything that talks HTTP to the outside — the credential providers, the STS and JWKS
// fetchers, the Snowflake client — takes an HttpClient&, so tests substitute a fake that
// records requests and returns canned responses, and production code picks the Beast
// implementation (net/beast_http_client.h). The interface is deliberately small: one
// request, one response, no redirects followed, ever.
#ifndef WIFGATE_NET_HTTP_H_
#define WIFGATE_NET_HTTP_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wifgate/status.h"

namespace wifgate::net {

struct HttpHeader {
  std::string name;
  std::string value;
};
using HttpHeaders = std::vector<HttpHeader>;

// The value of the first header named `name` (ASCII case-insensitive), if any.
std::optional<std::string> FindHeader(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: http://host[:port]/path?query or https://…
  HttpHeaders headers;
  std::string body;
  // Safe to send twice. A request that fails on a reused keep-alive connection before any
  // response byte arrives is retried once on a new connection only when it is a GET or
  // HEAD or is marked idempotent; others fail, since the server may have acted on them.
  bool idempotent = false;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;

  std::optional<std::string> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

// Per-request limits. Defaults suit calls to cloud control planes; metadata services use a
// much shorter timeout so a workload off-cloud fails fast.
struct HttpOptions {
  std::chrono::milliseconds timeout{10000};  // whole exchange: resolve, connect, TLS, I/O
  size_t max_response_bytes = 1 << 20;       // larger bodies fail with net.response_too_large
  bool use_proxy = true;  // honour HTTPS_PROXY/HTTP_PROXY/NO_PROXY; metadata calls pass false
  // Refuse to connect when the host resolves to an internal address (net/internal_address.h),
  // net.address_refused. Through a proxy the proxy resolves, so its policy applies instead.
  bool public_addresses_only = false;
};

class HttpClient {
 public:
  using Callback = std::function<void(Result<HttpResponse>)>;

  virtual ~HttpClient() = default;

  // Performs one exchange. Any HTTP status is a successful Result; failures are transport
  // failures, with reasons net.bad_url, net.bad_request, net.bad_proxy, net.resolve,
  // net.connect, net.proxy, net.tls, net.tls_config, net.io, net.timeout,
  // net.response_too_large, net.protocol, net.address_refused, net.overloaded (AsyncSend
  // only).
  virtual Result<HttpResponse> Send(const HttpRequest& request, const HttpOptions& options) = 0;

  // Asynchronous form used inside the server, so that no server thread waits on the network.
  // `done` runs exactly once, possibly on another thread. The default calls Send inline.
  virtual void AsyncSend(HttpRequest request, HttpOptions options, Callback done);
};

}  // namespace wifgate::net

#endif  // WIFGATE_NET_HTTP_H_
