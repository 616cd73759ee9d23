#include "registry/password.h"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <vector>

#include "common/crypto.h"
#include "common/strings.h"

namespace wifgate::registry {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr int kMaxIterations = 10'000'000;  // bounds the work a corrupt row can cause

bool Derive(std::string_view password, std::string_view salt, int iterations, std::string* out) {
  out->assign(kHashBytes, '\0');
  return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                           reinterpret_cast<const unsigned char*>(salt.data()),
                           static_cast<int>(salt.size()), iterations, EVP_sha256(),
                           static_cast<int>(kHashBytes),
                           reinterpret_cast<unsigned char*>(out->data())) == 1;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, Env& env, int iterations) {
  if (iterations < 1 || iterations > kMaxIterations) {
    return Status(Code::kInvalidArgument, "registry.password_iterations",
                  "PBKDF2 iteration count must be between 1 and 10000000");
  }
  std::array<uint8_t, kSaltBytes> salt{};
  env.RandomBytes(salt);
  std::string salt_bytes(reinterpret_cast<const char*>(salt.data()), salt.size());
  std::string hash;
  if (!Derive(password, salt_bytes, iterations, &hash)) {
    return Status(Code::kInternal, "registry.password_hash", "PBKDF2 failed in OpenSSL");
  }
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + HexEncode(salt_bytes) +
         "$" + HexEncode(hash);
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  auto parts = Split(encoded, '$');
  if (parts.size() != 4 || parts[0] != kScheme) return false;
  int iterations = 0;
  auto [end, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
  if (ec != std::errc() || end != parts[1].data() + parts[1].size()) return false;
  if (iterations < 1 || iterations > kMaxIterations) return false;
  std::string salt, expected, actual;
  if (!HexDecode(parts[2], &salt) || !HexDecode(parts[3], &expected)) return false;
  if (expected.size() != kHashBytes) return false;
  if (!Derive(password, salt, iterations, &actual)) return false;
  return ConstantTimeEquals(actual, expected);
}

}  // namespace wifgate::registry
