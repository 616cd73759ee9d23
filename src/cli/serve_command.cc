// `wifgate serve`: the Snowflake-compatible login and query server (server/server.h).
//
//   wifgate serve [--config F] [--listen H:P] [--data DIR] [--account NAME] [--dev]
//
// With --dev the same process also runs the dev STS and the dev OIDC issuer, each on its
// own loopback port, and points the server's verifiers at them (the dev STS's AWS-shaped
// outbound-token issuers included); `wifgate dev-sts creds --data DIR` and
// `wifgate dev-idp mint --data DIR` find them through DIR. Once listening, the server
// prints one JSON line on stdout with its URL (and the dev endpoints and outbound-token
// issuers) and writes the same to DIR/serve.json. SIGINT or SIGTERM stops it gracefully.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/json.h"
#include "common/logging.h"
#include "dev/dev_idp.h"
#include "dev/dev_idp_server.h"
#include "dev/dev_sts.h"
#include "dev/dev_sts_runtime.h"
#include "net/http_server.h"
#include "net/self_signed_cert.h"
#include "server/server.h"
#include "verify/aws_sts_hosts.h"
#include "wifgate/env.h"

namespace wifgate::cli {
namespace {

namespace json = boost::json;

[[noreturn]] void Fail(const Status& status, int exit_code = 1) {
  cli::Fail("serve", status, exit_code);
}

template <typename T>
T OrFail(Result<T> r) {
  if (!r.ok()) Fail(r.status());
  return std::move(r).value();
}

void Check(const Status& s) {
  if (!s.ok()) Fail(s);
}

// The dev fixtures of `serve --dev`, each on its own loopback listener.
struct DevFixtures {
  std::unique_ptr<dev::DevSts> sts;
  std::unique_ptr<net::HttpServer> sts_http;
  std::unique_ptr<dev::DevIdp> idp;
  std::unique_ptr<net::HttpServer> idp_http;

  void Stop() {
    if (sts_http) sts_http->Stop();
    if (idp_http) idp_http->Stop();
  }
};

std::unique_ptr<net::HttpServer> LoopbackListener() {
  net::HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  return std::make_unique<net::HttpServer>(options);
}

// Starts the dev STS and dev IdP and says where they are, for the server's verifiers.
DevFixtures StartDevFixtures(Env& env, server::ServerConfig& config, server::DevEndpoints& dev) {
  DevFixtures f;
  Check(dev::EnsureDevStsStateDir(config.data_dir));
  f.sts = OrFail(dev::DevSts::Create(OrFail(dev::LoadDevStsConfig(env, "")), env,
                                     dev::DevStsStateDir(config.data_dir)));
  f.sts_http = LoopbackListener();
  f.sts->Register(*f.sts_http);
  Check(f.sts_http->Listen());
  f.sts->set_base_url(f.sts_http->base_url());
  Check(f.sts_http->Start());
  Check(dev::WriteDevStsInfo(config.data_dir, {f.sts_http->base_url(), ""}));
  // Every allow-listed STS host is answered by the dev STS.
  for (const auto& endpoint : verify::StsHostAllowList().endpoints()) {
    config.sts_endpoint_overrides[endpoint.host] = f.sts_http->base_url();
  }
  // Its outbound-token issuers have AWS's shape (so that they are registrable) but their
  // keys are served on loopback.
  for (const auto& account : f.sts->config().accounts) {
    dev.aws_jwt_jwks[dev::DevStsTokenIssuer::IssuerFor(account)] =
        dev::DevStsTokenIssuer::JwksUrlFor(f.sts_http->base_url(), account);
  }

  dev::DevIdpOptions idp_options;
  idp_options.data_dir = config.data_dir;
  f.idp = OrFail(dev::DevIdp::Open(env, idp_options));
  f.idp_http = LoopbackListener();
  dev::InstallDevIdpRoutes(*f.idp_http, *f.idp);
  Check(f.idp_http->Listen());
  Check(f.idp->SetBaseUrl(f.idp_http->base_url()));
  Check(f.idp_http->Start());
  dev.gcp_issuer = f.idp->IssuerUrl(dev::IdpKind::kGcp);
  dev.azure_v2_prefix = f.idp_http->base_url() + "/azure/";
  dev.azure_v1_prefix = f.idp_http->base_url() + "/azure-v1/";
  dev.oidc_issuers.push_back(f.idp->IssuerUrl(dev::IdpKind::kOidc));
  return f;
}

// --dev with tls.self_signed: a fresh certificate for loopback under DIR/tls, which a
// client trusts by passing DIR/tls/cert.pem as its CA.
void UseSelfSignedCert(server::ServerConfig& config) {
  auto pair = OrFail(net::MakeSelfSignedCert({"127.0.0.1", "localhost"}));
  std::filesystem::path dir = std::filesystem::path(config.data_dir) / "tls";
  config.tls_cert_file = (dir / "cert.pem").string();
  config.tls_key_file = (dir / "key.pem").string();
  Check(dev::WriteFileAtomic(config.tls_cert_file, pair.cert_pem));
  Check(dev::WriteFileAtomic(config.tls_key_file, pair.key_pem));
}

struct ServeArgs {
  std::string config;
  std::string listen;
  std::string data;
  std::string account;
  bool dev = false;
};

void Serve(const ServeArgs& args) {
  Env& env = Env::Default();
  server::ServerFlags flags;
  if (!args.config.empty()) flags.config_file = args.config;
  if (!args.listen.empty()) flags.listen = args.listen;
  if (!args.data.empty()) flags.data_dir = args.data;
  if (!args.account.empty()) flags.account = args.account;
  flags.dev = args.dev;
  auto loaded = server::LoadServerConfig(flags, env);
  if (!loaded.ok()) Fail(loaded.status(), 2);
  server::ServerConfig config = std::move(*loaded);
  LogLevel level = LogLevel::kInfo;
  ParseLogLevel(config.log_level, &level);
  SetLogLevel(level);
  SetLogFormat(config.log_format == "text" ? LogFormat::kText : LogFormat::kJson);

  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    Fail(Status(Code::kFailedPrecondition, "serve.data_dir",
                "cannot create the data directory " + config.data_dir + ": " + ec.message()));
  }

  BlockStopSignals();  // before any thread starts, so that only the wait below sees them

  server::DevEndpoints dev;
  DevFixtures fixtures;
  if (config.dev) fixtures = StartDevFixtures(env, config, dev);
  if (config.tls_self_signed && config.tls_cert_file.empty()) UseSelfSignedCert(config);
  auto server = OrFail(server::Server::Create(config, env, dev));
  Check(server->Start());

  json::object line{{"event", "serve.listening"},
                    {"url", server->base_url()},
                    {"account", config.account},
                    {"data_dir", config.data_dir}};
  if (config.dev) {
    line["dev_sts"] = fixtures.sts_http->base_url();
    line["dev_idp"] = fixtures.idp_http->base_url();
    json::object issuers;  // account -> issuer, for WORKLOAD_IDENTITY = (TYPE = AWS ISSUER = …)
    for (const auto& account : fixtures.sts->config().accounts) {
      issuers[account] = dev::DevStsTokenIssuer::IssuerFor(account);
    }
    line["dev_aws_token_issuers"] = std::move(issuers);
  }
  Check(dev::WriteFileAtomic((std::filesystem::path(config.data_dir) / "serve.json").string(),
                             ToJson(line)));
  std::cout << ToJson(line) << std::endl;

  int received = WaitForStopSignal();
  Log(LogLevel::kInfo, "server_stopping", {{"signal", static_cast<int64_t>(received)}});
  server->Stop();
  fixtures.Stop();
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd =
      app.add_subcommand("serve", "Run the Snowflake-compatible WIF login and query server");
  cmd->add_option("--config", args->config, "TOML configuration file");
  cmd->add_option("--listen", args->listen,
                  "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)");
  cmd->add_option("--data", args->data,
                  "Data directory for the registry and user data (default ./wifgate-data)");
  cmd->add_option("--account", args->account,
                  "The account name this server serves (default WIFGATE)");
  cmd->add_flag("--dev", args->dev, "Also run the dev STS and dev OIDC issuer, and trust them");
  cmd->callback([args] { Serve(*args); });
}

}  // namespace wifgate::cli
