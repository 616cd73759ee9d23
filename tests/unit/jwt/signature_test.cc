#include "jwt/signature.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "common/base64.h"
#include "common/crypto.h"
#include "common/json.h"
#include "jwt/jwk.h"
#include "jwt/jws.h"
#include "jwt/signing_key.h"

namespace wifgate::jwt {
namespace {

namespace json = boost::json;

Jwk ParseOrDie(const json::object& obj) {
  Result<Jwk> jwk = ParseJwk(obj);
  EXPECT_TRUE(jwk.ok()) << jwk.status().ToString();
  return jwk.ok() ? *jwk : Jwk{};
}

json::object Obj(std::string_view text) { return ParseStrictJson(text)->as_object(); }

// RFC 7515 Appendix A.3: ES256 with a published key, signature and signing input.
constexpr std::string_view kA3Jwk =
    R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
    R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
constexpr std::string_view kA3Token =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnV"
    "lfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

TEST(SignatureTest, VerifiesRfc7515A3) {
  Jwk key = ParseOrDie(Obj(kA3Jwk));
  Result<Jws> jws = ParseJws(kA3Token);
  ASSERT_TRUE(jws.ok());
  EXPECT_TRUE(VerifySignature(Algorithm::kEs256, key, jws->signing_input, jws->signature).ok());
  std::string tampered = jws->signing_input;
  tampered.back() ^= 1;
  EXPECT_EQ(VerifySignature(Algorithm::kEs256, key, tampered, jws->signature).reason(),
            "jwt.signature_invalid");
}

TEST(SignatureTest, EcdsaEncodingAttacks) {  // AJWT-03, ALG-05
  Jwk key = ParseOrDie(Obj(kA3Jwk));
  Jws jws = *ParseJws(kA3Token);
  const std::string& sig = jws.signature;
  auto reason = [&](const std::string& s) {
    return VerifySignature(Algorithm::kEs256, key, jws.signing_input, s).reason();
  };
  EXPECT_EQ(reason(sig + '\0'), "jwt.signature_invalid");
  EXPECT_EQ(reason(sig.substr(1)), "jwt.signature_invalid");
  EXPECT_EQ(reason(sig.substr(32) + sig.substr(0, 32)), "jwt.signature_invalid");
  EXPECT_EQ(reason(std::string(64, '\0')), "jwt.signature_invalid");
  EXPECT_EQ(reason(std::string(32, '\0') + sig.substr(32)), "jwt.signature_invalid");
  std::string one(31, '\0');
  one += '\1';
  EXPECT_EQ(reason(one + one), "jwt.signature_invalid");
  std::string n;  // the P-256 group order
  ASSERT_TRUE(HexDecode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", &n));
  EXPECT_EQ(reason(sig.substr(0, 32) + n), "jwt.signature_invalid");
  EXPECT_EQ(reason(n + sig.substr(32)), "jwt.signature_invalid");
  // The same signature DER-encoded is refused: JWS uses raw r||s only.
  SigningKey signer = *SigningKey::Generate(Algorithm::kEs256, "k");
  Jwk signer_pub = ParseOrDie(signer.PublicJwk());
  std::string raw = *signer.Sign("data");
  EXPECT_TRUE(VerifySignature(Algorithm::kEs256, signer_pub, "data", raw).ok());
  std::string der = "\x30\x44\x02\x20" + raw.substr(0, 32) + "\x02\x20" + raw.substr(32);
  EXPECT_EQ(VerifySignature(Algorithm::kEs256, signer_pub, "data", der).reason(),
            "jwt.signature_invalid");
}

TEST(SignatureTest, EveryAlgorithmRoundTrips) {
  for (Algorithm alg : AllAlgorithms()) {
    SigningKey signer = *SigningKey::Generate(alg, "k");
    Jwk pub = ParseOrDie(signer.PublicJwk());
    std::string sig = *signer.Sign("payload");
    EXPECT_TRUE(VerifySignature(alg, pub, "payload", sig).ok()) << AlgorithmName(alg);
    EXPECT_FALSE(VerifySignature(alg, pub, "payloaD", sig).ok()) << AlgorithmName(alg);
    // A key reloaded from its PEM signs for the same public key.
    SigningKey reloaded = *SigningKey::FromPem(alg, "k", signer.ToPem());
    EXPECT_TRUE(VerifySignature(alg, pub, "p", *reloaded.Sign("p")).ok());
  }
}

TEST(SignatureTest, KeyMustFitAlgorithm) {  // ALG-07, AJWT-02
  SigningKey p256 = *SigningKey::Generate(Algorithm::kEs256, "ec");
  SigningKey rsa = *SigningKey::Generate(Algorithm::kRs256, "rsa");
  json::object p256_no_alg = p256.PublicJwk();
  p256_no_alg.erase("alg");
  Jwk ec_key = ParseOrDie(p256_no_alg);
  json::object rsa_no_alg = rsa.PublicJwk();
  rsa_no_alg.erase("alg");
  Jwk rsa_key = ParseOrDie(rsa_no_alg);
  std::string ec_sig = *p256.Sign("d");
  std::string rsa_sig = *rsa.Sign("d");
  EXPECT_EQ(VerifySignature(Algorithm::kEs384, ec_key, "d", ec_sig).reason(),
            "jwt.key_alg_mismatch");
  EXPECT_EQ(VerifySignature(Algorithm::kRs256, ec_key, "d", ec_sig).reason(),
            "jwt.key_alg_mismatch");
  EXPECT_EQ(VerifySignature(Algorithm::kEs256, rsa_key, "d", rsa_sig).reason(),
            "jwt.key_alg_mismatch");
  // A JWK naming RS256 does not verify RS512, even with a valid RS512 signature.
  Jwk rs256_only = ParseOrDie(rsa.PublicJwk());
  SigningKey rsa512 = *SigningKey::FromPem(Algorithm::kRs512, "rsa", rsa.ToPem());
  EXPECT_TRUE(VerifySignature(Algorithm::kRs512, rsa_key, "d", *rsa512.Sign("d")).ok());
  EXPECT_EQ(VerifySignature(Algorithm::kRs512, rs256_only, "d", *rsa512.Sign("d")).reason(),
            "jwt.key_alg_mismatch");
  // RSA signatures must be exactly the modulus length.
  EXPECT_EQ(VerifySignature(Algorithm::kRs256, rsa_key, "d", '\0' + rsa_sig).reason(),
            "jwt.signature_invalid");
}

TEST(JwkTest, RejectsWeakOrMalformedKeys) {  // ALG-09, ALG-07
  SigningKey rsa = *SigningKey::Generate(Algorithm::kRs256, "rsa");
  json::object good = rsa.PublicJwk();
  EXPECT_TRUE(ParseJwk(good).ok());
  auto with = [&](std::string_view member, auto v) {
    json::object o = good;
    o[member] = json::value_from(v);
    return ParseJwk(o).status().reason();
  };
  EXPECT_EQ(with("e", Base64UrlEncode("\x01")), "jwt.jwk_invalid");
  EXPECT_EQ(with("e", Base64UrlEncode("\x03")), "jwt.jwk_invalid");
  EXPECT_EQ(with("e", Base64UrlEncode(std::string("\x01\x00\x00", 3))), "jwt.jwk_invalid");
  EXPECT_EQ(with("n", Base64UrlEncode(std::string(128, '\xc1'))), "jwt.jwk_invalid");  // 1024
  EXPECT_EQ(with("n", Base64UrlEncode(std::string(64, '\xc1'))), "jwt.jwk_invalid");   // 512
  EXPECT_EQ(with("n", "not base64!"), "jwt.jwk_invalid");
  EXPECT_EQ(with("use", "enc"), "jwt.jwk_invalid");
  EXPECT_EQ(with("alg", "PS256"), "jwt.jwk_invalid");
  EXPECT_EQ(with("alg", "ES256"), "jwt.jwk_invalid");
  EXPECT_EQ(with("kty", "oct"), "jwt.jwk_invalid");
  EXPECT_EQ(with("kid", 5), "jwt.jwk_invalid");
}

TEST(JwkTest, RejectsPointsOffTheCurve) {
  json::object a3 = Obj(kA3Jwk);
  EXPECT_TRUE(ParseJwk(a3).ok());
  std::string y = *Base64UrlDecode(a3["y"].as_string());
  y.back() ^= 1;
  json::object off = a3;
  off["y"] = Base64UrlEncode(y);
  EXPECT_EQ(ParseJwk(off).status().reason(), "jwt.jwk_invalid");
  json::object wrong_curve = a3;
  wrong_curve["crv"] = "P-384";
  EXPECT_EQ(ParseJwk(wrong_curve).status().reason(), "jwt.jwk_invalid");
  json::object short_x = a3;
  short_x["x"] = Base64UrlEncode(Base64UrlDecode(a3["x"].as_string())->substr(1));
  EXPECT_EQ(ParseJwk(short_x).status().reason(), "jwt.jwk_invalid");
  json::object bad_alg = a3;
  bad_alg["alg"] = "ES384";
  EXPECT_EQ(ParseJwk(bad_alg).status().reason(), "jwt.jwk_invalid");
  json::object secp256k1 = a3;
  secp256k1["crv"] = "secp256k1";
  EXPECT_EQ(ParseJwk(secp256k1).status().reason(), "jwt.jwk_invalid");
}

TEST(JwkSetTest, SkipsUnusableKeysAndRefusesDuplicateKids) {  // KEY-04, ALG-07
  SigningKey a = *SigningKey::Generate(Algorithm::kRs256, "a");
  SigningKey b = *SigningKey::Generate(Algorithm::kEs384, "b");
  json::array keys = {a.PublicJwk(), b.PublicJwk(),
                      json::object{{"kty", "oct"}, {"kid", "h"}, {"k", "c2VjcmV0"}}};
  Result<JwkSet> set = ParseJwkSet(ToJson(json::object{{"keys", keys}}));
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->keys().size(), 2u);
  EXPECT_NE(set->Find(std::string("a")), nullptr);
  EXPECT_EQ(set->Find(std::string("h")), nullptr);
  EXPECT_EQ(set->Find(std::nullopt), nullptr);  // no kid and more than one key

  keys.push_back(a.PublicJwk());
  EXPECT_EQ(ParseJwkSet(ToJson(json::object{{"keys", keys}})).status().reason(),
            "jwt.jwks_invalid");
  EXPECT_EQ(ParseJwkSet("{").status().reason(), "jwt.jwks_invalid");
  EXPECT_EQ(ParseJwkSet(R"({"keys":{}})").status().reason(), "jwt.jwks_invalid");
  json::array many;
  for (int i = 0; i < 101; ++i) many.push_back(json::object{{"kty", "oct"}});
  EXPECT_EQ(ParseJwkSet(ToJson(json::object{{"keys", many}})).status().reason(),
            "jwt.jwks_invalid");
  JwkSet single = *ParseJwkSet(ToJson(json::object{{"keys", json::array{a.PublicJwk()}}}));
  EXPECT_NE(single.Find(std::nullopt), nullptr);
}

}  // namespace
}  // namespace wifgate::jwt
