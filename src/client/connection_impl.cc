// Connection::Open and the Connection implementation: chooses the login fields for the
// authenticator (fetching an attestation only after the host passed the allow-list) and
// delegates the protocol to SnowflakeClient.
#include <memory>

#include "client/default_attestation.h"
#include "client/endpoint.h"
#include "client/host_allowlist.h"
#include "client/keypair_jwt.h"
#include "client/snowflake_client.h"
#include "common/logging.h"
#include "common/strings.h"
#include "net/beast_http_client.h"
#include "wifgate/connection.h"

namespace wifgate {
namespace {

Status MissingOption(std::string_view authenticator, std::string_view option) {
  return Status(Code::kInvalidArgument, "client.missing_option",
                std::string(authenticator) + " needs " + std::string(option));
}

class ConnectionImpl final : public Connection {
 public:
  ConnectionImpl(std::unique_ptr<net::HttpClient> owned_http, client::Endpoint endpoint,
                 net::HttpClient& http, Env& env)
      : owned_http_(std::move(owned_http)), client_(std::move(endpoint), http, env) {}
  ~ConnectionImpl() override { (void)Close(); }

  Result<ResultSet> Query(const std::string& sql, const std::vector<Value>& binds) override {
    return client_.Query(sql, binds);
  }
  Status Heartbeat() override { return client_.Heartbeat(); }
  Status Close() override { return client_.Logout(); }
  int64_t session_id() const override { return info_.session_id; }
  const std::string& user() const override { return info_.user; }

  client::SnowflakeClient& client() { return client_; }
  void set_info(client::LoginInfo info) { info_ = std::move(info); }

 private:
  std::unique_ptr<net::HttpClient> owned_http_;  // declared first: client_ uses it
  client::SnowflakeClient client_;
  client::LoginInfo info_;
};

// Fills the authenticator-specific login fields; for WORKLOAD_IDENTITY this is where the
// attestation is obtained, after the destination passed the allow-list.
Result<client::Operation> PrepareLogin(const ConnectionOptions& options,
                                       const client::Endpoint& endpoint, Env& env,
                                       net::HttpClient& http, client::LoginFields* fields) {
  switch (options.authenticator) {
    case Authenticator::kSnowflake:
      if (options.user.empty()) return MissingOption("SNOWFLAKE", "a user");
      if (options.password.empty()) return MissingOption("SNOWFLAKE", "a password");
      fields->authenticator = "SNOWFLAKE";
      fields->login_name = options.user;
      fields->password = options.password;
      return client::Operation::kLogin;
    case Authenticator::kSnowflakeJwt: {
      if (options.user.empty()) return MissingOption("SNOWFLAKE_JWT", "a user");
      if (options.private_key_pem.empty()) return MissingOption("SNOWFLAKE_JWT", "a private key");
      fields->authenticator = "SNOWFLAKE_JWT";
      fields->login_name = options.user;
      WIFGATE_ASSIGN_OR_RETURN(fields->token,
                               client::MakeKeypairJwt(endpoint.account_name, options.user,
                                                      options.private_key_pem, env.Now()));
      return client::Operation::kKeypairLogin;
    }
    case Authenticator::kWorkloadIdentity: {
      const WorkloadIdentityOptions& wif = options.workload_identity;
      std::string provider = AsciiUpper(wif.provider);
      if (provider != "AWS" && provider != "GCP" && provider != "AZURE" && provider != "OIDC") {
        return Status(Code::kInvalidArgument, "client.bad_provider",
                      "WORKLOAD_IDENTITY needs a provider: AWS, GCP, AZURE or OIDC (got \"" +
                          wif.provider + "\")");
      }
      WIFGATE_RETURN_IF_ERROR(client::CheckAttestationDestination(
          endpoint.url, client::AllowedHostEntries(options.allowed_hosts, env)));
      std::unique_ptr<AttestationSource> own_source;
      AttestationSource* source = options.attestation_source;
      if (source == nullptr) {
        own_source = client::MakeDefaultAttestationSource(env, http);
        source = own_source.get();
      }
      WorkloadIdentityOptions normalized = wif;
      normalized.provider = provider;
      WIFGATE_ASSIGN_OR_RETURN(Attestation attestation, source->Attest(normalized));
      fields->authenticator = "WORKLOAD_IDENTITY";
      fields->login_name = options.user;  // optional; the server derives the user
      fields->provider = attestation.provider.empty() ? provider : AsciiUpper(attestation.provider);
      fields->token = std::move(attestation.token);
      fields->impersonation_path_length = wif.impersonation_path.size();
      return client::Operation::kWorkloadIdentityLogin;
    }
  }
  return Status(Code::kInvalidArgument, "client.bad_authenticator", "unknown authenticator");
}

}  // namespace

Result<Authenticator> ParseAuthenticator(std::string_view name) {
  std::string n = AsciiUpper(name);
  if (n == "WORKLOAD_IDENTITY") return Authenticator::kWorkloadIdentity;
  if (n == "SNOWFLAKE") return Authenticator::kSnowflake;
  if (n == "SNOWFLAKE_JWT") return Authenticator::kSnowflakeJwt;
  return Status(Code::kInvalidArgument, "client.bad_authenticator",
                "unknown authenticator \"" + std::string(name) +
                    "\"; use workload_identity, snowflake or snowflake_jwt");
}

Result<std::unique_ptr<Connection>> Connection::Open(const ConnectionOptions& options) {
  Env& env = options.env != nullptr ? *options.env : Env::Default();
  WIFGATE_ASSIGN_OR_RETURN(client::Endpoint endpoint,
                           client::ResolveEndpoint(options.url, options.account));

  std::unique_ptr<net::HttpClient> owned_http;
  net::HttpClient* http = options.http;
  if (http == nullptr) {
    owned_http = std::make_unique<net::BeastHttpClient>(env);
    http = owned_http.get();
  }

  client::LoginFields fields;
  fields.account_name = endpoint.account_name;
  fields.role = options.role;
  fields.database = options.database;
  fields.schema = options.schema;
  fields.warehouse = options.warehouse;
  WIFGATE_ASSIGN_OR_RETURN(client::Operation op,
                           PrepareLogin(options, endpoint, env, *http, &fields));

  std::string host = endpoint.url.host;
  auto conn =
      std::make_unique<ConnectionImpl>(std::move(owned_http), std::move(endpoint), *http, env);
  WIFGATE_ASSIGN_OR_RETURN(client::LoginInfo info, conn->client().Login(fields, op));
  Log(LogLevel::kDebug, "client.login",
      {{"host", host}, {"authenticator", fields.authenticator}, {"user", info.user}});
  conn->set_info(std::move(info));
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace wifgate
