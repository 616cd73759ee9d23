#include "net/internal_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "common/strings.h"

namespace wifgate::net {
namespace {

// A label inet_aton would read as a number: decimal, octal (leading 0) or hex (0x...).
bool IsNumericLabel(std::string_view label) {
  if (label.size() > 2 && (label.starts_with("0x") || label.starts_with("0X"))) {
    label.remove_prefix(2);
    return std::all_of(label.begin(), label.end(),
                       [](unsigned char c) { return std::isxdigit(c) != 0; });
  }
  return !label.empty() && std::all_of(label.begin(), label.end(),
                                       [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

bool IsInternalIpv4(const std::array<uint8_t, 4>& a) {
  return a[0] == 0 || a[0] == 10 || a[0] == 127 || a[0] >= 224 ||  // multicast, reserved
         (a[0] == 169 && a[1] == 254) || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
         (a[0] == 192 && a[1] == 168) || (a[0] == 100 && (a[1] & 0xc0) == 64);
}

bool IsInternalIpv6(const std::array<uint8_t, 16>& a) {
  bool zero_prefix = std::all_of(a.begin(), a.begin() + 10, [](uint8_t b) { return b == 0; });
  if (zero_prefix && a[10] == 0xff && a[11] == 0xff) {  // IPv4-mapped
    return IsInternalIpv4({a[12], a[13], a[14], a[15]});
  }
  if (zero_prefix && a[10] == 0 && a[11] == 0) return true;  // ::, ::1, IPv4-compatible
  // NAT64's well-known prefix 64:ff9b::/96 reaches the IPv4 address in its last four bytes.
  bool nat64 = a[0] == 0 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b &&
               std::all_of(a.begin() + 4, a.begin() + 12, [](uint8_t b) { return b == 0; });
  if (nat64) return IsInternalIpv4({a[12], a[13], a[14], a[15]});
  return (a[0] & 0xfe) == 0xfc ||                    // unique local
         (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||  // link-local
         a[0] == 0xff;                               // multicast
}

bool IsInternalHost(std::string_view host_view) {
  std::string host = AsciiLower(host_view);
  while (host.ends_with('.')) host.pop_back();
  if (host.empty() || host == "localhost" || host.ends_with(".localhost")) return true;
  std::array<uint8_t, 4> v4{};
  if (inet_pton(AF_INET, host.c_str(), v4.data()) == 1) return IsInternalIpv4(v4);
  std::array<uint8_t, 16> v6{};
  if (inet_pton(AF_INET6, host.c_str(), v6.data()) == 1) return IsInternalIpv6(v6);
  size_t dot = host.rfind('.');
  return IsNumericLabel(dot == std::string::npos ? host : std::string_view(host).substr(dot + 1));
}

}  // namespace wifgate::net
