// What every wifgate subcommand does the same way: report a failure and exit, find the
// data directory, parse --listen, and wait for the signal that stops a server.
#ifndef WIFGATE_CLI_CLI_SUPPORT_H_
#define WIFGATE_CLI_CLI_SUPPORT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::cli {

// Prints "wifgate COMMAND: reason: message" on stderr and exits with `exit_code` (1 for a
// failure, 2 for bad usage) through CLI11.
[[noreturn]] void Fail(std::string_view command, const Status& status, int exit_code = 1);

// The data directory: the flag when given, else $WIFGATE_DATA, else ./wifgate-data.
std::string DataDir(const Env& env, const std::string& flag);

// Parses a --listen value, HOST:PORT; bad usage fails the command with exit code 2.
void ParseListenFlag(std::string_view command, const std::string& listen, std::string* host,
                     uint16_t* port);

// Servers: call BlockStopSignals() before starting any thread, then WaitForStopSignal(),
// which returns the signal (SIGINT or SIGTERM) that asked the process to stop.
void BlockStopSignals();
int WaitForStopSignal();

}  // namespace wifgate::cli

#endif  // WIFGATE_CLI_CLI_SUPPORT_H_
