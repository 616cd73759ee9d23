// wifgate: one binary, one subcommand per capability (see docs/cli.md for the contract).
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"wifgate: workload identity federation, both sides"};
  app.set_version_flag("--version", "wifgate 0.1.0");
  app.require_subcommand(1);
  wifgate::cli::AddServeCommand(app);
  wifgate::cli::AddDevStsCommand(app);
  wifgate::cli::AddAttestCommand(app);
  wifgate::cli::AddDevIdpCommand(app);
  wifgate::cli::AddVerifyCommand(app);
  wifgate::cli::AddQueryCommand(app);
  wifgate::cli::AddDoctorCommand(app);
  wifgate::cli::AddSqlCommand(app);

  CLI11_PARSE(app, argc, argv);
  return 0;
}
