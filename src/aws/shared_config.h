// The AWS shared configuration files: ~/.aws/credentials and ~/.aws/config (or the files
// named by AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE), read as the SDKs read them.
//
// The credentials file names sections "[name]"; the config file "[default]" and
// "[profile name]". A profile's settings are the union of both files, the credentials file
// winning. Nested sub-sections ("s3 =" followed by indented lines) are skipped.
#ifndef WIFGATE_AWS_SHARED_CONFIG_H_
#define WIFGATE_AWS_SHARED_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::aws {

using ProfileSettings = std::map<std::string, std::string, std::less<>>;

struct SharedConfig {
  std::string credentials_path;  // the paths read (for messages); a missing file is no error
  std::string config_path;
  std::map<std::string, ProfileSettings, std::less<>> profiles;

  const ProfileSettings* Find(std::string_view profile) const;
  std::optional<std::string> Get(std::string_view profile, std::string_view key) const;
};

// Parses one INI file. `config_style` selects the config file's "[profile name]" naming.
// Fails with aws.bad_shared_config naming the path and line.
Result<std::map<std::string, ProfileSettings, std::less<>>> ParseAwsIni(std::string_view text,
                                                                        bool config_style,
                                                                        std::string_view path);

// Loads both files from their env-configured or default (~/.aws/...) locations.
Result<SharedConfig> LoadSharedConfig(const Env& env);

// AWS_PROFILE, else "default".
std::string SelectedProfile(const Env& env);

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_SHARED_CONFIG_H_
