// Password hashes for PERSON users: PBKDF2-HMAC-SHA256 with a per-user random salt.
//
// Encoded as "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>" so that the iteration
// count can be raised later without invalidating stored hashes. The password itself is
// never stored, logged or put in an error message.
#ifndef WIFGATE_REGISTRY_PASSWORD_H_
#define WIFGATE_REGISTRY_PASSWORD_H_

#include <string>
#include <string_view>

#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::registry {

// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
inline constexpr int kDefaultPasswordIterations = 600000;

Result<std::string> HashPassword(std::string_view password, Env& env,
                                 int iterations = kDefaultPasswordIterations);

// True when `password` matches `encoded`; the final comparison takes constant time. A
// malformed `encoded` never matches.
bool VerifyPassword(std::string_view password, std::string_view encoded);

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_PASSWORD_H_
