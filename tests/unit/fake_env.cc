#include "fake_env.h"

namespace wifgate::testing {

std::optional<std::string> FakeEnv::GetVar(std::string_view name) const {
  auto it = vars.find(name);
  if (it == vars.end()) return std::nullopt;
  return it->second;
}

Result<std::string> FakeEnv::ReadFile(const std::string& path, size_t max_bytes) const {
  auto it = files.find(path);
  if (it == files.end()) {
    return Status(Code::kNotFound, "file.unreadable", "cannot read " + path + ": No such file");
  }
  if (it->second.size() > max_bytes) {
    return Status(Code::kResourceExhausted, "file.too_large", path + " is too large");
  }
  return it->second;
}

void FakeEnv::RandomBytes(std::span<uint8_t> out) {
  for (auto& b : out) b = next_random++;
}

void FakeHttpClient::Expect(Handler handler) {
  std::lock_guard lock(mu_);
  handlers_.push_back(std::move(handler));
}

void FakeHttpClient::Respond(int status, std::string body, net::HttpHeaders headers) {
  Expect([status, body = std::move(body), headers = std::move(headers)](const net::HttpRequest&) {
    return Result<net::HttpResponse>(net::HttpResponse{status, headers, body});
  });
}

Result<net::HttpResponse> FakeHttpClient::Send(const net::HttpRequest& request,
                                               const net::HttpOptions& opts) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests.push_back(request);
    options.push_back(opts);
    if (handlers_.empty()) {
      return Status(Code::kUnavailable, "net.connect", "no fake response for " + request.url);
    }
    handler = std::move(handlers_.front());
    handlers_.pop_front();
  }
  return handler(request);
}

}  // namespace wifgate::testing
