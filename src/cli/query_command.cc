// `wifgate query`: log in to Snowflake or wifgate and run one statement, printing the rows
// as a table or, with --json, as JSON. Secrets are never taken on the command line: the
// password comes from an environment variable named by --password-env, the key from a file.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "wifgate/connection.h"
#include "wifgate/env.h"

namespace wifgate::cli {
namespace {

struct QueryArgs {
  ConnectionOptions options;
  std::string authenticator = "workload_identity";
  std::string password_env;
  std::string private_key_file;
  bool json = false;
  std::string sql;
};

[[noreturn]] void Fail(const Status& status, int exit_code = 1) {
  std::cerr << "wifgate query: " << status.ToString() << "\n";
  throw CLI::RuntimeError(exit_code);
}

void PrintTable(const ResultSet& rs) {
  std::vector<size_t> widths;
  for (const Column& c : rs.columns) widths.push_back(c.name.size());
  std::vector<std::vector<std::string>> cells;
  for (const Row& row : rs.rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < row.size(); ++i) {
      line.push_back(row[i].ToString());
      widths[i] = std::max(widths[i], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  auto print_line = [&](const std::vector<std::string>& values) {
    for (size_t i = 0; i < values.size(); ++i) {
      std::cout << (i == 0 ? "" : " | ") << values[i]
                << std::string(widths[i] - values[i].size(), ' ');
    }
    std::cout << "\n";
  };
  std::vector<std::string> header;
  for (const Column& c : rs.columns) header.push_back(c.name);
  print_line(header);
  for (size_t i = 0; i < widths.size(); ++i) {
    std::cout << (i == 0 ? "" : "-+-") << std::string(widths[i], '-');
  }
  std::cout << "\n";
  for (const auto& line : cells) print_line(line);
  std::cout << "(" << rs.rows.size() << (rs.rows.size() == 1 ? " row)" : " rows)") << "\n";
}

void Run(QueryArgs& args) {
  Env& env = Env::Default();
  ConnectionOptions& o = args.options;
  auto authenticator = ParseAuthenticator(args.authenticator);
  if (!authenticator.ok()) Fail(authenticator.status(), 2);
  o.authenticator = *authenticator;
  if (!args.password_env.empty()) {
    auto password = GetNonEmptyVar(env, args.password_env);
    if (!password) {
      Fail(Status(Code::kInvalidArgument, "cli.password_env_unset",
                  "--password-env names " + args.password_env + ", which is unset or empty"),
           2);
    }
    o.password = *password;
  }
  if (!args.private_key_file.empty()) {
    auto pem = env.ReadFile(args.private_key_file);
    if (!pem.ok()) Fail(pem.status(), 2);
    o.private_key_pem = *pem;
  }

  auto conn = Connection::Open(o);
  if (!conn.ok()) Fail(conn.status());
  auto rs = (*conn)->Query(args.sql);
  if (!rs.ok()) Fail(rs.status());
  if (args.json) {
    std::cout << ResultSetToJson(*rs) << "\n";
  } else {
    PrintTable(*rs);
  }
  if (Status closed = (*conn)->Close(); !closed.ok()) {
    std::cerr << "wifgate query: warning: " << closed.ToString() << "\n";
  }
}

}  // namespace

void AddQueryCommand(CLI::App& app) {
  auto args = std::make_shared<QueryArgs>();
  CLI::App* cmd = app.add_subcommand("query",
                                     "Log in (workload identity, password or key pair) "
                                     "and run one SQL statement");
  ConnectionOptions& o = args->options;
  cmd->add_option("--url", o.url, "Base URL (default https://ACCOUNT.snowflakecomputing.com)");
  cmd->add_option("--account", o.account, "Account identifier")->required();
  cmd->add_option("--authenticator", args->authenticator,
                  "workload_identity (default), snowflake or snowflake_jwt");
  cmd->add_option("--provider", o.workload_identity.provider, "aws, gcp, azure or oidc");
  cmd->add_option("--impersonate", o.workload_identity.impersonation_path,
                  "Identity to impersonate before attesting (repeatable, in order)");
  cmd->add_flag("--aws-outbound-token", o.workload_identity.aws_use_outbound_token,
                "AWS: send an sts:GetWebIdentityToken JWT instead of a signed request");
  cmd->add_option("--token-file", o.workload_identity.token_file, "OIDC: file holding the token");
  cmd->add_option("--user", o.user, "User name (snowflake, snowflake_jwt; optional for WIF)");
  cmd->add_option("--password-env", args->password_env,
                  "Environment variable holding the password");
  cmd->add_option("--private-key-file", args->private_key_file, "PEM RSA private key file");
  cmd->add_option("--role", o.role, "Role");
  cmd->add_option("--database", o.database, "Database");
  cmd->add_option("--schema", o.schema, "Schema");
  cmd->add_option("--warehouse", o.warehouse, "Warehouse");
  cmd->add_option("--allowed-host", o.allowed_hosts,
                  "Extra host an attestation may be sent to (repeatable)");
  cmd->add_flag("--json", args->json, "Print the result as JSON");
  cmd->add_option("sql", args->sql, "The SQL statement")->required();
  cmd->callback([args] { Run(*args); });
}

}  // namespace wifgate::cli
