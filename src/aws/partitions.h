// AWS partitions and STS endpoints: which partition a region belongs to, and the regional
// STS host a workload in that region signs its requests for.
//
// Snowflake's connectors always use the regional endpoint, never the global
// sts.amazonaws.com, and derive the partition from the region name as boto3 does.
#ifndef WIFGATE_AWS_PARTITIONS_H_
#define WIFGATE_AWS_PARTITIONS_H_

#include <string>
#include <string_view>

#include "wifgate/status.h"

namespace wifgate::aws {

struct Partition {
  std::string_view name;        // "aws", "aws-cn", "aws-us-gov", "aws-iso", ...
  std::string_view dns_suffix;  // "amazonaws.com", "amazonaws.com.cn", ...
};

// Lower-case letters, digits and single dashes, such as "us-east-1"; at most 32 characters.
bool IsValidRegionName(std::string_view region);

// The partition of a region, from its prefix (cn-, us-gov-, us-iso-, us-isob-, eu-isoe-,
// us-isof-; anything else is the commercial partition). Fails with aws.bad_region when the
// name is not a region name at all.
Result<Partition> PartitionForRegion(std::string_view region);

// "sts.<region>.<suffix>"; with `fips`, "sts-fips.<region>.<suffix>" (GovCloud's regional
// endpoints are FIPS endpoints already and keep their name).
Result<std::string> StsHostForRegion(std::string_view region, bool fips = false);

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_PARTITIONS_H_
