#include "dev/dev_idp.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <filesystem>

#include "common/crypto.h"
#include "common/json.h"
#include "common/time_format.h"
#include "jwt/jwk.h"
#include "jwt/jws.h"
#include "jwt/signature.h"

namespace wifgate::dev {
namespace {

namespace json = boost::json;

constexpr std::string_view kStateFile = "/dev-idp/state.json";

Status Failed(std::string reason, std::string message) {
  return Status(Code::kFailedPrecondition, std::move(reason), std::move(message));
}

std::string NewKid(Env& env, std::string_view prefix) {
  std::array<uint8_t, 4> bytes{};
  env.RandomBytes(bytes);
  return std::string(prefix) +
         HexEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace

std::optional<IdpKind> ParseIdpKind(std::string_view name) {
  if (name == "oidc") return IdpKind::kOidc;
  if (name == "gcp") return IdpKind::kGcp;
  if (name == "azure") return IdpKind::kAzure;
  if (name == "azure-v1") return IdpKind::kAzureV1;
  return std::nullopt;
}

Status WriteFileAtomic(const std::string& path, std::string_view content) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0 &&
            ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = fd >= 0 && ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return Failed("dev_idp.write_failed", "cannot write " + path + "; check the directory");
  }
  return Status::Ok();
}

Result<std::unique_ptr<DevIdp>> DevIdp::Open(Env& env, DevIdpOptions options) {
  std::unique_ptr<DevIdp> idp(new DevIdp(env, std::move(options)));
  if (!idp->options_.data_dir.empty() && env.ReadFile(idp->Dir() + "/state.json").ok()) {
    std::string base_url = idp->options_.base_url;
    WIFGATE_RETURN_IF_ERROR(idp->Load());
    if (!base_url.empty()) WIFGATE_RETURN_IF_ERROR(idp->SetBaseUrl(base_url));
    return idp;
  }
  WIFGATE_RETURN_IF_ERROR(idp->Generate());
  WIFGATE_RETURN_IF_ERROR(idp->Save());
  return idp;
}

Result<std::unique_ptr<DevIdp>> DevIdp::OpenExisting(Env& env, const std::string& data_dir) {
  DevIdpOptions options;
  options.data_dir = data_dir;
  std::unique_ptr<DevIdp> idp(new DevIdp(env, std::move(options)));
  Status loaded = idp->Load();
  if (!loaded.ok()) {
    return Failed("dev_idp.not_running",
                  "no dev IdP state under " + data_dir +
                      "/dev-idp; start `wifgate dev-idp --data DIR` (or `wifgate serve --dev "
                      "--data DIR`) first (" +
                      loaded.message() + ")");
  }
  return idp;
}

std::string DevIdp::Dir() const { return options_.data_dir + "/dev-idp"; }

Status DevIdp::Generate() {
  std::lock_guard lock(mu_);
  keys_.clear();
  for (auto [alg, prefix] : {std::pair{jwt::Algorithm::kRs256, "dev-rs256-"},
                             std::pair{jwt::Algorithm::kEs256, "dev-es256-"},
                             std::pair{jwt::Algorithm::kEs384, "dev-es384-"}}) {
    WIFGATE_ASSIGN_OR_RETURN(jwt::SigningKey key,
                             jwt::SigningKey::Generate(alg, NewKid(env_, prefix)));
    keys_.push_back(std::move(key));
  }
  return Status::Ok();
}

Status DevIdp::Save() const {
  if (options_.data_dir.empty()) return Status::Ok();
  json::array keys;
  {
    std::lock_guard lock(mu_);
    for (const jwt::SigningKey& k : keys_) {
      keys.push_back(
          json::object{{"kid", k.kid()}, {"alg", jwt::AlgorithmName(k.alg())}, {"pem", k.ToPem()}});
    }
  }
  json::object state{{"base_url", options_.base_url},
                     {"tenant", options_.tenant},
                     {"gcp_subject", options_.gcp_subject},
                     {"azure_object_id", options_.azure_object_id},
                     {"keys", keys}};
  return WriteFileAtomic(Dir() + "/state.json", ToJson(state));
}

Status DevIdp::Load() {
  WIFGATE_ASSIGN_OR_RETURN(std::string text, env_.ReadFile(Dir() + "/state.json", 1 << 20));
  std::lock_guard lock(mu_);
  if (text == loaded_state_) return Status::Ok();
  Result<json::value> doc = ParseStrictJson(text);
  if (!doc.ok() || !doc->is_object()) {
    return Failed("dev_idp.state_invalid", Dir() + "/state.json is not valid JSON");
  }
  const json::object& state = doc->as_object();
  options_.base_url = GetString(state, "base_url").value_or("");
  options_.tenant = GetString(state, "tenant").value_or(options_.tenant);
  options_.gcp_subject = GetString(state, "gcp_subject").value_or(options_.gcp_subject);
  options_.azure_object_id = GetString(state, "azure_object_id").value_or(options_.azure_object_id);
  std::vector<jwt::SigningKey> keys;
  if (const json::array* arr = GetArray(state, "keys")) {
    for (const json::value& v : *arr) {
      if (!v.is_object()) continue;
      std::optional<jwt::Algorithm> alg =
          jwt::ParseAlgorithm(GetString(v.as_object(), "alg").value_or(""));
      std::optional<std::string> kid = GetString(v.as_object(), "kid");
      std::optional<std::string> pem = GetString(v.as_object(), "pem");
      if (!alg || !kid || !pem) continue;
      WIFGATE_ASSIGN_OR_RETURN(jwt::SigningKey key, jwt::SigningKey::FromPem(*alg, *kid, *pem));
      keys.push_back(std::move(key));
    }
  }
  if (keys.size() < 3) return Failed("dev_idp.state_invalid", Dir() + "/state.json lacks keys");
  keys_ = std::move(keys);
  loaded_state_ = std::move(text);
  return Status::Ok();
}

Status DevIdp::Reload() {
  if (options_.data_dir.empty()) return Status::Ok();
  return Load();
}

Status DevIdp::SetBaseUrl(std::string base_url) {
  options_.base_url = std::move(base_url);
  return Save();
}

Status DevIdp::Rotate() {
  WIFGATE_RETURN_IF_ERROR(Reload());
  {
    std::lock_guard lock(mu_);
    WIFGATE_ASSIGN_OR_RETURN(
        jwt::SigningKey fresh,
        jwt::SigningKey::Generate(jwt::Algorithm::kRs256, NewKid(env_, "dev-rs256-")));
    if (keys_.size() > 3) keys_.pop_back();  // drop the key retired last time
    jwt::SigningKey retired = std::move(keys_[0]);
    keys_[0] = std::move(fresh);
    keys_.push_back(std::move(retired));
  }
  return Save();
}

std::string DevIdp::IssuerUrl(IdpKind kind) const {
  switch (kind) {
    case IdpKind::kOidc:
      return options_.base_url + "/oidc";
    case IdpKind::kGcp:
      return options_.base_url + "/gcp";
    case IdpKind::kAzure:
      return options_.base_url + "/azure/" + options_.tenant + "/v2.0";
    case IdpKind::kAzureV1:
      return options_.base_url + "/azure-v1/" + options_.tenant + "/";
  }
  return "";
}

std::string DevIdp::DefaultAudience(IdpKind kind) {
  switch (kind) {
    case IdpKind::kAzure:
    case IdpKind::kAzureV1:
      return "api://fd3f753b-eed3-462c-b6a7-a4b5bb650aad";
    default:
      return "snowflakecomputing.com";
  }
}

Result<std::string> DevIdp::Mint(const MintRequest& request) {
  WIFGATE_RETURN_IF_ERROR(Reload());
  if (request.subject.empty()) {
    return Status(Code::kInvalidArgument, "dev_idp.subject_missing", "a token needs a subject");
  }
  if (request.issued_ago_seconds < 0) {
    return Status(Code::kInvalidArgument, "dev_idp.issued_ago_negative",
                  "a token can be backdated but not issued in the future");
  }
  const int64_t issued = ToUnixSeconds(env_.Now()) - request.issued_ago_seconds;
  json::object claims{{"iss", IssuerUrl(request.kind)},
                      {"sub", request.subject},
                      {"iat", issued},
                      {"nbf", issued},
                      {"exp", issued + request.ttl_seconds}};
  if (request.audiences.size() == 1) {
    claims["aud"] = request.audiences[0];
  } else if (request.audiences.empty()) {
    claims["aud"] = DefaultAudience(request.kind);
  } else {
    json::array aud;
    for (const std::string& a : request.audiences) aud.emplace_back(a);
    claims["aud"] = std::move(aud);
  }
  if (request.kind == IdpKind::kAzure || request.kind == IdpKind::kAzureV1) {
    claims["tid"] = options_.tenant;
    claims["oid"] = request.subject;
    claims["ver"] = request.kind == IdpKind::kAzure ? "2.0" : "1.0";
  }
  if (request.kind == IdpKind::kGcp) claims["azp"] = request.subject;
  for (const auto& member : request.extra_claims) claims[member.key()] = member.value();

  jwt::Algorithm alg = request.alg.value_or(jwt::Algorithm::kRs256);
  std::lock_guard lock(mu_);
  for (const jwt::SigningKey& key : keys_) {
    if (key.alg() == alg) return jwt::MintJws(key, claims);  // the first of an alg is active
  }
  return Status(Code::kInvalidArgument, "dev_idp.alg_unsupported",
                "the dev IdP signs with RS256, ES256 or ES384 only");
}

std::string DevIdp::DiscoveryJson(IdpKind kind) const {
  std::string issuer = IssuerUrl(kind);
  std::string base = issuer.ends_with('/') ? issuer.substr(0, issuer.size() - 1) : issuer;
  json::object doc{
      {"issuer", issuer},
      {"jwks_uri", base + "/jwks"},
      {"response_types_supported", json::array{"id_token"}},
      {"subject_types_supported", json::array{"public"}},
      {"id_token_signing_alg_values_supported", json::array{"RS256", "ES256", "ES384"}}};
  return ToJson(doc);
}

Result<json::object> DevIdp::VerifyOwnToken(std::string_view token) {
  WIFGATE_RETURN_IF_ERROR(Reload());
  WIFGATE_ASSIGN_OR_RETURN(jwt::Jws jws, jwt::ParseJws(token));
  std::optional<json::object> public_jwk;
  {
    std::lock_guard lock(mu_);
    for (const jwt::SigningKey& k : keys_) {
      if (jws.kid == k.kid()) public_jwk = k.PublicJwk();
    }
  }
  if (!public_jwk) {
    return Status(Code::kUnauthenticated, "jwt.kid_unknown", "not signed by this dev IdP");
  }
  WIFGATE_ASSIGN_OR_RETURN(jwt::Jwk key, jwt::ParseJwk(*public_jwk));
  WIFGATE_RETURN_IF_ERROR(jwt::VerifySignature(jws.alg, key, jws.signing_input, jws.signature));
  std::optional<int64_t> exp = GetInt(jws.claims, "exp");
  if (!exp || *exp < ToUnixSeconds(env_.Now())) {
    return Status(Code::kUnauthenticated, "jwt.expired", "the assertion has expired");
  }
  return std::move(jws.claims);
}

std::string DevIdp::JwksJson() {
  (void)Reload();  // a failed reload keeps serving the keys already loaded
  json::array keys;
  std::lock_guard lock(mu_);
  for (const jwt::SigningKey& k : keys_) keys.push_back(k.PublicJwk());
  return ToJson(json::object{{"keys", keys}});
}

}  // namespace wifgate::dev
