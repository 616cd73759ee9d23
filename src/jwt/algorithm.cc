#include "jwt/algorithm.h"

#include <array>
#include <utility>

namespace wifgate::jwt {
namespace {

constexpr std::array<std::pair<Algorithm, std::string_view>, 6> kNames = {{
    {Algorithm::kRs256, "RS256"},
    {Algorithm::kRs384, "RS384"},
    {Algorithm::kRs512, "RS512"},
    {Algorithm::kEs256, "ES256"},
    {Algorithm::kEs384, "ES384"},
    {Algorithm::kEs512, "ES512"},
}};

}  // namespace

std::string_view AlgorithmName(Algorithm alg) {
  for (const auto& [a, name] : kNames) {
    if (a == alg) return name;
  }
  return "";
}

std::optional<Algorithm> ParseAlgorithm(std::string_view name) {
  for (const auto& [a, n] : kNames) {
    if (n == name) return a;
  }
  return std::nullopt;
}

bool IsEcdsa(Algorithm alg) {
  return alg == Algorithm::kEs256 || alg == Algorithm::kEs384 || alg == Algorithm::kEs512;
}

std::string_view EcCurveName(Algorithm alg) {
  switch (alg) {
    case Algorithm::kEs256:
      return "P-256";
    case Algorithm::kEs384:
      return "P-384";
    case Algorithm::kEs512:
      return "P-521";
    default:
      return "";
  }
}

size_t EcCoordinateBytes(Algorithm alg) {
  switch (alg) {
    case Algorithm::kEs256:
      return 32;
    case Algorithm::kEs384:
      return 48;
    case Algorithm::kEs512:
      return 66;
    default:
      return 0;
  }
}

const std::vector<Algorithm>& AllAlgorithms() {
  static const std::vector<Algorithm> all = {Algorithm::kRs256, Algorithm::kRs384,
                                             Algorithm::kRs512, Algorithm::kEs256,
                                             Algorithm::kEs384, Algorithm::kEs512};
  return all;
}

}  // namespace wifgate::jwt
