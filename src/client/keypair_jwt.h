// The SNOWFLAKE_JWT login token: a short-lived RS256 JWT signed with the user's private key.
//
// Snowflake finds the public key by the fingerprint in `iss`, so the claims are exactly
//   iss = "<ACCOUNT>.<USER>.SHA256:<base64(sha256(DER SubjectPublicKeyInfo))>"
//   sub = "<ACCOUNT>.<USER>"            (ACCOUNT and USER upper-cased)
//   iat, exp = epoch seconds, exp = iat + 60
// as the Python connector sends them (spec snowflake-rest.md §2.3).
#ifndef WIFGATE_CLIENT_KEYPAIR_JWT_H_
#define WIFGATE_CLIENT_KEYPAIR_JWT_H_

#include <string>
#include <string_view>

#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::client {

// "SHA256:<base64>" of the public half of `private_key_pem`, as ALTER USER ... SET
// RSA_PUBLIC_KEY shows it in RSA_PUBLIC_KEY_FP. Fails with client.bad_private_key.
Result<std::string> PublicKeyFingerprint(std::string_view private_key_pem);

// The signed JWT. `account` is the account name (before any dot). Never puts key material
// in a Status.
Result<std::string> MakeKeypairJwt(std::string_view account, std::string_view user,
                                   std::string_view private_key_pem, SystemTime now);

}  // namespace wifgate::client

#endif  // WIFGATE_CLIENT_KEYPAIR_JWT_H_
