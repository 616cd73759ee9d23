#include "jwt/jws.h"

#include <gtest/gtest.h>

#include <string>

#include "common/base64.h"

namespace wifgate::jwt {
namespace {

std::string Seg(std::string_view json) { return Base64UrlEncode(json); }

std::string Token(std::string_view header, std::string_view payload = R"({"sub":"x"})",
                  std::string_view sig = "sig") {
  return Seg(header) + "." + Seg(payload) + "." + Seg(sig);
}

std::string ReasonOf(std::string_view token) { return ParseJws(token).status().reason(); }

TEST(JwsTest, ParsesRfc7515A3) {
  const std::string token =
      "eyJhbGciOiJFUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnV"
      "lfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
  Result<Jws> jws = ParseJws(token);
  ASSERT_TRUE(jws.ok()) << jws.status().ToString();
  EXPECT_EQ(jws->alg, Algorithm::kEs256);
  EXPECT_FALSE(jws->kid.has_value());
  EXPECT_EQ(jws->signature.size(), 64u);
  EXPECT_EQ(jws->claims.at("iss").as_string(), "joe");
  EXPECT_EQ(jws->signing_input, token.substr(0, token.rfind('.')));
}

TEST(JwsTest, ReadsKid) {
  Result<Jws> jws = ParseJws(Token(R"({"alg":"RS256","kid":"k1"})"));
  ASSERT_TRUE(jws.ok());
  EXPECT_EQ(jws->kid, "k1");
}

TEST(JwsTest, RejectsWrongSegmentCounts) {  // FMT-01
  const std::string h = Seg(R"({"alg":"RS256"})");
  const std::string p = Seg(R"({"sub":"x"})");
  for (const std::string& t : {h, h + "." + p, h + "." + p + ".c.d", h + "." + p + ".c.d.e",
                               h + ".." + "c", h + "." + p + ".", "." + p + ".c", std::string()}) {
    EXPECT_EQ(ReasonOf(t), "jwt.malformed") << t;
  }
}

TEST(JwsTest, RejectsLenientBase64) {  // FMT-02
  const std::string good = Token(R"({"alg":"RS256"})");
  const std::string h = good.substr(0, good.find('.'));
  const std::string rest = good.substr(good.find('.'));
  EXPECT_TRUE(ParseJws(good).ok());
  EXPECT_EQ(ReasonOf(h + "=" + rest), "jwt.malformed");
  EXPECT_EQ(ReasonOf(" " + good), "jwt.malformed");
  EXPECT_EQ(ReasonOf(h + "\n" + rest), "jwt.malformed");
  EXPECT_EQ(ReasonOf(good + "="), "jwt.malformed");
  // '+' and '/' belong to standard base64, not base64url.
  EXPECT_EQ(ReasonOf(good.substr(0, good.rfind('.') + 1) + "ab+/"), "jwt.malformed");
  // "c2lnZ" has non-zero unused bits ("c2lnZA" is canonical).
  EXPECT_EQ(ReasonOf(good.substr(0, good.rfind('.') + 1) + "c2lnZB"), "jwt.malformed");
}

TEST(JwsTest, RejectsOversizedInput) {  // FMT-04
  std::string big_payload = R"({"sub":")" + std::string(20000, 'a') + R"("})";
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256"})", big_payload)), "jwt.too_large");
  std::string big_header = R"({"alg":"RS256","x":")" + std::string(3000, 'a') + R"("})";
  EXPECT_EQ(ReasonOf(Token(big_header)), "jwt.too_large");
  std::string deep = std::string(50, '[') + std::string(50, ']');
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256"})", R"({"a":)" + deep + "}")), "jwt.malformed");
}

TEST(JwsTest, RejectsBadJson) {
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","alg":"RS256"})")), "jwt.malformed");
  EXPECT_EQ(ReasonOf(Token(R"(["RS256"])")), "jwt.malformed");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256"})", R"("just a string")")), "jwt.malformed");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256"})", R"({"sub":"x"} trailing)")), "jwt.malformed");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","kid":7})")), "jwt.malformed");
  EXPECT_EQ(ReasonOf(Token(R"({"kid":"k"})")), "jwt.malformed");
  EXPECT_EQ(ReasonOf(Token("{\"alg\":\"RS256\",\"x\":\"\xff\"}")), "jwt.malformed");
}

TEST(JwsTest, RejectsEveryOtherAlgorithm) {  // ALG-01, ALG-02, AJWT-02
  for (std::string alg : {"none", "None", "NONE", " none", "none\\u0000", "", "HS256", "HS384",
                          "HS512", "PS256", "PS512", "EdDSA", "rs256", "RS256 ", "ES256K"}) {
    EXPECT_EQ(ReasonOf(Token(R"({"alg":")" + alg + R"("})")), "jwt.alg_not_allowed") << alg;
  }
  EXPECT_EQ(ReasonOf(Token(R"({"alg":null})")), "jwt.malformed");
}

TEST(JwsTest, EnforcesCrit) {  // FMT-06
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","crit":["exp"]})")), "jwt.crit_unsupported");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","crit":["b64"],"b64":false})")),
            "jwt.crit_unsupported");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","crit":["x-unknown"]})")), "jwt.crit_unsupported");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","crit":[]})")), "jwt.malformed");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","crit":"x"})")), "jwt.malformed");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","b64":false})")), "jwt.crit_unsupported");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","zip":"DEF"})")), "jwt.crit_unsupported");
  EXPECT_EQ(ReasonOf(Token(R"({"alg":"RS256","cty":"JWT"})")), "jwt.crit_unsupported");
  EXPECT_TRUE(ParseJws(Token(R"({"alg":"RS256","typ":"JWT","cty":"json"})")).ok());
}

TEST(JwsTest, KeyHeadersAreParsedButCarryNoWeight) {  // ALG-03: nothing reads them
  Result<Jws> jws = ParseJws(
      Token(R"({"alg":"RS256","jku":"http://127.0.0.1:1/jwks","jwk":{"kty":"oct"},"x5u":"x"})"));
  ASSERT_TRUE(jws.ok());
  EXPECT_FALSE(jws->kid.has_value());
}

}  // namespace
}  // namespace wifgate::jwt
