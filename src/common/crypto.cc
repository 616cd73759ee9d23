#include "common/crypto.h"

#include <openssl/crypto.h>
#include <string.h>  // explicit_bzero

#include <algorithm>

#include "common/sha256.h"

namespace wifgate {

namespace {

std::string ToString(const Sha256Hasher::Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace

std::string Sha256(std::string_view data) {
  Sha256Hasher hasher;
  hasher.Update(data);
  return ToString(hasher.Finish());
}

// RFC 2104: H((K ^ opad) || H((K ^ ipad) || data)), with a key longer than a block hashed
// first and a shorter one padded with zeros.
std::string HmacSha256(std::string_view key, std::string_view data) {
  uint8_t block[Sha256Hasher::kBlockSize] = {};
  Sha256Hasher hasher;
  if (key.size() > sizeof block) {
    hasher.Update(key);
    Sha256Hasher::Digest hashed_key = hasher.Finish();
    std::copy(hashed_key.begin(), hashed_key.end(), block);
    explicit_bzero(hashed_key.data(), hashed_key.size());
  } else {
    std::copy(key.begin(), key.end(), block);
  }
  for (uint8_t& b : block) b ^= 0x36;
  hasher.Update(block, sizeof block);
  hasher.Update(data);
  Sha256Hasher::Digest inner = hasher.Finish();
  for (uint8_t& b : block) b ^= 0x36 ^ 0x5c;
  hasher.Update(block, sizeof block);
  hasher.Update(inner.data(), inner.size());
  explicit_bzero(block, sizeof block);
  return ToString(hasher.Finish());
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

bool HexDecode(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string result;
  result.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    result += static_cast<char>(hi << 4 | lo);
  }
  *out = std::move(result);
  return true;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace wifgate
