// `wifgate dev-idp`: the local OIDC issuer for development (dev/dev_idp.h).
//
//   wifgate dev-idp [--listen H:P] [--data DIR]        serve until SIGINT/SIGTERM
//   wifgate dev-idp mint --kind gcp|azure|azure-v1|oidc --sub S [--aud A]... [--ttl SECONDS]
//                        [--issued-ago SECONDS] [--alg RS256|ES256|ES384] [--out FILE]
//                        [--data DIR]
//   wifgate dev-idp rotate [--data DIR]
//
// DIR defaults to $WIFGATE_DATA or ./wifgate-data, so `mint` finds a server started in the
// same directory. On start the server prints one JSON line (base URL, issuers, the
// workload endpoints' settings) and writes an AKS-style federated token file.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/json.h"
#include "dev/dev_idp.h"
#include "dev/dev_idp_server.h"
#include "jwt/algorithm.h"
#include "net/http_server.h"
#include "wifgate/env.h"

namespace wifgate::cli {
namespace {

namespace json = boost::json;

[[noreturn]] void Fail(const Status& status, int exit_code = 1) {
  cli::Fail("dev-idp", status, exit_code);
}

struct ServeArgs {
  std::string listen = "127.0.0.1:0";
  std::string data;
};

void Serve(const ServeArgs& args) {
  Env& env = Env::Default();
  net::HttpServerOptions options;
  ParseListenFlag("dev-idp", args.listen, &options.host, &options.port);
  net::HttpServer server(options);
  if (Status s = server.Listen(); !s.ok()) Fail(s);
  dev::DevIdpOptions idp_options;
  idp_options.data_dir = DataDir(env, args.data);
  idp_options.base_url = server.base_url();
  Result<std::unique_ptr<dev::DevIdp>> idp = dev::DevIdp::Open(env, idp_options);
  if (!idp.ok()) Fail(idp.status());
  dev::DevWorkloadSecrets secrets;
  dev::InstallDevIdpRoutes(server, **idp, secrets);

  // The AKS-style projected service-account token a workload reads.
  dev::MintRequest aks;
  aks.kind = dev::IdpKind::kOidc;
  aks.subject = "system:serviceaccount:default:workload";
  aks.audiences = {"api://AzureADTokenExchange"};
  std::string token_file = idp_options.data_dir + "/dev-idp/azure-federated-token";
  Result<std::string> aks_token = (*idp)->Mint(aks);
  if (!aks_token.ok()) Fail(aks_token.status());
  if (Status s = dev::WriteFileAtomic(token_file, *aks_token); !s.ok()) Fail(s);

  BlockStopSignals();  // before the server's threads start
  if (Status s = server.Start(); !s.ok()) Fail(s);

  json::object issuers;
  for (auto [name, kind] :
       {std::pair{"oidc", dev::IdpKind::kOidc}, std::pair{"gcp", dev::IdpKind::kGcp},
        std::pair{"azure", dev::IdpKind::kAzure}, std::pair{"azure-v1", dev::IdpKind::kAzureV1}}) {
    issuers[name] = (*idp)->IssuerUrl(kind);
  }
  json::object info{{"event", "dev_idp.listening"},
                    {"base_url", server.base_url()},
                    {"data_dir", idp_options.data_dir},
                    {"issuers", issuers},
                    {"tenant", (*idp)->options().tenant},
                    {"GCE_METADATA_HOST", server.base_url().substr(7)},
                    {"IDENTITY_ENDPOINT", server.base_url() + "/msi/token"},
                    {"IDENTITY_HEADER", secrets.identity_header},
                    {"AZURE_FEDERATED_TOKEN_FILE", token_file}};
  std::cout << ToJson(info) << std::endl;

  WaitForStopSignal();
  server.Stop();
}

struct MintArgs {
  std::string kind;
  std::string sub;
  std::vector<std::string> aud;
  int64_t ttl = 3600;
  int64_t issued_ago = 0;
  std::string alg = "RS256";
  std::string out;
  std::string data;
};

void Mint(const MintArgs& args) {
  Env& env = Env::Default();
  std::optional<dev::IdpKind> kind = dev::ParseIdpKind(args.kind);
  std::optional<jwt::Algorithm> alg = jwt::ParseAlgorithm(args.alg);
  if (!kind || !alg) {
    Fail(Status(Code::kInvalidArgument, "cli.mint_invalid",
                "--kind must be gcp, azure, azure-v1 or oidc; --alg RS256, ES256 or ES384"),
         2);
  }
  if (args.ttl <= 0 || args.ttl > 7 * 86400) {
    Fail(Status(Code::kInvalidArgument, "cli.mint_invalid", "--ttl must be 1..604800 seconds"), 2);
  }
  if (args.issued_ago < 0 || args.issued_ago > 30 * 86400) {
    Fail(Status(Code::kInvalidArgument, "cli.mint_invalid",
                "--issued-ago must be 0..2592000 seconds"),
         2);
  }
  Result<std::unique_ptr<dev::DevIdp>> idp =
      dev::DevIdp::OpenExisting(env, DataDir(env, args.data));
  if (!idp.ok()) Fail(idp.status());
  dev::MintRequest request;
  request.kind = *kind;
  request.subject = args.sub;
  request.audiences = args.aud;
  request.ttl_seconds = args.ttl;
  request.issued_ago_seconds = args.issued_ago;
  request.alg = *alg;
  Result<std::string> token = (*idp)->Mint(request);
  if (!token.ok()) Fail(token.status());
  if (!args.out.empty()) {
    if (Status s = dev::WriteFileAtomic(args.out, *token); !s.ok()) Fail(s);
    return;
  }
  std::cout << *token << "\n";
}

}  // namespace

void AddDevIdpCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("dev-idp", "Run or use the local dev OIDC issuer");
  auto serve = std::make_shared<ServeArgs>();
  cmd->add_option("--listen", serve->listen, "HOST:PORT (default 127.0.0.1:0)");
  cmd->add_option("--data", serve->data, "state directory (default $WIFGATE_DATA or wifgate-data)");

  auto mint = std::make_shared<MintArgs>();
  CLI::App* mint_cmd = cmd->add_subcommand("mint", "Mint a token from a running dev IdP's keys");
  mint_cmd->add_option("--kind", mint->kind, "gcp, azure, azure-v1 or oidc")->required();
  mint_cmd->add_option("--sub", mint->sub, "subject")->required();
  mint_cmd->add_option("--aud", mint->aud, "audience (repeatable; default per kind)");
  mint_cmd->add_option("--ttl", mint->ttl, "lifetime in seconds (default 3600)");
  mint_cmd->add_option("--issued-ago", mint->issued_ago,
                       "backdate iat/nbf by SECONDS (exp follows); with --ttl shorter than it "
                       "the token is already expired, for testing expiry without waiting");
  mint_cmd->add_option("--alg", mint->alg, "RS256 (default), ES256 or ES384");
  mint_cmd->add_option("--out", mint->out, "write the token to this file (mode 0600)");
  mint_cmd->add_option("--data", mint->data, "the dev IdP's state directory");
  mint_cmd->callback([mint] { Mint(*mint); });

  auto rotate_data = std::make_shared<std::string>();
  CLI::App* rotate = cmd->add_subcommand("rotate", "Rotate the signing keys of a dev IdP");
  rotate->add_option("--data", *rotate_data, "the dev IdP's state directory");
  rotate->callback([rotate_data] {
    Env& env = Env::Default();
    Result<std::unique_ptr<dev::DevIdp>> idp =
        dev::DevIdp::OpenExisting(env, DataDir(env, *rotate_data));
    if (!idp.ok()) Fail(idp.status());
    if (Status s = (*idp)->Rotate(); !s.ok()) Fail(s);
  });

  cmd->callback([cmd, serve] {
    if (cmd->get_subcommands().empty()) Serve(*serve);
  });
}

}  // namespace wifgate::cli
