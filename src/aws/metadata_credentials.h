// Credentials (and the region) from the compute platform's local metadata endpoints:
//   - ECS / EKS Pod Identity container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
//     _FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE));
//   - EC2 instance metadata, IMDSv2 only (a session token first, then the role's credentials).
//
// Both are plain HTTP to link-local addresses, never through a proxy, with short timeouts so
// that a workload that is not on EC2 fails in about a second instead of hanging. Every
// address is configurable (MetadataEndpoints), and the tests point them at fakes.
#ifndef WIFGATE_AWS_METADATA_CREDENTIALS_H_
#define WIFGATE_AWS_METADATA_CREDENTIALS_H_

#include <chrono>
#include <string>

#include "aws/credentials.h"
#include "net/http.h"
#include "wifgate/env.h"

namespace wifgate::aws {

struct MetadataEndpoints {
  std::string container_relative_base = "http://169.254.170.2";
  std::string imds = "http://169.254.169.254";  // AWS_EC2_METADATA_SERVICE_ENDPOINT wins
  std::chrono::milliseconds timeout{1000};
};

// Container credentials. nullopt-like "not configured" is reported as aws.source_not_configured
// (kNotFound) so the chain can tell "absent" from "broken".
Result<Credentials> ContainerCredentials(const Env& env, net::HttpClient& http,
                                         const MetadataEndpoints& endpoints);

// IMDSv2. AWS_EC2_METADATA_DISABLED=true turns it off (aws.source_not_configured).
class InstanceMetadata {
 public:
  InstanceMetadata(const Env& env, net::HttpClient& http, const MetadataEndpoints& endpoints);

  // The instance role's credentials; `role_name` receives the role's name.
  Result<Credentials> RoleCredentials(std::string* role_name);
  // The instance's region (placement/region).
  Result<std::string> Region();

 private:
  Result<std::string> Get(const std::string& path);
  Status Token();

  const Env& env_;
  net::HttpClient& http_;
  std::string base_;
  std::chrono::milliseconds timeout_;
  bool disabled_ = false;
  std::string token_;
};

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_METADATA_CREDENTIALS_H_
