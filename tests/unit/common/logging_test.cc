// Log lines (security.md INJ-03): one event is one line, whatever a value holds; values
// are data, never formats; an oversized value is cut, at a character boundary, and marked.
#include "common/logging.h"

#include <gtest/gtest.h>

#include <string>

#include "common/json.h"

namespace wifgate {
namespace {

class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogLevel(LogLevel::kDebug);
    SetLogFormat(LogFormat::kJson);
  }
  void TearDown() override { SetLogLevel(LogLevel::kInfo); }

  // What Log wrote to stderr for one event.
  static std::string Capture(std::string_view value) {
    ::testing::internal::CaptureStderr();
    Log(LogLevel::kWarn, "test.event", {{"value", value}});
    return ::testing::internal::GetCapturedStderr();
  }
};

TEST_F(LoggingTest, HostileValuesStayOneEscapedLine) {
  for (std::string_view value :
       {std::string_view("alice\n2025-01-01T00:00:00Z INFO login ok user=admin"),
        std::string_view("\x1b[2J"), std::string_view("%n%s%s"),
        std::string_view("a\r\nX-Injected: 1"), std::string_view("nul\0byte", 8)}) {
    std::string line = Capture(value);
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line;  // only the terminating newline
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    auto parsed = ParseStrictJson(line);
    ASSERT_TRUE(parsed.ok()) << line;
    EXPECT_EQ(parsed->as_object().at("value").as_string(), value);  // data, not a format
  }
}

TEST_F(LoggingTest, OversizedValuesAreCutAndMarked) {
  std::string value(1 << 20, 'x');
  value.replace(4094, 3, "\xe2\x82\xac");  // a 3-byte character across the 4 KiB cut
  std::string line = Capture(value);
  EXPECT_LT(line.size(), 5000u);
  auto parsed = ParseStrictJson(line);
  ASSERT_TRUE(parsed.ok()) << line.substr(0, 200);
  std::string logged(parsed->as_object().at("value").as_string());
  EXPECT_TRUE(logged.ends_with("...[truncated; 1048576 bytes in all]")) << logged.substr(4000);
  EXPECT_EQ(logged.substr(0, 4094), value.substr(0, 4094));  // cut before the character
  EXPECT_EQ(logged[4094], '.');
  // Short values are left alone.
  EXPECT_NE(Capture("short").find("\"value\":\"short\""), std::string::npos);
}

}  // namespace
}  // namespace wifgate
