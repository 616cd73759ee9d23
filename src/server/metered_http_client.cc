#include "server/metered_http_client.h"

#include <chrono>

#include "common/metrics.h"
#include "net/url.h"

namespace wifgate::server {
namespace {

void Observe(const std::string& url, const Result<net::HttpResponse>& result,
             std::chrono::steady_clock::time_point started) {
  static CounterFamily& calls = Metrics::Global().Counter(
      "wifgate_outbound_requests_total",
      "Outbound calls (STS, OIDC discovery, JWKS) by host and outcome.", {"host", "outcome"});
  static HistogramFamily& latency =
      Metrics::Global().Histogram("wifgate_outbound_request_seconds", "Outbound call time by host.",
                                  {"host"}, {0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  auto parsed = net::ParseHttpUrl(url);
  std::string host = parsed.ok() ? parsed->host : "invalid";
  std::string outcome =
      !result.ok() ? result.status().reason() : "http_" + std::to_string(result->status);
  calls.Increment({host, outcome});
  latency.Observe(
      {host}, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

}  // namespace

Result<net::HttpResponse> MeteredHttpClient::Send(const net::HttpRequest& request,
                                                  const net::HttpOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto result = inner_.Send(request, options);
  Observe(request.url, result, started);
  return result;
}

void MeteredHttpClient::AsyncSend(net::HttpRequest request, net::HttpOptions options,
                                  Callback done) {
  auto started = std::chrono::steady_clock::now();
  std::string url = request.url;
  inner_.AsyncSend(
      std::move(request), std::move(options),
      [url = std::move(url), started, done = std::move(done)](Result<net::HttpResponse> r) {
        Observe(url, r, started);
        done(std::move(r));
      });
}

}  // namespace wifgate::server
