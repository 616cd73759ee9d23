// ServerConfig: everything `wifgate serve` can be told, and where it comes from.
//
// Precedence, lowest first: built-in defaults, the TOML file (--config), WIFGATE_*
// environment variables, command-line flags. Every value is validated once, here, so that
// a bad setting stops the server at start-up with a message naming the setting and the
// source it came from, rather than failing a login later.
#ifndef WIFGATE_SERVER_CONFIG_H_
#define WIFGATE_SERVER_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "registry/sqlite_store.h"
#include "server/session_store.h"
#include "verify/aws_sts_hosts.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::server {

struct ServerConfig {
  std::string account = "WIFGATE";  // the one account served (ACCOUNT_NAME, case-insensitive)
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;
  std::string data_dir = "wifgate-data";
  bool dev = false;  // also run the dev STS and dev IdP; allows loopback endpoint overrides

  std::string tls_cert_file;  // both set: serve HTTPS
  std::string tls_key_file;
  bool tls_self_signed = false;  // --dev only: generate a pair under data_dir

  SessionLimits sessions;
  size_t max_body_bytes = 4 << 20;
  size_t max_connections_per_address = 256;  // behind a reverse proxy: raise
  size_t worker_threads = 2;
  // Login attempts allowed per client address: a token bucket of `login_burst` refilled at
  // `login_rate_per_minute`.
  double login_rate_per_minute = 120;
  double login_burst = 30;

  // AWS SigV4 envelope verification.
  std::string aws_audience = "snowflakecomputing.com";
  // Refuse an attestation's second successful use (verify/aws_replay_guard.h).
  bool aws_one_time_use = false;
  // Allow-listed STS endpoints beyond AWS's own (VPC endpoints, other partitions).
  std::vector<verify::StsEndpoint> extra_sts_endpoints;
  // STS host -> URL actually dialled (e.g. http://127.0.0.1:4566). Refused unless dev.
  std::map<std::string, std::string> sts_endpoint_overrides;

  // JWT verification.
  std::chrono::seconds jwt_leeway{60};
  std::chrono::seconds jwt_max_lifetime{24 * 3600};
  // Accept tokens whose `aud` also names relying parties other than the accepted ones.
  bool jwt_allow_extra_audiences = false;
  // Issuer -> JWKS file, for private issuers that publish no discovery document.
  std::map<std::string, std::string> static_jwks_files;

  // When a LOGIN_HISTORY row reaches the disk ([registry] login_history_sync).
  registry::LoginHistorySync login_history_sync = registry::LoginHistorySync::kNormal;

  std::chrono::seconds statement_timeout{600};
  std::string log_level = "info";
  std::string log_format = "json";
};

// Command-line values; unset ones leave the lower layers' values alone.
struct ServerFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> listen;  // HOST:PORT
  std::optional<std::string> data_dir;
  std::optional<std::string> account;
  bool dev = false;
};

// Builds the configuration from defaults, the file, the environment and the flags.
Result<ServerConfig> LoadServerConfig(const ServerFlags& flags, const Env& env);

// Parses "HOST:PORT" ("[::1]:80" for IPv6); port 0 asks for an ephemeral port.
Status ParseListenAddress(std::string_view text, std::string* host, uint16_t* port);

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_CONFIG_H_
