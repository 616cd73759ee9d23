// Key-pair login (authenticator SNOWFLAKE_JWT): a JWT the client signs with its private
// key, checked against the public key registered as the user's RSA_PUBLIC_KEY.
//
// The token names its signer twice — `sub` = "ACCOUNT.USER" and `iss` =
// "ACCOUNT.USER.SHA256:<base64 SHA-256 of the public key's DER SubjectPublicKeyInfo>" — and
// both must match the account served, the user logging in and the registered key. Node
// writes `iat`/`exp` in milliseconds and Python in seconds; both are accepted.
#ifndef WIFGATE_VERIFY_KEYPAIR_VERIFIER_H_
#define WIFGATE_VERIFY_KEYPAIR_VERIFIER_H_

#include <chrono>
#include <string>
#include <string_view>

#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::verify {

struct KeyPairLogin {
  std::string_view token;           // the login's TOKEN; secret
  std::string_view account;         // the account served, upper-case
  std::string_view user;            // the user's name, as registered
  std::string_view rsa_public_key;  // RSA_PUBLIC_KEY: base64 DER SPKI, or PEM
  SystemTime now;
  std::chrono::seconds leeway{60};
  std::chrono::seconds max_lifetime{3600};
};

// "SHA256:<base64>" of the key, as Snowflake shows it in RSA_PUBLIC_KEY_FP; fails with
// keypair.public_key_invalid when the text is not an RSA or EC public key.
Result<std::string> PublicKeyFingerprint(std::string_view rsa_public_key);

// OK when the token is a valid key-pair login for `login.user`. Failures: keypair.malformed,
// keypair.alg_not_allowed, keypair.subject_mismatch, keypair.fingerprint_mismatch,
// keypair.signature_invalid, keypair.expired, keypair.not_yet_valid, keypair.lifetime_too_long,
// keypair.public_key_invalid.
Status VerifyKeyPairLogin(const KeyPairLogin& login);

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_KEYPAIR_VERIFIER_H_
