// Running a dev STS: where its state lives under a data directory, how other processes
// find it (`wifgate dev-sts creds --data DIR` and `wifgate serve --dev --data DIR`), and
// the built-in default configuration (a copy of config/dev-sts.toml compiled in, so an
// installed binary works without the source tree).
//
// Layout under DIR/dev-sts/: dev-sts.json ({"url": "http://127.0.0.1:PORT",
// "config": "<file or empty for built-in>"}), dev-sts-credentials.json (issued temporary
// credentials, 0600) and the token signing keys (dev-sts-es384.pem, dev-sts-rs256.pem).
#ifndef WIFGATE_DEV_DEV_STS_RUNTIME_H_
#define WIFGATE_DEV_DEV_STS_RUNTIME_H_

#include <string>
#include <string_view>

#include "dev/dev_sts_config.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::dev {

struct DevStsInfo {
  std::string url;          // base URL the dev STS listens on
  std::string config_file;  // empty: the built-in default
};

// DIR/dev-sts (created on demand by WriteDevStsInfo and EnsureDevStsStateDir).
std::string DevStsStateDir(std::string_view data_dir);
Status EnsureDevStsStateDir(std::string_view data_dir);

Status WriteDevStsInfo(std::string_view data_dir, const DevStsInfo& info);
// Fails with dev_sts.not_running when DIR holds no dev STS address.
Result<DevStsInfo> ReadDevStsInfo(const Env& env, std::string_view data_dir);

// The TOML text of config/dev-sts.toml as built into the binary.
std::string_view BuiltInDevStsConfig();
// `file` empty: the built-in default.
Result<DevStsConfig> LoadDevStsConfig(const Env& env, const std::string& file);

}  // namespace wifgate::dev

#endif  // WIFGATE_DEV_DEV_STS_RUNTIME_H_
