// MeteredHttpClient: counts and times the server's outbound calls (STS replays, discovery
// and JWKS fetches) for /metrics, by host and outcome, around any HttpClient.
#ifndef WIFGATE_SERVER_METERED_HTTP_CLIENT_H_
#define WIFGATE_SERVER_METERED_HTTP_CLIENT_H_

#include "net/http.h"

namespace wifgate::server {

class MeteredHttpClient final : public net::HttpClient {
 public:
  explicit MeteredHttpClient(net::HttpClient& inner) : inner_(inner) {}

  Result<net::HttpResponse> Send(const net::HttpRequest& request,
                                 const net::HttpOptions& options) override;
  void AsyncSend(net::HttpRequest request, net::HttpOptions options, Callback done) override;

 private:
  net::HttpClient& inner_;
};

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_METERED_HTTP_CLIENT_H_
