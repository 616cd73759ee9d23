#include "common/sha256.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <random>
#include <string>

#include "common/crypto.h"

namespace wifgate {
namespace {

std::string Hex(const Sha256Hasher::Digest& d) {
  return HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

std::string FromHex(std::string_view hex) {
  std::string out;
  EXPECT_TRUE(HexDecode(hex, &out)) << hex;
  return out;
}

// NIST CAVP SHAVS, SHA256ShortMsg.rsp (byte-oriented): the boundary lengths, including 55
// and 56 bytes, where the length field stops fitting in the last block.
TEST(Sha256, CavpShortMessages) {
  struct Case {
    const char* msg;
    const char* md;
  };
  const Case cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"d3", "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1"},
      {"11af", "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98"},
      {"b4190e", "dff2e73091f6c05e528896c4c831b9448653dc2ff043528f6769437bc7b975c2"},
      {"74ba2521", "b16aa56be3880d18cd41e68384cf1ec8c17680c45a02b1575dc1518923ae8b0e"},
      {"3ebfb06db8c38d5ba037f1363e118550aad94606e26835a01af05078533cc25f2f39573c04b632f62f68c2"
       "94ab31f2a3e2a1a0d8c2be51",
       "6595a2ef537a69ba8583dfbf7f5bec0ab1f93ce4c8ee1916eff44a93af5749c4"},
      {"2d52447d1244d2ebc28650e7b05654bad35b3a68eedc7f8515306b496d75f3e73385dd1b002625024b81a0"
       "2f2fd6dffb6e6d561cb7d0bd7a",
       "cfb88d6faf2de3a69d36195acec2e255e2af2b7d933997f348e09f6ce5758360"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(HexEncode(Sha256(FromHex(c.msg))), c.md) << c.msg;
  }
}

// FIPS 180-2 appendix B: one block, two blocks, and one million 'a' fed in uneven pieces.
TEST(Sha256, FipsExamples) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256Hasher hasher;
  const std::string piece(997, 'a');
  size_t left = 1000000;
  while (left > 0) {
    size_t n = std::min(left, piece.size());
    hasher.Update(std::string_view(piece).substr(0, n));
    left -= n;
  }
  EXPECT_EQ(Hex(hasher.Finish()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, EmptyUpdatesChangeNothing) {
  Sha256Hasher hasher;
  hasher.Update(std::string_view());  // null data
  hasher.Update("ab");
  hasher.Update(nullptr, 0);
  hasher.Update("c");
  EXPECT_EQ(Hex(hasher.Finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, FinishStartsOver) {
  Sha256Hasher hasher;
  hasher.Update("ignored");
  hasher.Finish();
  hasher.Update("abc");
  EXPECT_EQ(Hex(hasher.Finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

std::string OpenSslSha256(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr), 1);
  return std::string(reinterpret_cast<char*>(md), len);
}

// Every length across several blocks, whole and split at random points, against OpenSSL.
TEST(Sha256, MatchesOpenSslForEveryLengthAndSplit) {
  std::mt19937 rng(20261129);
  for (size_t len = 0; len <= 300; ++len) {
    std::string data(len, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    const std::string expected = OpenSslSha256(data);
    ASSERT_EQ(Sha256(data), expected) << "length " << len;
    Sha256Hasher hasher;
    std::string_view rest = data;
    while (!rest.empty()) {
      size_t n = std::min<size_t>(rest.size(), rng() % 80);
      hasher.Update(rest.substr(0, n));
      rest.remove_prefix(n);
    }
    auto digest = hasher.Finish();
    ASSERT_EQ(std::string(reinterpret_cast<const char*>(digest.data()), digest.size()), expected)
        << "length " << len << " in pieces";
  }
}

}  // namespace
}  // namespace wifgate
