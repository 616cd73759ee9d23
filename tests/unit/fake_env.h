// Test doubles for the two interfaces through which wifgate touches the world:
// FakeEnv (variables, files, clock, randomness) and FakeHttpClient (outbound HTTP).
#ifndef WIFGATE_TESTS_FAKE_ENV_H_
#define WIFGATE_TESTS_FAKE_ENV_H_

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "net/http.h"
#include "wifgate/env.h"

namespace wifgate::testing {

class FakeEnv : public Env {
 public:
  std::map<std::string, std::string, std::less<>> vars;
  std::map<std::string, std::string, std::less<>> files;
  std::optional<std::string> home = "/home/test";
  SystemTime now = SystemTime{std::chrono::seconds{1440938160}};  // 2015-08-30T12:36:00Z
  uint8_t next_random = 0;  // RandomBytes yields next_random, next_random+1, ...

  std::optional<std::string> GetVar(std::string_view name) const override;
  Result<std::string> ReadFile(const std::string& path, size_t max_bytes) const override;
  std::optional<std::string> HomeDir() const override { return home; }
  SystemTime Now() const override { return now; }
  void RandomBytes(std::span<uint8_t> out) override;
};

// Answers requests from a script of handlers, in order, and records every request.
// A request with no handler left fails the exchange with reason net.connect, as an
// unreachable host would.
class FakeHttpClient : public net::HttpClient {
 public:
  using Handler = std::function<Result<net::HttpResponse>(const net::HttpRequest&)>;

  // Queues a handler for the next request.
  void Expect(Handler handler);
  // Queues a canned response for the next request.
  void Respond(int status, std::string body, net::HttpHeaders headers = {});

  Result<net::HttpResponse> Send(const net::HttpRequest& request,
                                 const net::HttpOptions& options) override;

  std::vector<net::HttpRequest> requests;
  std::vector<net::HttpOptions> options;

 private:
  std::mutex mu_;
  std::deque<Handler> handlers_;
};

}  // namespace wifgate::testing

#endif  // WIFGATE_TESTS_FAKE_ENV_H_
