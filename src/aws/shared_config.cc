#include "aws/shared_config.h"

#include "common/strings.h"

namespace wifgate::aws {
namespace {

Status BadLine(std::string_view path, size_t line, std::string_view what) {
  return Status(Code::kInvalidArgument, "aws.bad_shared_config",
                std::string(path) + " line " + std::to_string(line) + ": " + std::string(what) +
                    "; fix or remove that line");
}

// A missing file reads as empty: the shared files are optional.
Result<std::string> ReadOptional(const Env& env, const std::string& path) {
  auto text = env.ReadFile(path);
  if (text.ok()) return std::move(*text);
  if (text.status().code() == Code::kNotFound) return std::string();
  return text.status();
}

}  // namespace

const ProfileSettings* SharedConfig::Find(std::string_view profile) const {
  auto it = profiles.find(profile);
  return it == profiles.end() ? nullptr : &it->second;
}

std::optional<std::string> SharedConfig::Get(std::string_view profile, std::string_view key) const {
  const ProfileSettings* settings = Find(profile);
  if (settings == nullptr) return std::nullopt;
  auto it = settings->find(key);
  if (it == settings->end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<std::map<std::string, ProfileSettings, std::less<>>> ParseAwsIni(std::string_view text,
                                                                        bool config_style,
                                                                        std::string_view path) {
  std::map<std::string, ProfileSettings, std::less<>> profiles;
  ProfileSettings* current = nullptr;
  bool in_subsection = false;
  size_t line_number = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++line_number;
    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    std::string_view line = TrimWhitespace(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (indented && in_subsection) continue;
    in_subsection = false;
    if (line.front() == '[') {
      if (line.back() != ']') return BadLine(path, line_number, "unterminated section header");
      std::string_view name = TrimWhitespace(line.substr(1, line.size() - 2));
      if (config_style && name != "default") {
        if (!name.starts_with("profile ")) {
          current = nullptr;  // sso-session, services, ...: not profiles
          continue;
        }
        name = TrimWhitespace(name.substr(8));
      }
      if (name.empty()) return BadLine(path, line_number, "empty section name");
      current = &profiles[std::string(name)];
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return BadLine(path, line_number, "expected key = value");
    if (current == nullptr) continue;  // settings of a non-profile section
    const std::string key = AsciiLower(TrimWhitespace(line.substr(0, eq)));
    const std::string_view value = TrimWhitespace(line.substr(eq + 1));
    if (key.empty()) return BadLine(path, line_number, "empty key");
    if (value.empty()) {
      in_subsection = true;  // "s3 =" followed by indented settings
      continue;
    }
    (*current)[key] = std::string(value);
  }
  return profiles;
}

Result<SharedConfig> LoadSharedConfig(const Env& env) {
  SharedConfig config;
  const std::string home = env.HomeDir().value_or("");
  config.credentials_path =
      GetNonEmptyVar(env, "AWS_SHARED_CREDENTIALS_FILE").value_or(home + "/.aws/credentials");
  config.config_path = GetNonEmptyVar(env, "AWS_CONFIG_FILE").value_or(home + "/.aws/config");

  WIFGATE_ASSIGN_OR_RETURN(std::string config_text, ReadOptional(env, config.config_path));
  WIFGATE_ASSIGN_OR_RETURN(config.profiles, ParseAwsIni(config_text, true, config.config_path));
  WIFGATE_ASSIGN_OR_RETURN(std::string creds_text, ReadOptional(env, config.credentials_path));
  WIFGATE_ASSIGN_OR_RETURN(auto credentials,
                           ParseAwsIni(creds_text, false, config.credentials_path));
  for (auto& [name, settings] : credentials) {
    for (auto& [key, value] : settings) config.profiles[name][key] = value;
  }
  return config;
}

std::string SelectedProfile(const Env& env) {
  return GetNonEmptyVar(env, "AWS_PROFILE").value_or("default");
}

}  // namespace wifgate::aws
