#include "wifgate/env.h"

#include <pwd.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace wifgate {
namespace {

class PosixEnv final : public Env {
 public:
  std::optional<std::string> GetVar(std::string_view name) const override {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  }

  Result<std::string> ReadFile(const std::string& path, size_t max_bytes) const override {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      int err = errno;
      return Status(err == ENOENT ? Code::kNotFound : Code::kFailedPrecondition, "file.unreadable",
                    "cannot read " + path + ": " + std::strerror(err));
    }
    std::string data;
    char buf[8192];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      data.append(buf, static_cast<size_t>(in.gcount()));
      if (data.size() > max_bytes) {
        return Status(Code::kResourceExhausted, "file.too_large",
                      path + " is larger than " + std::to_string(max_bytes) + " bytes");
      }
    }
    return data;
  }

  std::optional<std::string> HomeDir() const override {
    if (auto home = GetNonEmptyVar(*this, "HOME")) return home;
    if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr) {
      return std::string(pw->pw_dir);
    }
    return std::nullopt;
  }

  SystemTime Now() const override { return std::chrono::system_clock::now(); }

  // The kernel's CSPRNG directly: it is what OpenSSL's generator seeds from, and unlike
  // RAND_bytes it needs no library initialization (see common/sha256.h for that cost).
  void RandomBytes(std::span<uint8_t> out) override {
    size_t filled = 0;
    while (filled < out.size()) {
      ssize_t n = getrandom(out.data() + filled, out.size() - filled, 0);
      if (n > 0) {
        filled += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      // getrandom fails only where it is missing (ENOSYS, Linux before 3.17) or forbidden
      // (EPERM from a seccomp filter), and never returns 0 for a non-empty request. Without
      // randomness we cannot mint tokens safely; this is not recoverable.
      std::abort();
    }
  }
};

}  // namespace

Env& Env::Default() {
  static Env* env = new PosixEnv();
  return *env;
}

std::optional<std::string> GetNonEmptyVar(const Env& env, std::string_view name) {
  auto v = env.GetVar(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

}  // namespace wifgate
