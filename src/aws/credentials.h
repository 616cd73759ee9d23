// AWS credentials: what the credential providers produce and the SigV4 signer consumes.
#ifndef WIFGATE_AWS_CREDENTIALS_H_
#define WIFGATE_AWS_CREDENTIALS_H_

#include <optional>
#include <string>

#include "wifgate/env.h"

namespace wifgate::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;             // empty for long-term (IAM user) keys
  std::optional<SystemTime> expiration;  // nullopt when the credentials do not expire

  // True when the credentials expire at or before `now` + `margin`.
  bool ExpiresBefore(SystemTime now, std::chrono::seconds margin = std::chrono::seconds{0}) const {
    return expiration.has_value() && *expiration <= now + margin;
  }
};

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_CREDENTIALS_H_
