#include "jwt/jwk.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <set>

#include "common/base64.h"
#include "common/json.h"
#include "jwt/signature.h"

namespace wifgate::jwt {
namespace {

namespace json = boost::json;

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;

Status Invalid(std::string what) {
  return Status(Code::kUnauthenticated, "jwt.jwk_invalid", "unusable JWK: " + what,
                "The issuer's signing key is not usable.");
}

Status SetInvalid(std::string what) {
  return Status(
      Code::kUnavailable, "jwt.jwks_invalid",
      "the issuer's JWKS is not acceptable: " + what + "; fix the issuer's published key set",
      "The issuer's keys could not be loaded.");
}

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

Result<std::string> DecodeMember(const json::object& jwk, std::string_view name) {
  std::optional<std::string> text = GetString(jwk, name);
  if (!text) return Invalid("missing or non-string `" + std::string(name) + "`");
  std::optional<std::string> bytes = Base64UrlDecode(*text);
  if (!bytes || bytes->empty()) {
    return Invalid("`" + std::string(name) + "` is not canonical base64url");
  }
  return std::move(*bytes);
}

BnPtr ToBn(const std::string& bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
}

std::shared_ptr<EVP_PKEY> FromData(const char* type, OSSL_PARAM* params) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  if (ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
    if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  return std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
}

Result<std::shared_ptr<EVP_PKEY>> RsaKey(const json::object& jwk) {
  WIFGATE_ASSIGN_OR_RETURN(std::string n_bytes, DecodeMember(jwk, "n"));
  WIFGATE_ASSIGN_OR_RETURN(std::string e_bytes, DecodeMember(jwk, "e"));
  BnPtr n = ToBn(n_bytes);
  BnPtr e = ToBn(e_bytes);
  if (!n || !e) return Invalid("cannot read the RSA modulus or exponent");
  int bits = BN_num_bits(n.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return Invalid("RSA modulus of " + std::to_string(bits) + " bits (accepted: 2048 to 8192)");
  }
  // Small exponents (1, 3) are refused: RFC 8017 allows them, but no sound issuer uses them
  // and e = 1 makes every signature trivially forgeable.
  if (!BN_is_odd(e.get()) || BN_num_bits(e.get()) < 17 || BN_num_bits(e.get()) > 64 ||
      BN_cmp(e.get(), n.get()) >= 0) {
    return Invalid("RSA exponent must be odd and at least 65537");
  }
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  if (bld != nullptr && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n.get()) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e.get()) == 1) {
    params = OSSL_PARAM_BLD_to_param(bld);
  }
  std::shared_ptr<EVP_PKEY> pkey = params ? FromData("RSA", params) : nullptr;
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  if (!pkey) return Invalid("OpenSSL refused the RSA key");
  return pkey;
}

const char* OpenSslGroup(std::string_view crv) {
  if (crv == "P-256") return "prime256v1";
  if (crv == "P-384") return "secp384r1";
  if (crv == "P-521") return "secp521r1";
  return nullptr;
}

size_t CoordinateBytes(std::string_view crv) {
  return crv == "P-256" ? 32 : crv == "P-384" ? 48 : 66;
}

Result<std::shared_ptr<EVP_PKEY>> EcKey(const json::object& jwk, const std::string& crv) {
  const char* group = OpenSslGroup(crv);
  if (group == nullptr) return Invalid("unsupported curve (accepted: P-256, P-384, P-521)");
  WIFGATE_ASSIGN_OR_RETURN(std::string x, DecodeMember(jwk, "x"));
  WIFGATE_ASSIGN_OR_RETURN(std::string y, DecodeMember(jwk, "y"));
  if (x.size() != CoordinateBytes(crv) || y.size() != CoordinateBytes(crv)) {
    return Invalid("EC coordinates must be exactly " + std::to_string(CoordinateBytes(crv)) +
                   " bytes for " + crv);
  }
  std::string point = "\x04" + x + y;  // SEC1 uncompressed
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  std::shared_ptr<EVP_PKEY> pkey = FromData("EC", params);
  if (!pkey) return Invalid("the EC point is not on " + crv);
  // fromdata does not promise a full check; do it explicitly (point on curve, not infinity).
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr);
  bool on_curve = ctx != nullptr && EVP_PKEY_public_check(ctx) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!on_curve) return Invalid("the EC point is not on " + crv);
  return pkey;
}

}  // namespace

bool Jwk::Accepts(Algorithm a) const {
  if (alg && *alg != a) return false;
  if (type == Type::kRsa) return !IsEcdsa(a);
  return IsEcdsa(a) && curve == EcCurveName(a);
}

Result<Jwk> ParseJwk(const json::object& obj) {
  Jwk jwk;
  if (const json::value* kid = obj.if_contains("kid")) {
    if (!kid->is_string()) return Invalid("`kid` is not a string");
    jwk.kid = std::string(kid->as_string());
  }
  if (const json::value* use = obj.if_contains("use")) {
    if (!use->is_string() || use->as_string() != "sig") return Invalid("`use` is not \"sig\"");
  }
  if (const json::value* alg = obj.if_contains("alg")) {
    if (!alg->is_string()) return Invalid("`alg` is not a string");
    jwk.alg = ParseAlgorithm(alg->as_string());
    if (!jwk.alg) return Invalid("`alg` is not RS256/384/512 or ES256/384/512");
  }
  std::optional<std::string> kty = GetString(obj, "kty");
  if (kty == "RSA") {
    jwk.type = Jwk::Type::kRsa;
    if (jwk.alg && IsEcdsa(*jwk.alg)) return Invalid("`alg` is an ECDSA algorithm on an RSA key");
    WIFGATE_ASSIGN_OR_RETURN(jwk.pkey, RsaKey(obj));
  } else if (kty == "EC") {
    jwk.type = Jwk::Type::kEc;
    std::optional<std::string> crv = GetString(obj, "crv");
    if (!crv) return Invalid("an EC key without `crv`");
    jwk.curve = *crv;
    if (jwk.alg && EcCurveName(*jwk.alg) != jwk.curve) {
      return Invalid("`alg` does not match the curve " + jwk.curve);
    }
    WIFGATE_ASSIGN_OR_RETURN(jwk.pkey, EcKey(obj, jwk.curve));
  } else {
    return Invalid("`kty` is not RSA or EC");
  }
  for (Algorithm a : AllAlgorithms()) {
    if (jwk.Accepts(a)) jwk.prepared[static_cast<size_t>(a)] = PrepareVerify(jwk.pkey.get(), a);
  }
  return jwk;
}

const Jwk* JwkSet::Find(const std::optional<std::string>& kid) const {
  if (!kid) return keys_.size() == 1 ? &keys_[0] : nullptr;
  for (const Jwk& key : keys_) {
    if (key.kid == *kid) return &key;
  }
  return nullptr;
}

Result<JwkSet> ParseJwkSet(std::string_view text, const JwkSetLimits& limits) {
  if (text.size() > limits.max_bytes) return SetInvalid("the document is too large");
  JsonLimits json_limits;
  json_limits.max_bytes = limits.max_bytes;
  json_limits.max_depth = 8;
  Result<json::value> doc = ParseStrictJson(text, json_limits);
  if (!doc.ok()) return SetInvalid("not strict JSON (" + doc.status().message() + ")");
  if (!doc->is_object()) return SetInvalid("not a JSON object");
  const json::array* keys = GetArray(doc->as_object(), "keys");
  if (keys == nullptr) return SetInvalid("no `keys` array");
  if (keys->size() > limits.max_keys) {
    return SetInvalid(std::to_string(keys->size()) + " keys (the limit is " +
                      std::to_string(limits.max_keys) + ")");
  }
  std::vector<Jwk> usable;
  std::set<std::string, std::less<>> kids;
  for (const json::value& entry : *keys) {
    if (!entry.is_object()) return SetInvalid("a key is not a JSON object");
    if (const json::value* kid = entry.as_object().if_contains("kid"); kid && kid->is_string()) {
      if (!kids.insert(std::string(kid->as_string())).second) {
        return SetInvalid("two keys share the kid '" + std::string(kid->as_string()) + "'");
      }
    }
    Result<Jwk> jwk = ParseJwk(entry.as_object());
    if (jwk.ok()) usable.push_back(std::move(jwk).value());
  }
  return JwkSet(std::move(usable));
}

}  // namespace wifgate::jwt
