// Connection: a database session opened with a workload's cloud identity (or a password,
// or a key pair) against Snowflake or wifgate, and the queries run on it.
//
//   wifgate::ConnectionOptions options;
//   options.account = "myorg-myaccount";            //
//   https://myorg-myaccount.snowflakecomputing.com options.authenticator =
//   wifgate::Authenticator::kWorkloadIdentity; options.workload_identity.provider = "AWS";     //
//   the Lambda role's credentials auto conn = wifgate::Connection::Open(options); if (!conn.ok()) {
//   /* conn.status(): the server's code and message, and a hint */ } auto rows =
//   (*conn)->Query("SELECT current_user()");
//
// Logging in with WORKLOAD_IDENTITY sends an attestation: a credential that whoever receives
// it can replay for a few minutes. So the connection sends it only to an allowed host
// (*.snowflakecomputing.com, *.snowflakecomputing.cn, privatelink hosts, or a host listed in
// `allowed_hosts` or in the SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES environment variable), and
// checks this before it reads any cloud credential.
//
// Sessions renew themselves when the server says they expired (code 390112). A Connection
// is not thread-safe; use one per thread.
#ifndef WIFGATE_CONNECTION_H_
#define WIFGATE_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "wifgate/env.h"
#include "wifgate/result_set.h"
#include "wifgate/status.h"
#include "wifgate/value.h"
#include "wifgate/workload_identity.h"

namespace wifgate {

namespace net {
class HttpClient;
}

enum class Authenticator {
  kWorkloadIdentity,  // WORKLOAD_IDENTITY: the workload's cloud identity, no secret
  kSnowflake,         // SNOWFLAKE: user + password
  kSnowflakeJwt,      // SNOWFLAKE_JWT: user + RSA private key (key-pair authentication)
};

// Parses "workload_identity", "snowflake", "snowflake_jwt" (any case).
Result<Authenticator> ParseAuthenticator(std::string_view name);

struct ConnectionOptions {
  // Where to connect: either an explicit base URL ("https://host", "http://127.0.0.1:8080")
  // or, when empty, https://<account>.snowflakecomputing.com. `account` may carry a region
  // ("xy12345.us-east-2.aws") or a privatelink suffix ("xy12345.privatelink").
  std::string url;
  std::string account;  // required; sent as ACCOUNT_NAME (the part before the first dot)

  Authenticator authenticator = Authenticator::kWorkloadIdentity;
  WorkloadIdentityOptions workload_identity;  // for kWorkloadIdentity

  std::string user;             // required for kSnowflake and kSnowflakeJwt
  std::string password;         // kSnowflake
  std::string private_key_pem;  // kSnowflakeJwt: an unencrypted PKCS#8 or PKCS#1 RSA key

  // Session context, each sent only when set.
  std::string role;
  std::string database;
  std::string schema;
  std::string warehouse;

  // Extra hosts an attestation may be sent to: exact host names, or ".suffix" for a
  // domain and its subdomains. Added to the built-in list, never replacing it.
  std::vector<std::string> allowed_hosts;

  // How the connection touches the world. Null means the process defaults (the real
  // environment, and an HTTPS client verifying certificates against the system roots).
  // When set, they must outlive the Connection.
  Env* env = nullptr;
  net::HttpClient* http = nullptr;
  // Replaces the built-in attestation providers (tests; custom token sources).
  AttestationSource* attestation_source = nullptr;
};

class Connection {
 public:
  // Logs in. Failures carry the server's error code in reason() ("snowflake.390100"),
  // its message and a hint in message(), and never a secret.
  static Result<std::unique_ptr<Connection>> Open(const ConnectionOptions& options);

  virtual ~Connection() = default;

  // Runs one statement; `binds` fill its '?' placeholders in order.
  virtual Result<ResultSet> Query(const std::string& sql, const std::vector<Value>& binds = {}) = 0;

  // Tells the server the session is still in use (renewing it first if it expired).
  virtual Status Heartbeat() = 0;

  // Ends the session on the server. Idempotent; the destructor calls it too, ignoring
  // failures.
  virtual Status Close() = 0;

  // The server's session id, and the name of the user the session belongs to.
  virtual int64_t session_id() const = 0;
  virtual const std::string& user() const = 0;
};

}  // namespace wifgate

#endif  // WIFGATE_CONNECTION_H_
