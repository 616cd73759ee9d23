#include "net/url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "common/strings.h"

namespace wifgate::net {
namespace {

Status BadUrl(std::string_view url, std::string_view why) {
  return Status(Code::kInvalidArgument, "net.bad_url",
                "URL \"" + std::string(url) + "\" " + std::string(why) +
                    "; expected http(s)://host[:port]/path?query");
}

bool IsHostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

}  // namespace

std::string ParsedUrl::HostPort() const {
  std::string bracketed = IsIpv6() ? "[" + host + "]" : host;
  return bracketed + ":" + std::to_string(port);
}

std::string ParsedUrl::HostHeader() const {
  std::string bracketed = IsIpv6() ? "[" + host + "]" : host;
  if (port == (https ? 443 : 80)) return bracketed;
  return bracketed + ":" + std::to_string(port);
}

Result<ParsedUrl> ParseHttpUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return BadUrl(url, "is not an absolute URI");
  const boost::urls::url_view& u = *parsed;

  ParsedUrl out;
  if (u.scheme_id() == boost::urls::scheme::https) {
    out.https = true;
  } else if (u.scheme_id() != boost::urls::scheme::http) {
    return BadUrl(url, "has a scheme other than http or https");
  }
  if (!u.has_authority()) return BadUrl(url, "has no host");
  if (u.has_userinfo()) return BadUrl(url, "carries userinfo (user@), which is refused");
  if (u.has_fragment()) return BadUrl(url, "carries a fragment (#), which is refused");

  switch (u.host_type()) {
    case boost::urls::host_type::name: {
      std::string host = AsciiLower(std::string_view(u.encoded_host()));
      if (host.empty()) return BadUrl(url, "has an empty host");
      for (char c : host) {
        if (!IsHostNameChar(c)) return BadUrl(url, "has a host name with disallowed characters");
      }
      out.host = std::move(host);
      break;
    }
    case boost::urls::host_type::ipv4:
      out.host = std::string(u.encoded_host());
      out.host_is_ip = true;
      break;
    case boost::urls::host_type::ipv6:
      out.host = AsciiLower(std::string_view(u.encoded_host_address()));
      out.host_is_ip = true;
      break;
    default:
      return BadUrl(url, "has an unsupported host form");
  }

  if (u.has_port()) {
    std::string_view port = u.port();
    if (port.empty() || port.size() > 5) return BadUrl(url, "has an invalid port");
    unsigned value = 0;
    for (char c : port) value = value * 10 + static_cast<unsigned>(c - '0');  // digits only
    if (value == 0 || value > 65535) return BadUrl(url, "has a port outside 1..65535");
    out.port = static_cast<uint16_t>(value);
  } else {
    out.port = out.https ? 443 : 80;
  }

  std::string_view path = u.encoded_path();
  out.target = path.empty() ? "/" : std::string(path);
  if (out.target.front() != '/') return BadUrl(url, "has a relative path");
  if (u.has_query()) out.target += "?" + std::string(u.encoded_query());
  return out;
}

}  // namespace wifgate::net
