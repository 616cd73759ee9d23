// Which AWS region the workload is in: AWS_REGION, AWS_DEFAULT_REGION, the selected
// profile's `region`, then the EC2 instance metadata. The region picks the STS endpoint and
// the signing scope, so a wrong one makes STS refuse the attestation.
#ifndef WIFGATE_AWS_REGION_H_
#define WIFGATE_AWS_REGION_H_

#include <string>

#include "aws/metadata_credentials.h"
#include "aws/shared_config.h"
#include "wifgate/env.h"

namespace wifgate::aws {

struct ResolvedRegion {
  std::string region;
  std::string source;  // "AWS_REGION", "AWS_DEFAULT_REGION", "profile default", "instance metadata"
};

// `config` may be null (no shared files); `imds` may be null (metadata not consulted).
// Failures: aws.no_region listing what was tried, aws.bad_region for a malformed name.
Result<ResolvedRegion> ResolveRegion(const Env& env, const SharedConfig* config,
                                     InstanceMetadata* imds);

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_REGION_H_
