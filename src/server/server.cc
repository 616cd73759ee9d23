#include "server/server.h"

#include <filesystem>

#include "common/logging.h"
#include "common/metrics.h"
#include "jwt/jwks_cache.h"
#include "jwt/jwks_fetcher.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"
#include "registry/snapshot.h"
#include "registry/sqlite_store.h"
#include "server/issuer_directory.h"
#include "server/login.h"
#include "server/metered_http_client.h"
#include "server/query_service.h"
#include "server/rate_limiter.h"
#include "server/session_store.h"
#include "server/snowflake_api.h"
#include "sql/engine.h"
#include "sql/executor.h"
#include "verify/aws_jwt_verifier.h"
#include "verify/aws_sts_verifier.h"
#include "verify/azure_verifier.h"
#include "verify/gcp_verifier.h"
#include "verify/oidc_verifier.h"

namespace wifgate::server {

inline constexpr const char* kServerVersion = "wifgate 0.1.0";

// Everything the server owns, in construction order (destroyed in reverse).
struct Server::Parts {
  ServerConfig config;
  Env* env = nullptr;
  std::unique_ptr<registry::Registry> registry;
  std::unique_ptr<sql::Engine> engine;
  std::unique_ptr<sql::Executor> executor;
  std::unique_ptr<SessionStore> sessions;
  std::unique_ptr<RateLimiter> rate_limiter;
  std::unique_ptr<net::HttpServer> http;
  std::unique_ptr<net::BeastHttpClient> beast;
  std::unique_ptr<MeteredHttpClient> outbound;
  std::unique_ptr<jwt::HttpJwksFetcher> jwks_fetcher;
  std::unique_ptr<jwt::JwksCache> jwks_cache;
  std::unique_ptr<IssuerDirectory> issuers;
  std::unique_ptr<verify::AwsStsVerifier> aws_sts;
  std::unique_ptr<verify::AwsJwtVerifier> aws_jwt;
  std::unique_ptr<verify::GcpVerifier> gcp;
  std::unique_ptr<verify::AzureVerifier> azure;
  std::unique_ptr<verify::OidcVerifier> oidc;
  std::unique_ptr<LoginService> login;
  std::unique_ptr<QueryService> queries;
  std::unique_ptr<SnowflakeApi> api;
  bool started = false;
};

namespace {

Status CheckDevEndpoints(const ServerConfig& config, const DevEndpoints& dev) {
  bool any = !dev.gcp_issuer.empty() || !dev.azure_v1_prefix.empty() ||
             !dev.azure_v2_prefix.empty() || !dev.oidc_issuers.empty() || !dev.aws_jwt_jwks.empty();
  if (any && !config.dev) {
    return Status(Code::kFailedPrecondition, "config.dev_only",
                  "loopback stand-ins for cloud issuers are for development only; start the "
                  "server with --dev to use them");
  }
  return Status();
}

Result<std::unique_ptr<net::HttpServer>> MakeListener(const ServerConfig& config, Env& env) {
  net::HttpServerOptions options;
  options.host = config.listen_host;
  options.port = config.listen_port;
  options.threads = static_cast<int>(config.worker_threads);
  options.max_body_bytes = config.max_body_bytes;
  options.max_connections_per_address = config.max_connections_per_address;
  options.max_decoded_body_bytes = config.max_body_bytes * 4;
  if (!config.tls_cert_file.empty()) {
    WIFGATE_ASSIGN_OR_RETURN(options.tls,
                             net::LoadServerTls(env, config.tls_cert_file, config.tls_key_file));
  }
  return std::make_unique<net::HttpServer>(std::move(options));
}

void BuildVerifiers(Server::Parts& p, const DevEndpoints& dev) {
  const ServerConfig& c = p.config;
  verify::JwtVerifierOptions jwt_options;
  jwt_options.leeway = c.jwt_leeway;
  jwt_options.max_lifetime = c.jwt_max_lifetime;
  jwt_options.allow_extra_audiences = c.jwt_allow_extra_audiences;

  verify::GcpVerifierOptions gcp;
  gcp.jwt = jwt_options;
  if (!dev.gcp_issuer.empty()) {
    gcp.issuer = dev.gcp_issuer;
    gcp.allow_insecure = true;
  }
  p.gcp = std::make_unique<verify::GcpVerifier>(*p.jwks_cache, *p.issuers, *p.env, gcp);

  verify::AzureVerifierOptions azure;
  azure.jwt = jwt_options;
  if (!dev.azure_v2_prefix.empty()) {
    azure.v1_prefix = dev.azure_v1_prefix;
    azure.v2_prefix = dev.azure_v2_prefix;
    azure.allow_insecure = true;
  }
  p.azure = std::make_unique<verify::AzureVerifier>(*p.jwks_cache, *p.issuers, *p.env, azure);

  verify::OidcVerifierOptions oidc;
  oidc.jwt = jwt_options;
  for (const auto& [issuer, file] : c.static_jwks_files) {
    auto text = p.env->ReadFile(file);
    if (text.ok()) {
      oidc.issuers[issuer].static_jwks = *text;
    } else {
      Log(LogLevel::kError, "static_jwks_unreadable",
          {{"issuer", issuer}, {"error", text.status().message()}});
    }
  }
  for (const auto& issuer : dev.oidc_issuers) oidc.issuers[issuer].allow_insecure = true;
  p.oidc = std::make_unique<verify::OidcVerifier>(*p.jwks_cache, *p.issuers, *p.env, oidc);

  verify::AwsJwtVerifierOptions aws_jwt;
  aws_jwt.jwt = jwt_options;
  for (const auto& [issuer, jwks] : dev.aws_jwt_jwks) {
    aws_jwt.extra_issuers[issuer] = jwt::KeySource{issuer, jwks, std::nullopt, true};
  }
  p.aws_jwt = std::make_unique<verify::AwsJwtVerifier>(*p.jwks_cache, *p.issuers, *p.env, aws_jwt);
}

}  // namespace

Server::Server(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(ServerConfig config, Env& env, DevEndpoints dev) {
  WIFGATE_RETURN_IF_ERROR(CheckDevEndpoints(config, dev));
  auto p = std::make_unique<Parts>();
  p->config = std::move(config);
  p->env = &env;
  const ServerConfig& c = p->config;

  WIFGATE_ASSIGN_OR_RETURN(
      auto store,
      registry::OpenSqliteStore(c.data_dir, {.login_history_sync = c.login_history_sync}));
  WIFGATE_ASSIGN_OR_RETURN(p->registry, registry::Registry::Open(std::move(store)));
  // User SQL lives in its own database file, never the registry's (DESIGN.md sandboxing).
  WIFGATE_ASSIGN_OR_RETURN(
      p->engine, sql::Engine::Open((std::filesystem::path(c.data_dir) / "user.db").string()));
  p->executor = std::make_unique<sql::Executor>(*p->registry, *p->engine, env);
  p->sessions = std::make_unique<SessionStore>(env, c.sessions);
  p->rate_limiter = std::make_unique<RateLimiter>(env, c.login_rate_per_minute, c.login_burst);
  WIFGATE_ASSIGN_OR_RETURN(p->http, MakeListener(c, env));

  // Outbound calls run on the listener's event loop: STS and JWKS fetches never hold a
  // server thread.
  p->beast = std::make_unique<net::BeastHttpClient>(env, p->http->io_context());
  p->outbound = std::make_unique<MeteredHttpClient>(*p->beast);
  p->jwks_fetcher = std::make_unique<jwt::HttpJwksFetcher>(*p->outbound);
  p->jwks_cache = std::make_unique<jwt::JwksCache>(*p->jwks_fetcher, env);
  p->issuers = std::make_unique<IssuerDirectory>(*p->registry);

  verify::AwsStsVerifierConfig sts;
  sts.attestation.audience = c.aws_audience;
  sts.one_time_use = c.aws_one_time_use;
  sts.extra_endpoints = c.extra_sts_endpoints;
  sts.dev_mode = c.dev;
  sts.dev_endpoints = c.sts_endpoint_overrides;
  WIFGATE_ASSIGN_OR_RETURN(p->aws_sts, verify::AwsStsVerifier::Create(sts, *p->outbound, env));
  BuildVerifiers(*p, dev);

  Verifiers verifiers{p->aws_sts.get(), p->aws_jwt.get(), p->gcp.get(), p->azure.get(),
                      p->oidc.get()};
  p->login = std::make_unique<LoginService>(env, c, *p->registry, *p->sessions, *p->rate_limiter,
                                            verifiers);
  p->queries = std::make_unique<QueryService>(env, *p->registry, *p->executor,
                                              QueryServiceOptions{c.account, c.statement_timeout});
  p->api = std::make_unique<SnowflakeApi>(*p->login, *p->sessions, *p->queries, *p->registry,
                                          kServerVersion);
  p->api->Register(*p->http);
  p->http->Route("GET", "/healthz", [](net::ServerRequest, net::Responder respond) {
    respond(net::ServerResponse::Json(200, R"({"status":"ok"})"));
  });
  p->http->Route("GET", "/metrics", [](net::ServerRequest, net::Responder respond) {
    net::ServerResponse r;
    r.headers.push_back({"Content-Type", "text/plain; version=0.0.4"});
    r.body = Metrics::Global().RenderPrometheus();
    respond(std::move(r));
  });
  p->http->SetFallback([](net::ServerRequest request, net::Responder respond) {
    respond(net::ServerResponse::Json(
        404, R"({"data":null,"code":"404","message":"No such endpoint.","success":false})"));
    (void)request;
  });
  return std::unique_ptr<Server>(new Server(std::move(p)));
}

net::HttpServer& Server::http() { return *parts_->http; }

Status Server::Start() {
  WIFGATE_RETURN_IF_ERROR(parts_->http->Listen());
  WIFGATE_RETURN_IF_ERROR(parts_->http->Start());
  parts_->started = true;
  Log(LogLevel::kInfo, "server_started",
      {{"listen", parts_->http->base_url()},
       {"account", parts_->config.account},
       {"store",
        "sqlite:" + (std::filesystem::path(parts_->config.data_dir) / "registry.db").string()},
       {"dev", parts_->config.dev}});
  return Status();
}

void Server::Stop() {
  if (!parts_ || !parts_->started) return;
  parts_->started = false;
  parts_->http->Stop();
  Log(LogLevel::kInfo, "server_stopped", {});
}

uint16_t Server::port() const { return parts_->http->port(); }
std::string Server::base_url() const { return parts_->http->base_url(); }
const ServerConfig& Server::config() const { return parts_->config; }

}  // namespace wifgate::server
