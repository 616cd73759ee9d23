// The JWS signature algorithms wifgate accepts, and nothing else.
//
// Only asymmetric algorithms with a fixed key type exist here: RS256/384/512 (RSASSA
// PKCS#1 v1.5) and ES256/384/512 (ECDSA on P-256/P-384/P-521). "none", the HMAC family
// (whose "key" an attacker can take from the issuer's public key) and PS* (not used by any
// supported issuer) are not representable, so no code path can select them. Names match
// case-sensitively, as RFC 7515 requires.
#ifndef WIFGATE_JWT_ALGORITHM_H_
#define WIFGATE_JWT_ALGORITHM_H_

#include <optional>
#include <string_view>
#include <vector>

namespace wifgate::jwt {

enum class Algorithm { kRs256, kRs384, kRs512, kEs256, kEs384, kEs512 };

std::string_view AlgorithmName(Algorithm alg);  // "RS256", ...
std::optional<Algorithm> ParseAlgorithm(std::string_view name);

bool IsEcdsa(Algorithm alg);
// The EC curve's JWK name ("P-256", "P-384", "P-521") for ES*, empty for RS*.
std::string_view EcCurveName(Algorithm alg);
// Bytes of one ECDSA coordinate / signature half: 32, 48, 66; 0 for RS*.
size_t EcCoordinateBytes(Algorithm alg);

// Every supported algorithm, for issuers that do not restrict theirs.
const std::vector<Algorithm>& AllAlgorithms();

}  // namespace wifgate::jwt

#endif  // WIFGATE_JWT_ALGORITHM_H_
