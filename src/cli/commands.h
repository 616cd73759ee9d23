// The wifgate subcommands. Each Add*Command registers one subcommand (its options and its
// action) on the top-level app; see docs/cli.md for the contract they follow.
#ifndef WIFGATE_CLI_COMMANDS_H_
#define WIFGATE_CLI_COMMANDS_H_

namespace CLI {
class App;
}

namespace wifgate::cli {

}  // namespace wifgate::cli

#endif  // WIFGATE_CLI_COMMANDS_H_
