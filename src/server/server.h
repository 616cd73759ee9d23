// Server: `wifgate serve` assembled — the registry on its SQLite store, the verifiers with
// their outbound HTTP client, the session store, the SQL executor and the Snowflake API on
// one HTTP listener, plus /healthz and /metrics.
//
// The server knows nothing of the dev fixtures. `wifgate serve --dev` (cli/) starts the dev
// STS and dev IdP beside it and passes their loopback endpoints in DevEndpoints, which the
// server accepts only when its configuration says dev.
#ifndef WIFGATE_SERVER_SERVER_H_
#define WIFGATE_SERVER_SERVER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/config.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::net {
class HttpServer;
}

namespace wifgate::server {

// Loopback stand-ins for cloud issuers, dev mode only.
struct DevEndpoints {
  std::string gcp_issuer;                 // replaces https://accounts.google.com
  std::string azure_v1_prefix;            // replaces https://sts.windows.net/
  std::string azure_v2_prefix;            // replaces https://login.microsoftonline.com/
  std::vector<std::string> oidc_issuers;  // OIDC issuers allowed over http and loopback
  // AWS outbound-token issuer -> its JWKS URL on loopback.
  std::map<std::string, std::string> aws_jwt_jwks;
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(ServerConfig config, Env& env,
                                                DevEndpoints dev = {});
  ~Server();

  // The HTTP listener, for `serve --dev` to add the dev fixtures' routes before Start().
  net::HttpServer& http();
  // Binds (so that the port is known), then serves on background threads.
  Status Start();
  // Stops accepting, lets requests in flight finish, closes everything. Idempotent.
  void Stop();

  uint16_t port() const;
  std::string base_url() const;
  const ServerConfig& config() const;

  struct Parts;

 private:
  explicit Server(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_SERVER_H_
