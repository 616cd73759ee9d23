#include "client/keypair_jwt.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "common/base64.h"
#include "common/json.h"
#include "common/strings.h"
#include "fake_env.h"

namespace wifgate::client {
namespace {

std::string ReadTestFile(const std::string& name) {
  auto data = Env::Default().ReadFile(std::string(WIFGATE_SOURCE_DIR) +
                                      "/tests/unit/client/testdata/" + name);
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  return data.ok() ? *data : "";
}

// Computed with: openssl pkey -in test_rsa_key.pem -pubout -outform DER |
//                openssl dgst -sha256 -binary | base64
constexpr char kFingerprint[] = "SHA256:Q5q8kCsa5DwIgdAjSfD+VaExIfsaDLzK/5A/SvF2iXM=";

TEST(KeypairJwtTest, FingerprintMatchesOpenSslCli) {
  auto fp = PublicKeyFingerprint(ReadTestFile("test_rsa_key.pem"));
  ASSERT_TRUE(fp.ok()) << fp.status().ToString();
  EXPECT_EQ(*fp, kFingerprint);
}

TEST(KeypairJwtTest, ClaimsAndSignature) {
  std::string pem = ReadTestFile("test_rsa_key.pem");
  SystemTime now{std::chrono::seconds(1795945180)};
  auto jwt = MakeKeypairJwt("testacct", "TestUser", pem, now);
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();

  std::vector<std::string_view> parts = Split(*jwt, '.');
  ASSERT_EQ(parts.size(), 3u);
  auto header = ParseStrictJson(*Base64UrlDecode(parts[0]));
  auto claims = ParseStrictJson(*Base64UrlDecode(parts[1]));
  ASSERT_TRUE(header.ok() && claims.ok());
  EXPECT_EQ(GetString(header->as_object(), "alg"), "RS256");
  const auto& c = claims->as_object();
  EXPECT_EQ(GetString(c, "iss"), std::string("TESTACCT.TESTUSER.") + kFingerprint);
  EXPECT_EQ(GetString(c, "sub"), "TESTACCT.TESTUSER");
  EXPECT_EQ(GetInt(c, "iat"), 1795945180);
  EXPECT_EQ(GetInt(c, "exp"), 1795945240);

  // The signature verifies with the public key over "header.claims".
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  ASSERT_TRUE(key);
  std::string input = std::string(parts[0]) + "." + std::string(parts[1]);
  std::string sig = *Base64UrlDecode(parts[2]);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  ASSERT_EQ(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()), 1);
  EXPECT_EQ(
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()),
      1);
  sig[0] = static_cast<char>(sig[0] ^ 1);
  EXPECT_NE(
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()),
      1);
}

TEST(KeypairJwtTest, RefusesNonRsaAndGarbageWithoutEchoingTheKey) {
  auto ec = MakeKeypairJwt("a", "u", ReadTestFile("test_ec_key.pem"), SystemTime{});
  EXPECT_EQ(ec.status().reason(), "client.bad_private_key");
  std::string garbage = "-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----\n";
  auto bad = MakeKeypairJwt("a", "u", garbage, SystemTime{});
  EXPECT_EQ(bad.status().reason(), "client.bad_private_key");
  EXPECT_EQ(bad.status().ToString().find("SECRETSECRET"), std::string::npos);
}

}  // namespace
}  // namespace wifgate::client
