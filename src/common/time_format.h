// Timestamps in the textual forms the protocols use. All UTC; parsers are strict (exact
// length and digits, calendar-valid fields) because dates arrive in signed requests.
#ifndef WIFGATE_COMMON_TIME_FORMAT_H_
#define WIFGATE_COMMON_TIME_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>

#include "wifgate/env.h"

namespace wifgate {

// ISO 8601 basic, as SigV4's X-Amz-Date: "20150830T123600Z".
std::string FormatAmzDate(SystemTime t);
std::optional<SystemTime> ParseAmzDate(std::string_view s);

// RFC 3339 in UTC with seconds: "2015-08-30T12:36:00Z" (STS Expiration, logs). The parser
// also accepts fractional seconds and a numeric offset, which STS and IMDS may send.
std::string FormatRfc3339(SystemTime t);
std::optional<SystemTime> ParseRfc3339(std::string_view s);

// Seconds since the Unix epoch.
int64_t ToUnixSeconds(SystemTime t);
SystemTime FromUnixSeconds(int64_t s);

}  // namespace wifgate

#endif  // WIFGATE_COMMON_TIME_FORMAT_H_
