// gzip encoding and bounded decoding of HTTP bodies (zlib).
//
// The server accepts `Content-Encoding: gzip` request bodies because the Snowflake
// connectors compress theirs. A few kilobytes of gzip can inflate to gigabytes, so
// decoding takes a hard cap on the output and stops as soon as it is exceeded.
#ifndef WIFGATE_NET_GZIP_H_
#define WIFGATE_NET_GZIP_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "wifgate/status.h"

namespace wifgate::net {

// Decodes one gzip stream. Fails with net.gzip_too_large (kResourceExhausted) as soon as
// the output would exceed `max_output_bytes`, and with net.bad_gzip (kInvalidArgument) on
// corrupt or truncated input or trailing data.
Result<std::string> GzipDecode(std::string_view input, size_t max_output_bytes);

// Encodes `input` as one gzip stream.
std::string GzipEncode(std::string_view input);

}  // namespace wifgate::net

#endif  // WIFGATE_NET_GZIP_H_
