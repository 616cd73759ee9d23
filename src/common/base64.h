// Base64 (RFC 4648 §4) and base64url (§5) encoding and strict decoding.
//
// Decoding is strict because attestations and JWTs arrive as base64 and two encodings of
// the same bytes must never both be accepted: no whitespace, no characters outside the
// alphabet, padding exactly as the variant requires, and non-zero trailing bits refused
// (they would let an attacker vary the text without varying the bytes).
#ifndef WIFGATE_COMMON_BASE64_H_
#define WIFGATE_COMMON_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace wifgate {

// Standard alphabet, with '=' padding.
std::string Base64Encode(std::string_view data);
// URL-safe alphabet, without padding (as JWS uses it).
std::string Base64UrlEncode(std::string_view data);

// Standard alphabet; padding required. nullopt on any deviation.
std::optional<std::string> Base64Decode(std::string_view text);
// URL-safe alphabet; padding forbidden. nullopt on any deviation.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace wifgate

#endif  // WIFGATE_COMMON_BASE64_H_
