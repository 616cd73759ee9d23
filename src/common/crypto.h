// The small set of hash and MAC primitives shared by SigV4, sessions and JWT code. SHA-256
// and HMAC-SHA256 are built on common/sha256.h, which needs no OpenSSL initialization (see
// why there); asymmetric signature verification lives with its users (jwt/), on OpenSSL.
#ifndef WIFGATE_COMMON_CRYPTO_H_
#define WIFGATE_COMMON_CRYPTO_H_

#include <string>
#include <string_view>

namespace wifgate {

// Raw 32-byte digests.
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);

// Lower-case hexadecimal of arbitrary bytes, and its strict inverse (nullopt-free: returns
// false on odd length or a non-hex character).
std::string HexEncode(std::string_view bytes);
bool HexDecode(std::string_view hex, std::string* out);

// Compares two secrets in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace wifgate

#endif  // WIFGATE_COMMON_CRYPTO_H_
