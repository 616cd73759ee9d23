// Builders for AWS attestation envelopes in tests: a well-formed default that each test
// bends in one place, serialised by hand so that tests can also produce what a JSON
// library would refuse to emit (duplicate keys, odd types, raw text).
#ifndef WIFGATE_TESTS_UNIT_VERIFY_AWS_TEST_UTIL_H_
#define WIFGATE_TESTS_UNIT_VERIFY_AWS_TEST_UTIL_H_

#include <string>
#include <utility>
#include <vector>

#include "common/base64.h"
#include "common/time_format.h"
#include "wifgate/env.h"

namespace wifgate::testing {

inline std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

struct EnvelopeBuilder {
  explicit EnvelopeBuilder(SystemTime now) {
    std::string date = FormatAmzDate(now);
    url = "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15";
    headers = {
        {"Host", "\"sts.us-east-1.amazonaws.com\""},
        {"X-Snowflake-Audience", "\"snowflakecomputing.com\""},
        {"X-Amz-Date", JsonString(date)},
        {"Authorization", JsonString(Authorization(date.substr(0, 8), "us-east-1",
                                                   "host;x-amz-date;x-snowflake-audience"))},
    };
  }

  static std::string Authorization(const std::string& date8, const std::string& region,
                                   const std::string& signed_headers) {
    return "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00/" + date8 + "/" + region +
           "/sts/aws4_request, SignedHeaders=" + signed_headers +
           ", Signature=" + std::string(64, 'a');
  }

  // Replaces (or adds) a header whose value is a string.
  EnvelopeBuilder& Set(const std::string& name, const std::string& value) {
    return SetRaw(name, JsonString(value));
  }
  // Replaces (or adds) a header with a raw JSON value.
  EnvelopeBuilder& SetRaw(const std::string& name, const std::string& raw) {
    for (auto& h : headers) {
      if (h.first == name) {
        h.second = raw;
        return *this;
      }
    }
    headers.emplace_back(name, raw);
    return *this;
  }
  EnvelopeBuilder& Remove(const std::string& name) {
    std::erase_if(headers, [&](const auto& h) { return h.first == name; });
    return *this;
  }
  EnvelopeBuilder& Add(const std::string& name, const std::string& value) {
    headers.emplace_back(name, JsonString(value));
    return *this;
  }

  std::string Json() const {
    std::string out = "{\"url\":" + (raw_url.empty() ? JsonString(url) : raw_url) +
                      ",\"method\":" + (raw_method.empty() ? JsonString(method) : raw_method) +
                      ",\"headers\":{";
    for (size_t i = 0; i < headers.size(); ++i) {
      if (i) out += ",";
      out += JsonString(headers[i].first) + ":" + headers[i].second;
    }
    return out + "}" + extra_members + "}";
  }
  std::string Token() const { return Base64Encode(Json()); }

  std::string url;
  std::string method = "POST";
  std::string raw_url;                                       // replaces url's JSON when set
  std::string raw_method;                                    // replaces method's JSON when set
  std::vector<std::pair<std::string, std::string>> headers;  // name, raw JSON value
  std::string extra_members;  // appended after "headers", e.g. ",\"body\":\"\""
};

}  // namespace wifgate::testing

#endif  // WIFGATE_TESTS_UNIT_VERIFY_AWS_TEST_UTIL_H_
