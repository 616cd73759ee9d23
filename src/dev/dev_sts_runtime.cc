#include "dev/dev_sts_runtime.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/json.h"
#include "dev/dev_sts_default_config.h"  // generated from config/dev-sts.toml

namespace wifgate::dev {
namespace {

Status IoError(const std::string& what) {
  return Status(Code::kUnavailable, "dev_sts.io", what + ": " + std::strerror(errno));
}

}  // namespace

std::string DevStsStateDir(std::string_view data_dir) { return std::string(data_dir) + "/dev-sts"; }

Status EnsureDevStsStateDir(std::string_view data_dir) {
  for (const std::string& dir : {std::string(data_dir), DevStsStateDir(data_dir)}) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return IoError("mkdir " + dir);
  }
  return Status::Ok();
}

Status WriteDevStsInfo(std::string_view data_dir, const DevStsInfo& info) {
  WIFGATE_RETURN_IF_ERROR(EnsureDevStsStateDir(data_dir));
  const std::string path = DevStsStateDir(data_dir) + "/dev-sts.json";
  const std::string tmp = path + ".tmp";
  const std::string text =
      ToJson(boost::json::object{{"url", info.url}, {"config", info.config_file}}) + "\n";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return IoError("open " + tmp);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) return IoError("write " + path);
  return Status::Ok();
}

Result<DevStsInfo> ReadDevStsInfo(const Env& env, std::string_view data_dir) {
  const std::string path = DevStsStateDir(data_dir) + "/dev-sts.json";
  auto text = env.ReadFile(path, 64 * 1024);
  if (!text.ok()) {
    return Status(Code::kFailedPrecondition, "dev_sts.not_running",
                  "no dev STS found under " + std::string(data_dir) + " (" + path +
                      " is missing); start one with `wifgate dev-sts --data " +
                      std::string(data_dir) + "` or `wifgate serve --dev --data " +
                      std::string(data_dir) + "`");
  }
  auto json = ParseStrictJson(*text);
  std::optional<std::string> url, config;
  if (json.ok() && json->is_object()) {
    url = GetString(json->get_object(), "url");
    config = GetString(json->get_object(), "config");
  }
  if (!url || !config) {
    return Status(Code::kInvalidArgument, "dev_sts.bad_info", path + " is not a dev STS info file");
  }
  return DevStsInfo{*url, *config};
}

std::string_view BuiltInDevStsConfig() { return kDevStsDefaultConfig; }

Result<DevStsConfig> LoadDevStsConfig(const Env& env, const std::string& file) {
  if (file.empty()) return ParseDevStsConfig(BuiltInDevStsConfig(), "built-in dev-sts.toml");
  WIFGATE_ASSIGN_OR_RETURN(std::string text, env.ReadFile(file, 1 << 20));
  return ParseDevStsConfig(text, file);
}

}  // namespace wifgate::dev
