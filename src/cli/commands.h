// The wifgate subcommands. Each Add*Command registers one subcommand (its options and its
// action) on the top-level app; see docs/cli.md for the contract they follow.
//
// Conventions: results go to stdout (a table or, with --json, JSON); diagnostics to stderr;
// a failing action prints its Status (reason: message) and throws CLI::RuntimeError(code)
// with exit code 1 for a failure and 2 for bad usage, which main() turns into the exit code.
#ifndef WIFGATE_CLI_COMMANDS_H_
#define WIFGATE_CLI_COMMANDS_H_

namespace CLI {
class App;
}

namespace wifgate::cli {

void AddAttestCommand(CLI::App& app);

void AddDevIdpCommand(CLI::App& app);
void AddVerifyCommand(CLI::App& app);

void AddQueryCommand(CLI::App& app);
void AddDoctorCommand(CLI::App& app);
void AddDevStsCommand(CLI::App& app);
void AddSqlCommand(CLI::App& app);
void AddServeCommand(CLI::App& app);

}  // namespace wifgate::cli

#endif  // WIFGATE_CLI_COMMANDS_H_
