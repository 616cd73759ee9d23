#include "net/gzip.h"

#include <zlib.h>

#include <algorithm>

namespace wifgate::net {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // maximum window, gzip wrapper
constexpr size_t kChunk = 16 * 1024;

Status BadGzip(std::string_view why) {
  return Status(Code::kInvalidArgument, "net.bad_gzip",
                "the gzip-encoded body is invalid: " + std::string(why));
}

// zlib's avail_in is 32 bits; the bodies handled here are far smaller.
uInt ChunkSize(size_t remaining) {
  return static_cast<uInt>(std::min<size_t>(remaining, 1u << 30));
}

}  // namespace

Result<std::string> GzipDecode(std::string_view input, size_t max_output_bytes) {
  z_stream z{};
  if (inflateInit2(&z, kGzipWindowBits) != Z_OK) {
    return Status(Code::kInternal, "net.bad_gzip", "zlib inflateInit2 failed");
  }
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = ChunkSize(input.size());
  int rc = Z_OK;
  char buffer[kChunk];
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof(buffer);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      if (rc == Z_BUF_ERROR) return BadGzip("truncated");
      return BadGzip(z.msg != nullptr ? z.msg : "inflate failed");
    }
    size_t produced = sizeof(buffer) - z.avail_out;
    if (out.size() + produced > max_output_bytes) {
      inflateEnd(&z);
      return Status(Code::kResourceExhausted, "net.gzip_too_large",
                    "the gzip-encoded body inflates to more than " +
                        std::to_string(max_output_bytes) + " bytes");
    }
    out.append(buffer, produced);
  }
  bool trailing = z.avail_in != 0 || z.total_in != input.size();
  inflateEnd(&z);
  if (trailing) return BadGzip("data after the end of the gzip stream");
  return out;
}

std::string GzipEncode(std::string_view input) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY);
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = ChunkSize(input.size());
  char buffer[kChunk];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof(buffer);
    rc = deflate(&z, Z_FINISH);
    out.append(buffer, sizeof(buffer) - z.avail_out);
  }
  deflateEnd(&z);
  return out;
}

}  // namespace wifgate::net
