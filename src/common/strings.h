// Small string helpers used across layers: ASCII case mapping, trimming, splitting.
// ASCII only on purpose: protocol tokens (header names, SQL keywords, hosts) are ASCII, and
// locale-dependent case mapping is a source of security bugs.
#ifndef WIFGATE_COMMON_STRINGS_H_
#define WIFGATE_COMMON_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace wifgate {

std::string AsciiLower(std::string_view s);
std::string AsciiUpper(std::string_view s);
bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b);
std::string_view TrimWhitespace(std::string_view s);
// Splits on every occurrence of `sep`; "a,,b" gives {"a", "", "b"}; "" gives {""}.
std::vector<std::string_view> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace wifgate

#endif  // WIFGATE_COMMON_STRINGS_H_
