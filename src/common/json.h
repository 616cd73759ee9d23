// Strict JSON: the one parser for every document that crosses a trust boundary
// (attestations, STS and JWKS responses, JWT headers and claims, login bodies).
//
// Beyond RFC 8259 conformance (which Boost.JSON already enforces: valid UTF-8, no control
// characters in strings, no comments, no trailing commas, nothing after the document), it
// refuses duplicate object keys — different consumers resolving a duplicate differently is
// a classic parser-differential attack — and bounds depth and size.
#ifndef WIFGATE_COMMON_JSON_H_
#define WIFGATE_COMMON_JSON_H_

#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "wifgate/status.h"

namespace wifgate {

struct JsonLimits {
  size_t max_bytes = 1 << 20;
  size_t max_depth = 32;
};

// Parses `text` as one strict JSON document. Failures have reason "json.malformed" (or
// "json.too_large") and a message naming the problem and its byte offset.
Result<boost::json::value> ParseStrictJson(std::string_view text, const JsonLimits& limits = {});

// Typed field access for parsed objects. Each returns nullopt when the key is absent or the
// value has another type; callers turn that into a Status naming the field.
std::optional<std::string> GetString(const boost::json::object& obj, std::string_view key);
std::optional<int64_t> GetInt(const boost::json::object& obj, std::string_view key);
std::optional<bool> GetBool(const boost::json::object& obj, std::string_view key);
const boost::json::object* GetObject(const boost::json::object& obj, std::string_view key);
const boost::json::array* GetArray(const boost::json::object& obj, std::string_view key);

// Serialises `v` compactly (Boost.JSON's serializer; escapes control characters).
std::string ToJson(const boost::json::value& v);

}  // namespace wifgate

#endif  // WIFGATE_COMMON_JSON_H_
