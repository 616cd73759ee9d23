#include "net/gzip.h"

#include <gtest/gtest.h>

namespace wifgate::net {
namespace {

TEST(GzipTest, RoundTrips) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line " + std::to_string(i) + "\n";
  std::string encoded = GzipEncode(text);
  EXPECT_LT(encoded.size(), text.size());
  Result<std::string> decoded = GzipDecode(encoded, text.size());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, text);
}

TEST(GzipTest, EmptyInputRoundTrips) {
  Result<std::string> decoded = GzipDecode(GzipEncode(""), 0);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "");
}

TEST(GzipTest, StopsAtTheOutputCap) {
  std::string bomb = GzipEncode(std::string(64 << 20, '\0'));  // 64 MiB of zeros
  EXPECT_LT(bomb.size(), 128u * 1024);
  Result<std::string> decoded = GzipDecode(bomb, 1 << 20);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().reason(), "net.gzip_too_large");
  // One byte over the cap is refused too.
  decoded = GzipDecode(GzipEncode("abcd"), 3);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().reason(), "net.gzip_too_large");
}

TEST(GzipTest, RejectsCorruptTruncatedAndTrailing) {
  std::string good = GzipEncode("hello, world");
  EXPECT_EQ(GzipDecode("not gzip at all", 1000).status().reason(), "net.bad_gzip");
  EXPECT_EQ(GzipDecode(good.substr(0, good.size() - 3), 1000).status().reason(), "net.bad_gzip");
  EXPECT_EQ(GzipDecode(good + "junk", 1000).status().reason(), "net.bad_gzip");
  std::string flipped = good;
  flipped[flipped.size() - 6] ^= 0x55;  // CRC32 trailer
  EXPECT_EQ(GzipDecode(flipped, 1000).status().reason(), "net.bad_gzip");
}

}  // namespace
}  // namespace wifgate::net
