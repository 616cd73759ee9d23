#include "common/crypto.h"

#include <gtest/gtest.h>

namespace wifgate {
namespace {

TEST(Crypto, HexRoundTripAndRejection) {
  std::string out;
  ASSERT_TRUE(HexDecode("00ff10Ab", &out));
  EXPECT_EQ(out, std::string("\x00\xff\x10\xab", 4));
  EXPECT_FALSE(HexDecode("abc", &out));
  EXPECT_FALSE(HexDecode("zz", &out));
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret2"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace wifgate
