#include "cli/cli_support.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "server/config.h"

namespace wifgate::cli {
namespace {

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void Fail(std::string_view command, const Status& status, int exit_code) {
  std::cerr << "wifgate " << command << ": " << status.ToString() << "\n";
  throw CLI::RuntimeError(exit_code);
}

std::string DataDir(const Env& env, const std::string& flag) {
  if (!flag.empty()) return flag;
  return GetNonEmptyVar(env, "WIFGATE_DATA").value_or("wifgate-data");
}

void ParseListenFlag(std::string_view command, const std::string& listen, std::string* host,
                     uint16_t* port) {
  Status s = server::ParseListenAddress(listen, host, port);
  if (!s.ok()) Fail(command, s.WithContext("--listen"), 2);
}

void BlockStopSignals() {
  sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int WaitForStopSignal() {
  sigset_t signals = StopSignals();
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

}  // namespace wifgate::cli
