#include "common/strings.h"

#include <gtest/gtest.h>

namespace wifgate {
namespace {

TEST(Strings, CaseMappingIsAsciiOnly) {
  EXPECT_EQ(AsciiLower("X-Amz-Date\xc3\x89"), "x-amz-date\xc3\x89");
  EXPECT_EQ(AsciiUpper("abc1"), "ABC1");
  EXPECT_TRUE(AsciiEqualsIgnoreCase("Host", "hOST"));
  EXPECT_FALSE(AsciiEqualsIgnoreCase("Host", "Hosts"));
}

TEST(Strings, TrimAndSplit) {
  EXPECT_EQ(TrimWhitespace("  a b \t\n"), "a b");
  EXPECT_EQ(TrimWhitespace(""), "");
  auto parts = Split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(Split("", ',').size(), 1u);
  EXPECT_EQ(Join({"a", "b"}, ";"), "a;b");
}

}  // namespace
}  // namespace wifgate
