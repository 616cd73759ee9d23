#include "common/base64.h"

#include <gtest/gtest.h>

namespace wifgate {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<std::string, std::string> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    EXPECT_EQ(Base64Decode(encoded), plain);
  }
}

// Every byte value at every position and every tail length: decoding inverts encoding.
TEST(Base64, RoundTripsAllBytesAndLengths) {
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>((i * 37 + 11) & 0xFF);
  for (size_t n = 0; n <= data.size(); ++n) {
    std::string plain = data.substr(0, n);
    EXPECT_EQ(Base64Decode(Base64Encode(plain)), plain) << n;
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(plain)), plain) << n;
  }
}

TEST(Base64, UrlVariantRefusesBadTails) {
  EXPECT_EQ(Base64UrlDecode("Zm8"), "fo");
  EXPECT_FALSE(Base64UrlDecode("Zm9"));      // non-zero unused bits after two bytes
  EXPECT_FALSE(Base64UrlDecode("Zm9vZ.8"));  // bad character in a three-character tail
  EXPECT_FALSE(Base64UrlDecode("Zm9v.g"));   // bad character in a two-character tail
  EXPECT_FALSE(Base64UrlDecode("Zm.v"));     // bad character in a full group
}

TEST(Base64, UrlVariantUsesUrlAlphabetWithoutPadding) {
  std::string bytes("\xfb\xff\xfe", 3);
  EXPECT_EQ(Base64UrlEncode(bytes), "-__-");
  EXPECT_EQ(Base64Encode(bytes), "+//+");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlDecode("Zg"), "f");
  EXPECT_EQ(Base64UrlDecode("-__-"), bytes);
}

TEST(Base64, RejectsNonCanonicalAndForeignInput) {
  EXPECT_FALSE(Base64Decode("Zg"));        // missing padding
  EXPECT_FALSE(Base64Decode("Zg="));       // wrong length
  EXPECT_FALSE(Base64Decode("Zh=="));      // non-zero trailing bits
  EXPECT_FALSE(Base64Decode("Zm9v\n"));    // whitespace
  EXPECT_FALSE(Base64Decode("Zm9v===="));  // too much padding
  EXPECT_FALSE(Base64Decode("Z=9v"));      // padding in the middle
  EXPECT_FALSE(Base64Decode("-__-"));      // url alphabet in standard decoding
  EXPECT_FALSE(Base64Decode("%%%%"));
  EXPECT_FALSE(Base64UrlDecode("Zg=="));  // padding in url decoding
  EXPECT_FALSE(Base64UrlDecode("+//+"));  // standard alphabet in url decoding
  EXPECT_FALSE(Base64UrlDecode("Z"));     // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zh"));    // non-zero trailing bits
}

}  // namespace
}  // namespace wifgate
