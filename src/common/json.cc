#include "common/json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <set>
#include <vector>

namespace wifgate {
namespace {

namespace json = boost::json;

// Builds a json::value through a value_stack, and keeps the keys of every open object so
// that a repeated key fails the parse.
class StrictHandler {
 public:
  static constexpr size_t max_object_size = 1 << 16;
  static constexpr size_t max_array_size = 1 << 16;
  static constexpr size_t max_key_size = 1 << 12;
  static constexpr size_t max_string_size = 1 << 20;

  bool duplicate_key = false;
  std::string pending_key;
  json::value_stack stack;
  std::vector<std::set<std::string, std::less<>>> open_keys;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(size_t n, json::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_object_begin(json::error_code&) {
    open_keys.emplace_back();
    return true;
  }
  bool on_object_end(size_t n, json::error_code&) {
    open_keys.pop_back();
    stack.push_object(n);
    return true;
  }
  bool on_string_part(json::string_view s, size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, size_t, json::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_key_part(json::string_view s, size_t, json::error_code&) {
    pending_key.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, size_t, json::error_code& ec) {
    pending_key.append(s.data(), s.size());
    if (!open_keys.back().insert(std::move(pending_key)).second) {
      duplicate_key = true;
      ec = json::error::syntax;
      return false;
    }
    pending_key.clear();
    stack.push_key(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t i, json::string_view, json::error_code&) {
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, json::string_view, json::error_code&) {
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return false; }
  bool on_comment(json::string_view, json::error_code&) { return false; }
};

}  // namespace

Result<json::value> ParseStrictJson(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status(Code::kInvalidArgument, "json.too_large",
                  "JSON document of " + std::to_string(text.size()) +
                      " bytes exceeds the limit of " + std::to_string(limits.max_bytes));
  }
  json::parse_options opts;
  opts.max_depth = limits.max_depth;
  json::basic_parser<StrictHandler> parser(opts);
  parser.handler().stack.reset();
  json::error_code ec;
  size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = json::error::extra_data;
  if (ec) {
    std::string what = parser.handler().duplicate_key ? "duplicate object key" : ec.message();
    return Status(Code::kInvalidArgument, "json.malformed",
                  "invalid JSON at byte " + std::to_string(used) + ": " + what);
  }
  return parser.handler().stack.release();
}

std::optional<std::string> GetString(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

std::optional<int64_t> GetInt(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().get_int64();
  if (it->value().is_uint64() && it->value().get_uint64() <= INT64_MAX) {
    return static_cast<int64_t>(it->value().get_uint64());
  }
  return std::nullopt;
}

std::optional<bool> GetBool(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_bool()) return std::nullopt;
  return it->value().get_bool();
}

const json::object* GetObject(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

const json::array* GetArray(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_array()) return nullptr;
  return &it->value().get_array();
}

std::string ToJson(const json::value& v) { return json::serialize(v); }

}  // namespace wifgate
