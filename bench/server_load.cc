// server_load: a closed-loop HTTP load generator for `wifgate serve`, used by
// bench/server_bench.sh to measure logins and queries per second and their p50/p99 latency
// next to the same server's HTTP floor.
//
//   server_load --url http://127.0.0.1:PORT --mode MODE [--connections 32]
//               [--duration 5 --warmup 1 | --requests N] [--attestation-file F]
//               [--provider OIDC|AWS] [--account TESTACCT] [--expect TEXT] [--json]
//
// Modes:
//   floor       GET /healthz: a fixed reply from the same process and HTTP stack
//   login-oidc  POST /session/v1/login-request, WORKLOAD_IDENTITY, PROVIDER OIDC
//   login-aws   the same with PROVIDER AWS (a SigV4 envelope; repeats hit the server's
//               verification cache)
//   query       POST /queries/v1/query-request `SELECT current_user()`, with the session
//               token of one login made first (--provider says which attestation it is)
//
// Each of --connections keep-alive connections sends its next request as soon as the
// previous answer arrives. With --duration, requests that start in the warm-up (the first
// JWKS fetch, the first STS call) are not measured. Any failed exchange, non-200 answer or
// answer without `"success":true` (and without --expect TEXT, when given) is an error; a run
// with errors prints the first one and exits 1, so a number is never reported for a server
// that refused the work. The attestation is a secret and is never printed.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/strings.h"
#include "net/beast_http_client.h"
#include "net/url.h"
#include "wifgate/env.h"

namespace wifgate::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kSuccess = R"("success":true)";
constexpr size_t kErrorExcerptBytes = 300;

struct Flags {
  std::string url;
  std::string mode;
  int connections = 32;
  int threads = 1;
  double duration_seconds = 5;
  double warmup_seconds = 1;
  int64_t requests = 0;  // > 0: exactly this many, all measured, no warm-up
  std::string attestation_file;
  std::string provider;  // query mode: the provider of the one login
  std::string account = "TESTACCT";
  std::string expect;
  bool json = false;
};

// What every connection sends, and how an answer is judged.
struct Workload {
  http::verb method = http::verb::get;
  std::string target;
  std::string body;
  std::string authorization;  // query mode: the session token header
  std::string expect;         // a substring every answer must contain
  bool snowflake_envelope = false;
};

Status BadFlag(const std::string& what) {
  return Status(Code::kInvalidArgument, "bench.bad_flag", what + "; see server_load --help");
}

std::string LoginBody(const std::string& account, const std::string& provider,
                      const std::string& attestation) {
  json::object data;
  data["ACCOUNT_NAME"] = account;
  data["AUTHENTICATOR"] = "WORKLOAD_IDENTITY";
  data["PROVIDER"] = provider;
  data["TOKEN"] = attestation;
  data["CLIENT_APP_ID"] = "wifgate-server-load";
  data["CLIENT_APP_VERSION"] = "1";
  json::object body;
  body["data"] = std::move(data);
  return json::serialize(body);
}

std::string QueryBody() {
  json::object body;
  body["sqlText"] = "SELECT current_user()";
  body["asyncExec"] = false;
  body["sequenceId"] = 1;
  return json::serialize(body);
}

// Logs in once, synchronously, and returns the session token, for query mode.
Result<std::string> LoginOnce(const net::ParsedUrl& base, const std::string& login_body) {
  net::BeastHttpClient client(Env::Default());
  net::HttpRequest request;
  request.method = "POST";
  request.url = std::string(base.scheme()) + "://" + base.HostPort() + "/session/v1/login-request";
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  request.body = login_body;
  net::HttpOptions options;
  options.use_proxy = false;
  WIFGATE_ASSIGN_OR_RETURN(net::HttpResponse response, client.Send(request, options));
  auto refused = [&](const std::string& why) {
    return Status(Code::kFailedPrecondition, "bench.login_failed",
                  "the login before the query run failed (" + why +
                      "); check the user is registered for the attestation's identity");
  };
  if (response.status != 200) return refused("HTTP " + std::to_string(response.status));
  auto doc = ParseStrictJson(response.body, {.max_bytes = 1 << 20});
  if (!doc.ok() || !doc->is_object()) return refused("the answer is not a JSON object");
  const json::object* data = GetObject(doc->as_object(), "data");
  if (GetBool(doc->as_object(), "success") != true || data == nullptr) {
    return refused(GetString(doc->as_object(), "message").value_or("no message"));
  }
  auto token = GetString(*data, "token");
  if (!token) return refused("the answer has no data.token");
  return *token;
}

Result<Workload> BuildWorkload(const Flags& flags, const net::ParsedUrl& base) {
  Workload w;
  w.expect = flags.expect;
  if (flags.mode == "floor") {
    w.target = "/healthz";
    return w;
  }
  if (flags.attestation_file.empty())
    return BadFlag("--mode " + flags.mode + " needs --attestation-file");
  WIFGATE_ASSIGN_OR_RETURN(std::string attestation,
                           Env::Default().ReadFile(flags.attestation_file));
  attestation = std::string(TrimWhitespace(attestation));
  w.method = http::verb::post;
  w.snowflake_envelope = true;
  if (flags.mode == "login-oidc" || flags.mode == "login-aws") {
    w.target = "/session/v1/login-request";
    w.body = LoginBody(flags.account, flags.mode == "login-oidc" ? "OIDC" : "AWS", attestation);
    return w;
  }
  // query
  if (flags.provider.empty()) return BadFlag("--mode query needs --provider OIDC|AWS");
  WIFGATE_ASSIGN_OR_RETURN(
      std::string token,
      LoginOnce(base, LoginBody(flags.account, AsciiUpper(flags.provider), attestation)));
  w.target = "/queries/v1/query-request?requestId=00000000-0000-4000-8000-000000000000";
  w.body = QueryBody();
  w.authorization = "Snowflake Token=\"" + token + "\"";
  return w;
}

// State shared by the connections of one run.
class Run {
 public:
  Run(const Flags& flags, Workload workload, tcp::endpoint endpoint, std::string host_header)
      : flags_(flags),
        workload_(std::move(workload)),
        endpoint_(endpoint),
        host_header_(std::move(host_header)) {}

  // Runs the load and returns the measured latencies in microseconds.
  std::vector<double> Execute() {
    asio::io_context io(flags_.threads);
    std::vector<std::vector<double>> latencies(flags_.connections);
    const Clock::time_point now = Clock::now();
    if (flags_.requests > 0) {
      measure_from_ = now;
      stop_at_ = Clock::time_point::max();
    } else {
      measure_from_ = now + ToDuration(flags_.warmup_seconds);
      stop_at_ = measure_from_ + ToDuration(flags_.duration_seconds);
    }
    for (auto& samples : latencies) {
      asio::co_spawn(io, Connection(samples), asio::detached);
    }
    std::vector<std::thread> extra;
    for (int i = 1; i < flags_.threads; ++i) extra.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : extra) t.join();
    finished_ = Clock::now();

    std::vector<double> all;
    for (const auto& samples : latencies) all.insert(all.end(), samples.begin(), samples.end());
    return all;
  }

  double MeasuredSeconds() const {
    Clock::time_point end = flags_.requests > 0 ? finished_ : stop_at_;
    return std::chrono::duration<double>(end - measure_from_).count();
  }
  int64_t errors() const { return errors_.load(); }
  std::string first_error() const {
    std::lock_guard lock(mu_);
    return first_error_;
  }

 private:
  static Clock::duration ToDuration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  // Claims the next request: false once the run is over.
  bool NextRequest() {
    if (errors_.load() > 0) return false;  // the run has failed; stop loading the server
    if (flags_.requests > 0) return issued_.fetch_add(1) < flags_.requests;
    return Clock::now() < stop_at_;
  }

  void Fail(const std::string& what) {
    if (errors_.fetch_add(1) > 0) return;
    std::lock_guard lock(mu_);
    first_error_ = what;
  }

  // Why an answer does not count as a success, or nullopt.
  std::optional<std::string> Judge(const http::response<http::string_body>& response) const {
    const std::string& body = response.body();
    auto excerpt = [&] { return body.substr(0, kErrorExcerptBytes); };
    if (response.result_int() != 200) {
      return "HTTP " + std::to_string(response.result_int()) + ": " + excerpt();
    }
    if (workload_.snowflake_envelope && body.find(kSuccess) == std::string::npos) {
      return "not a success: " + excerpt();
    }
    if (!workload_.expect.empty() && body.find(workload_.expect) == std::string::npos) {
      // No excerpt: a login answer carries session tokens.
      return "the answer (" + std::to_string(body.size()) + " bytes) lacks '" + workload_.expect +
             "'";
    }
    return std::nullopt;
  }

  http::request<http::string_body> MakeRequest() const {
    http::request<http::string_body> request(workload_.method, workload_.target, 11);
    request.set(http::field::host, host_header_);
    request.set(http::field::accept, "application/json");
    if (!workload_.authorization.empty()) {
      request.set(http::field::authorization, workload_.authorization);
    }
    if (workload_.method == http::verb::post) {
      request.set(http::field::content_type, "application/json");
      request.body() = workload_.body;
    }
    request.keep_alive(true);
    request.prepare_payload();
    return request;
  }

  // One keep-alive connection sending requests back to back.
  asio::awaitable<void> Connection(std::vector<double>& samples) {
    tcp::socket socket(co_await asio::this_coro::executor);
    auto [connect_error] = co_await socket.async_connect(endpoint_, kNoThrow);
    if (connect_error) {
      Fail("connect: " + connect_error.message());
      co_return;
    }
    socket.set_option(tcp::no_delay(true));
    http::request<http::string_body> request = MakeRequest();
    beast::flat_buffer buffer;
    while (NextRequest()) {
      const Clock::time_point start = Clock::now();
      auto [write_error, written] = co_await http::async_write(socket, request, kNoThrow);
      if (write_error) {
        Fail("write: " + write_error.message());
        co_return;
      }
      http::response<http::string_body> response;
      auto [read_error, read] = co_await http::async_read(socket, buffer, response, kNoThrow);
      const Clock::time_point end = Clock::now();
      if (read_error) {
        Fail("read: " + read_error.message());
        co_return;
      }
      if (auto why = Judge(response)) {
        Fail(*why);
        co_return;
      }
      if (start >= measure_from_ && end <= stop_at_) {
        samples.push_back(std::chrono::duration<double, std::micro>(end - start).count());
      }
      if (!response.keep_alive()) {
        Fail("the server closed a keep-alive connection");
        co_return;
      }
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }

  const Flags& flags_;
  const Workload workload_;
  const tcp::endpoint endpoint_;
  const std::string host_header_;
  Clock::time_point measure_from_;
  Clock::time_point stop_at_;
  Clock::time_point finished_;
  std::atomic<int64_t> issued_{0};
  std::atomic<int64_t> errors_{0};
  mutable std::mutex mu_;
  std::string first_error_;
};

// The value at quantile `q` of sorted `v` (nearest rank).
double Quantile(const std::vector<double>& v, double q) {
  size_t rank = static_cast<size_t>(q * static_cast<double>(v.size()) + 0.999999);
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

Status Validate(const Flags& flags, const net::ParsedUrl& url) {
  if (url.https) return BadFlag("--url must be http:// (the bench measures the plain server)");
  if (!url.host_is_ip) return BadFlag("--url must name an IP address, e.g. 127.0.0.1");
  if (flags.connections < 1 || flags.threads < 1) {
    return BadFlag("--connections and --threads must be at least 1");
  }
  if (flags.requests <= 0 && flags.duration_seconds <= 0) {
    return BadFlag("give --duration > 0 or --requests > 0");
  }
  return Status();
}

int Main(int argc, char** argv) {
  Flags flags;
  CLI::App app{"Closed-loop HTTP load against wifgate serve (see bench/server_bench.sh)"};
  app.add_option("--url", flags.url, "the server, http://IP:PORT")->required();
  app.add_option("--mode", flags.mode, "floor, login-oidc, login-aws or query")
      ->required()
      ->check(CLI::IsMember({"floor", "login-oidc", "login-aws", "query"}));
  app.add_option("--connections", flags.connections, "concurrent keep-alive connections");
  app.add_option("--threads", flags.threads, "client event-loop threads");
  app.add_option("--duration", flags.duration_seconds, "measured seconds");
  app.add_option("--warmup", flags.warmup_seconds, "unmeasured seconds before --duration");
  app.add_option("--requests", flags.requests, "run exactly N requests instead, all measured");
  app.add_option("--attestation-file", flags.attestation_file, "the login TOKEN (login, query)");
  app.add_option("--provider", flags.provider, "query: OIDC or AWS, the attestation's kind");
  app.add_option("--account", flags.account, "ACCOUNT_NAME");
  app.add_option("--expect", flags.expect, "every answer must contain this text");
  app.add_flag("--json", flags.json, "print one JSON object");
  CLI11_PARSE(app, argc, argv);

  auto fail = [](const Status& s) {
    std::cerr << "server_load: " << s.ToString() << "\n";
    return 2;
  };
  auto url = net::ParseHttpUrl(flags.url);
  if (!url.ok()) return fail(url.status());
  if (Status s = Validate(flags, *url); !s.ok()) return fail(s);
  auto workload = BuildWorkload(flags, *url);
  if (!workload.ok()) return fail(workload.status());

  tcp::endpoint endpoint(asio::ip::make_address(url->host), url->port);
  Run run(flags, std::move(*workload), endpoint, url->HostHeader());
  std::vector<double> latencies = run.Execute();
  if (run.errors() > 0) {
    std::cerr << "server_load: " << flags.mode << ": " << run.errors()
              << " error(s); first: " << run.first_error() << "\n";
    return 1;
  }
  if (latencies.empty()) {
    std::cerr << "server_load: " << flags.mode << ": no request completed in the measured window\n";
    return 1;
  }
  std::sort(latencies.begin(), latencies.end());
  const double seconds = run.MeasuredSeconds();
  const double rate = static_cast<double>(latencies.size()) / seconds;
  const double p50_ms = Quantile(latencies, 0.50) / 1000;
  const double p99_ms = Quantile(latencies, 0.99) / 1000;
  if (flags.json) {
    json::object out{{"mode", flags.mode},
                     {"connections", flags.connections},
                     {"requests", latencies.size()},
                     {"seconds", seconds},
                     {"rate", rate},
                     {"p50_ms", p50_ms},
                     {"p99_ms", p99_ms},
                     {"errors", 0}};
    std::cout << json::serialize(out) << "\n";
  } else {
    std::printf(
        "%s: %d connections, %zu requests in %.2f s: %.0f req/s, p50 %.2f ms, p99 %.2f ms\n",
        flags.mode.c_str(), flags.connections, latencies.size(), seconds, rate, p50_ms, p99_ms);
  }
  return 0;
}

}  // namespace
}  // namespace wifgate::bench

int main(int argc, char** argv) { return wifgate::bench::Main(argc, argv); }
