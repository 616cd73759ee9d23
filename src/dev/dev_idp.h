// DevIdp: a local OIDC issuer for development and tests — the key material, the issuers it
// plays and the tokens it mints. HTTP serving lives in dev_idp_server.h.
//
// One process plays several issuers at once under one base URL (http://127.0.0.1:PORT):
//   oidc      BASE/oidc                        a generic OIDC issuer (GitHub-Actions-like)
//   gcp       BASE/gcp                         stands in for https://accounts.google.com
//   azure     BASE/azure/<tenant>/v2.0         Entra v2 issuer of one tenant
//   azure-v1  BASE/azure-v1/<tenant>/          Entra v1 issuer of the same tenant
// All share one key set: an active RS256 key (GCP and Entra only use RS256), an ES256 and
// an ES384 key. Rotate() retires the active RS256 key to "published but unused" and makes
// a new one active; the key retired before that is dropped.
//
// With a data directory, keys and the base URL are persisted under DIR/dev-idp/ so that
// `wifgate dev-idp mint --data DIR` mints for a running server, and the server picks up a
// rotation made from another process. Never used in production: `cli` wires it in only
// for `wifgate dev-idp` and `wifgate serve --dev`.
#ifndef WIFGATE_DEV_DEV_IDP_H_
#define WIFGATE_DEV_DEV_IDP_H_

#include <boost/json/object.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jwt/signing_key.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::dev {

enum class IdpKind { kOidc, kGcp, kAzure, kAzureV1 };
std::optional<IdpKind> ParseIdpKind(std::string_view name);  // "oidc", "gcp", "azure", "azure-v1"

struct DevIdpOptions {
  std::string data_dir;  // empty: keys in memory only
  std::string base_url;  // "http://127.0.0.1:PORT"; persisted with the keys
  std::string tenant = "11111111-2222-4333-8444-555555555555";
  // Who the workload endpoints say the workload is.
  std::string gcp_subject = "104000000000000000001";
  std::string azure_object_id = "611ab25b-2e81-4e18-92a7-b21f2bebb269";
};

struct MintRequest {
  IdpKind kind = IdpKind::kOidc;
  std::string subject;
  std::vector<std::string> audiences;  // empty: the kind's default audience
  int64_t ttl_seconds = 3600;
  // Backdates the token: iat and nbf are this many seconds ago, exp ttl_seconds after that.
  // Lets a test get an already expired token without waiting out the verifier's leeway.
  int64_t issued_ago_seconds = 0;
  std::optional<jwt::Algorithm> alg;  // default RS256
  boost::json::object extra_claims;   // added last; may override standard claims
};

class DevIdp {
 public:
  // Loads the keys from DIR/dev-idp/ or creates and saves new ones (or in memory).
  static Result<std::unique_ptr<DevIdp>> Open(Env& env, DevIdpOptions options);
  // Opens an existing DIR/dev-idp/ and its persisted base URL, for `mint --data`.
  static Result<std::unique_ptr<DevIdp>> OpenExisting(Env& env, const std::string& data_dir);

  // Records the base URL (once the server knows its port) and persists it.
  Status SetBaseUrl(std::string base_url);
  const std::string& base_url() const { return options_.base_url; }
  const DevIdpOptions& options() const { return options_; }

  std::string IssuerUrl(IdpKind kind) const;
  // The default audience a workload of that kind asks for.
  static std::string DefaultAudience(IdpKind kind);

  Result<std::string> Mint(const MintRequest& request);
  // The discovery document and key set of the issuer at `issuer_path` (e.g. "/gcp").
  std::string DiscoveryJson(IdpKind kind) const;
  std::string JwksJson();

  // Verifies a token this IdP minted (signature with its own keys, expiry) and returns its
  // claims; for the dev Entra token exchange, which accepts federated assertions.
  Result<boost::json::object> VerifyOwnToken(std::string_view token);

  Status Rotate();
  // Re-reads the key files if another process rotated them.
  Status Reload();

 private:
  DevIdp(Env& env, DevIdpOptions options) : env_(env), options_(std::move(options)) {}
  Status Generate();
  Status Save() const;
  Status Load();
  std::string Dir() const;

  Env& env_;
  DevIdpOptions options_;
  mutable std::mutex mu_;
  std::vector<jwt::SigningKey> keys_;  // [0] active RS256, then ES256, ES384, retired RS256
  std::string loaded_state_;           // the keys file as last read or written
};

// Writes `content` to `path` atomically (temporary file + rename), mode 0600, creating the
// parent directory. Dev fixtures only; production code writes through the registry store.
Status WriteFileAtomic(const std::string& path, std::string_view content);

}  // namespace wifgate::dev

#endif  // WIFGATE_DEV_DEV_IDP_H_
