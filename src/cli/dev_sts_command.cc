// `wifgate dev-sts`: the local AWS STS stand-in for development (dev/dev_sts.h).
//
//   wifgate dev-sts [--listen H:P] [--config F] [--data DIR]    serve until SIGINT/SIGTERM
//   wifgate dev-sts creds --role ARN [--session NAME] [--data DIR]
//
// DIR defaults to $WIFGATE_DATA or ./wifgate-data; the server records its address there
// (dev/dev_sts_runtime.h) so that `creds` finds it, also when the dev STS runs inside
// `wifgate serve --dev --data DIR`. `creds` assumes the role through the running dev STS,
// signed as the first configured IAM user the role trusts, and prints `export` lines so a
// shell or a test can act as a workload (a Lambda function) with that role.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "aws/sts_client.h"
#include "aws/sts_protocol.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/json.h"
#include "dev/dev_sts.h"
#include "dev/dev_sts_runtime.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"
#include "wifgate/env.h"

namespace wifgate::cli {
namespace {

[[noreturn]] void Fail(const Status& status, int exit_code = 1) {
  cli::Fail("dev-sts", status, exit_code);
}

struct ServeArgs {
  std::string listen = "127.0.0.1:0";
  std::string config;
  std::string data;
};

void Serve(const ServeArgs& args) {
  Env& env = Env::Default();
  const std::string data_dir = DataDir(env, args.data);
  Result<dev::DevStsConfig> config = dev::LoadDevStsConfig(env, args.config);
  if (!config.ok()) Fail(config.status(), 2);
  net::HttpServerOptions options;
  ParseListenFlag("dev-sts", args.listen, &options.host, &options.port);
  if (Status s = dev::EnsureDevStsStateDir(data_dir); !s.ok()) Fail(s);
  Result<std::unique_ptr<dev::DevSts>> sts =
      dev::DevSts::Create(std::move(*config), env, dev::DevStsStateDir(data_dir));
  if (!sts.ok()) Fail(sts.status());
  net::HttpServer server(options);
  (*sts)->Register(server);
  if (Status s = server.Listen(); !s.ok()) Fail(s);
  (*sts)->set_base_url(server.base_url());

  BlockStopSignals();  // before the server's threads start
  if (Status s = server.Start(); !s.ok()) Fail(s);
  if (Status s = dev::WriteDevStsInfo(data_dir, {server.base_url(), args.config}); !s.ok()) {
    Fail(s);
  }
  boost::json::array accounts;
  for (const auto& a : (*sts)->config().accounts) {
    accounts.push_back(boost::json::object{
        {"account", a},
        {"issuer", dev::DevStsTokenIssuer::IssuerFor(a)},
        {"jwks_uri", dev::DevStsTokenIssuer::JwksUrlFor(server.base_url(), a)}});
  }
  std::cout << ToJson(boost::json::object{{"event", "dev_sts.listening"},
                                          {"base_url", server.base_url()},
                                          {"data_dir", data_dir},
                                          {"AWS_ENDPOINT_URL_STS", server.base_url()},
                                          {"accounts", accounts}})
            << std::endl;
  WaitForStopSignal();
  server.Stop();
}

struct CredsArgs {
  std::string role;
  std::string session = "wifgate-dev";
  std::string region = "us-east-1";
  std::string data;
};

void Creds(const CredsArgs& args) {
  Env& env = Env::Default();
  const std::string data_dir = DataDir(env, args.data);
  Result<dev::DevStsInfo> info = dev::ReadDevStsInfo(env, data_dir);
  if (!info.ok()) Fail(info.status());
  Result<dev::DevStsConfig> config = dev::LoadDevStsConfig(env, info->config_file);
  if (!config.ok()) Fail(config.status());
  const dev::DevStsRole* role = config->FindRole(args.role);
  if (role == nullptr) {
    Fail(Status(Code::kNotFound, "dev_sts.role_unknown",
                "the dev STS configuration has no role " + args.role),
         2);
  }
  const dev::DevStsUser* caller = nullptr;
  for (const auto& user : config->users) {
    if (caller == nullptr && role->Trusts(user.Arn())) caller = &user;
  }
  if (caller == nullptr) {
    Fail(Status(Code::kFailedPrecondition, "dev_sts.no_trusted_user",
                "no configured IAM user may assume " + args.role +
                    "; add one to the role's trusted_principals"));
  }
  Result<aws::StsEndpoint> endpoint = aws::ResolveStsEndpoint(args.region, info->url);
  if (!endpoint.ok()) Fail(endpoint.status());
  net::BeastHttpClient http(env);
  aws::StsClient sts(http, env, *endpoint);
  aws::Credentials signer{caller->access_key_id, caller->secret_access_key, "", std::nullopt};
  Result<aws::AssumedRole> assumed = sts.AssumeRole(signer, args.role, args.session);
  if (!assumed.ok()) Fail(assumed.status());
  const aws::Credentials& c = assumed->credentials;
  std::cout << "export AWS_ACCESS_KEY_ID=" << c.access_key_id << "\n"
            << "export AWS_SECRET_ACCESS_KEY=" << c.secret_access_key << "\n"
            << "export AWS_SESSION_TOKEN=" << c.session_token << "\n"
            << "export AWS_REGION=" << args.region << "\n"
            << "export AWS_ENDPOINT_URL_STS=" << info->url << "\n";
  std::cerr << "# " << assumed->assumed_role_arn << "\n";
}

}  // namespace

void AddDevStsCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("dev-sts", "Run the local AWS STS stand-in (development)");
  auto serve = std::make_shared<ServeArgs>();
  cmd->add_option("--listen", serve->listen, "HOST:PORT to listen on (default 127.0.0.1:0)");
  cmd->add_option("--config", serve->config, "TOML accounts/users/roles (default: built in)");
  cmd->add_option("--data", serve->data,
                  "state directory (default $WIFGATE_DATA or ./wifgate-data)");

  auto creds = std::make_shared<CredsArgs>();
  CLI::App* creds_cmd =
      cmd->add_subcommand("creds", "Print export lines with temporary credentials for a role");
  creds_cmd
      ->add_option("--role", creds->role,
                   "role ARN, e.g. arn:aws:iam::111111111111:role/"
                   "service-role/my-function-role-abc123")
      ->required();
  creds_cmd->add_option("--session", creds->session, "role session name");
  creds_cmd->add_option("--region", creds->region, "signing region (default us-east-1)");
  creds_cmd->add_option("--data", creds->data, "where the running dev STS recorded itself");
  creds_cmd->callback([creds] { Creds(*creds); });

  cmd->callback([cmd, serve] {
    if (cmd->got_subcommand("creds")) return;
    Serve(*serve);
  });
}

}  // namespace wifgate::cli
