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
