#include "net/http.h"

#include "common/strings.h"

namespace wifgate::net {

std::optional<std::string> FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (AsciiEqualsIgnoreCase(h.name, name)) return h.value;
  }
  return std::nullopt;
}

void HttpClient::AsyncSend(HttpRequest request, HttpOptions options, Callback done) {
  done(Send(request, options));
}

}  // namespace wifgate::net
