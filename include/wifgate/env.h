// Env: everything wifgate reads from the world besides the network — environment
// variables, files, the clock and randomness — behind one interface (after LevelDB's Env).
//
// Production code takes an Env& and never calls getenv(), std::ifstream, time() or rand()
// directly; tests pass a FakeEnv (tests/unit/fake_env.h) with fixed variables, in-memory
// files, a settable clock and deterministic randomness. Outbound HTTP has its own interface,
// net::HttpClient, for the same reason.
#ifndef WIFGATE_ENV_H_
#define WIFGATE_ENV_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wifgate/status.h"

namespace wifgate {

using SystemTime = std::chrono::system_clock::time_point;

class Env {
 public:
  virtual ~Env() = default;

  // The value of an environment variable; nullopt when unset. An empty value is returned
  // as an empty string: callers decide whether that counts as set (the AWS SDKs say no).
  virtual std::optional<std::string> GetVar(std::string_view name) const = 0;

  // The whole content of a file, or a Status naming the path and why it could not be read.
  // Files larger than `max_bytes` are refused rather than truncated.
  virtual Result<std::string> ReadFile(const std::string& path,
                                       size_t max_bytes = 1 << 20) const = 0;

  // The user's home directory, for ~/.aws and friends; nullopt when unknown.
  virtual std::optional<std::string> HomeDir() const = 0;

  // Wall-clock time (signing dates, token expiry).
  virtual SystemTime Now() const = 0;

  // Fills `out` from a cryptographically secure generator.
  virtual void RandomBytes(std::span<uint8_t> out) = 0;

  // The process-wide real Env. Never destroyed.
  static Env& Default();
};

// Returns the variable's value when it is set and non-empty.
std::optional<std::string> GetNonEmptyVar(const Env& env, std::string_view name);

}  // namespace wifgate

#endif  // WIFGATE_ENV_H_
