#include "common/crypto.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <random>
#include <string>

namespace wifgate {
namespace {

std::string FromHex(std::string_view hex) {
  std::string out;
  EXPECT_TRUE(HexDecode(hex, &out)) << hex;
  return out;
}

// RFC 4231, all seven cases (case 5 compares the first 128 bits, as the RFC does).
TEST(HmacSha256, Rfc4231) {
  const std::string long_key(131, '\xaa');
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  EXPECT_EQ(HexEncode(HmacSha256(FromHex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                                 std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0c'), "Test With Truncation")).substr(0, 32),
            "a3b6167473100ee06e0c796c2955552b");
  EXPECT_EQ(
      HexEncode(HmacSha256(long_key, "Test Using Larger Than Block-Size Key - Hash Key First")),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(HexEncode(HmacSha256(long_key,
                                 "This is a test using a larger than block-size key and a larger "
                                 "than block-size data. The key needs to be hashed before being "
                                 "used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

// Key lengths on both sides of the block size, against OpenSSL.
TEST(HmacSha256, MatchesOpenSslForEveryKeyLength) {
  std::mt19937 rng(4231);
  for (size_t key_len = 0; key_len <= 150; ++key_len) {
    std::string key(key_len, '\0'), data(rng() % 200, '\0');
    for (char& c : key) c = static_cast<char>(rng());
    for (char& c : data) c = static_cast<char>(rng());
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ASSERT_NE(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                   reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len),
              nullptr);
    ASSERT_EQ(HmacSha256(key, data), std::string(reinterpret_cast<char*>(md), len))
        << "key length " << key_len;
  }
}

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
