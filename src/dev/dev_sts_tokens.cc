#include "dev/dev_sts_tokens.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "common/crypto.h"
#include "common/json.h"
#include "common/time_format.h"
#include "jwt/jwk.h"
#include "jwt/jws.h"
#include "jwt/signature.h"

namespace wifgate::dev {
namespace {

constexpr std::chrono::seconds kLeeway{60};

Status Invalid(std::string what) {
  return Status(Code::kUnauthenticated, "InvalidIdentityToken", std::move(what));
}

void WritePrivateFile(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return;
  [[maybe_unused]] auto n = ::write(fd, text.data(), text.size());
  ::close(fd);
}

Result<jwt::SigningKey> LoadOrGenerate(const Env& env, const std::string& dir, jwt::Algorithm alg,
                                       std::string kid) {
  if (dir.empty()) return jwt::SigningKey::Generate(alg, std::move(kid));
  const std::string path = dir + "/" + kid + ".pem";
  if (auto pem = env.ReadFile(path); pem.ok()) return jwt::SigningKey::FromPem(alg, kid, *pem);
  WIFGATE_ASSIGN_OR_RETURN(jwt::SigningKey key, jwt::SigningKey::Generate(alg, kid));
  WritePrivateFile(path, key.ToPem());
  return key;
}

}  // namespace

Result<DevStsTokenIssuer> DevStsTokenIssuer::Create(const Env& env, const std::string& key_dir) {
  WIFGATE_ASSIGN_OR_RETURN(jwt::SigningKey es,
                           LoadOrGenerate(env, key_dir, jwt::Algorithm::kEs384, "dev-sts-es384"));
  WIFGATE_ASSIGN_OR_RETURN(jwt::SigningKey rs,
                           LoadOrGenerate(env, key_dir, jwt::Algorithm::kRs256, "dev-sts-rs256"));
  return DevStsTokenIssuer(std::move(es), std::move(rs));
}

std::string DevStsTokenIssuer::IssuerFor(std::string_view account) {
  return "https://dev-sts-" + std::string(account) + ".tokens.sts.global.api.aws";
}

std::string DevStsTokenIssuer::AccountPath(std::string_view account) {
  return "/accounts/" + std::string(account);
}

std::string DevStsTokenIssuer::JwksUrlFor(std::string_view base_url, std::string_view account) {
  return std::string(base_url) + AccountPath(account) + "/.well-known/jwks.json";
}

Result<std::pair<std::string, SystemTime>> DevStsTokenIssuer::Mint(
    Env& env, const WebIdentityTokenRequest& req) const {
  const SystemTime now = std::chrono::time_point_cast<std::chrono::seconds>(env.Now());
  const SystemTime exp = now + req.lifetime;
  uint8_t jti[16];
  env.RandomBytes(jti);
  boost::json::value aud;
  if (req.audiences.size() == 1) {
    aud = boost::json::string(req.audiences[0]);
  } else {
    boost::json::array arr;
    for (const auto& a : req.audiences) arr.emplace_back(a);
    aud = std::move(arr);
  }
  boost::json::object claims{
      {"iss", req.issuer},
      {"sub", req.subject},
      {"aud", aud},
      {"iat", ToUnixSeconds(now)},
      {"nbf", ToUnixSeconds(now)},
      {"exp", ToUnixSeconds(exp)},
      {"jti", HexEncode(std::string_view(reinterpret_cast<const char*>(jti), sizeof jti))},
      {"https://sts.amazonaws.com/", boost::json::object{{"aws_account", req.account},
                                                         {"source_region", req.region},
                                                         {"principal_id", req.principal_arn}}}};
  WIFGATE_ASSIGN_OR_RETURN(std::string token, jwt::MintJws(KeyFor(req.algorithm), claims));
  return std::make_pair(std::move(token), exp);
}

std::string DevStsTokenIssuer::DiscoveryDocument(std::string_view issuer,
                                                 std::string_view jwks_uri) const {
  boost::json::object doc{
      {"issuer", issuer},
      {"jwks_uri", jwks_uri},
      {"response_types_supported", boost::json::array{"id_token"}},
      {"subject_types_supported", boost::json::array{"public"}},
      {"id_token_signing_alg_values_supported", boost::json::array{"ES384", "RS256"}}};
  return ToJson(doc);
}

std::string DevStsTokenIssuer::Jwks() const {
  return ToJson(
      boost::json::object{{"keys", boost::json::array{es384_.PublicJwk(), rs256_.PublicJwk()}}});
}

Result<boost::json::object> DevStsTokenIssuer::VerifyOwnToken(std::string_view token,
                                                              std::string_view issuer,
                                                              std::string_view audience,
                                                              SystemTime now) const {
  auto jws = jwt::ParseJws(token);
  if (!jws.ok()) return Invalid("The web identity token is not a well-formed JWT");
  const jwt::SigningKey* key = nullptr;
  for (const jwt::SigningKey* k : {&es384_, &rs256_}) {
    if (jws->kid == k->kid() && jws->alg == k->alg()) key = k;
  }
  if (key == nullptr) return Invalid("The web identity token was not signed by a trusted key");
  WIFGATE_ASSIGN_OR_RETURN(jwt::Jwk jwk, jwt::ParseJwk(key->PublicJwk()));
  if (!jwt::VerifySignature(jws->alg, jwk, jws->signing_input, jws->signature).ok()) {
    return Invalid("The web identity token's signature is invalid");
  }
  const auto& c = jws->claims;
  if (GetString(c, "iss") != std::string(issuer)) return Invalid("Untrusted issuer");
  auto exp = GetInt(c, "exp");
  auto nbf = GetInt(c, "nbf");
  const int64_t t = ToUnixSeconds(now);
  if (!exp || *exp + kLeeway.count() < t) {
    return Status(Code::kUnauthenticated, "ExpiredTokenException", "Token is expired");
  }
  if (nbf && *nbf - kLeeway.count() > t) return Invalid("Token is not yet valid");
  bool aud_ok = GetString(c, "aud") == std::string(audience);
  if (const auto* arr = GetArray(c, "aud")) {
    for (const auto& a : *arr) aud_ok = aud_ok || (a.is_string() && a.get_string() == audience);
  }
  if (!aud_ok) return Invalid("Incorrect token audience");
  return c;
}

}  // namespace wifgate::dev
