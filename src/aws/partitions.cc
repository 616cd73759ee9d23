#include "aws/partitions.h"

#include <array>

namespace wifgate::aws {
namespace {

struct PrefixRule {
  std::string_view prefix;
  Partition partition;
};

// Longest prefixes first: "us-isob-" must win over "us-iso".
constexpr std::array<PrefixRule, 6> kRules = {{
    {"us-isob-", {"aws-iso-b", "sc2s.sgov.gov"}},
    {"us-isof-", {"aws-iso-f", "csp.hci.ic.gov"}},
    {"eu-isoe-", {"aws-iso-e", "cloud.adc-e.uk"}},
    {"us-iso-", {"aws-iso", "c2s.ic.gov"}},
    {"us-gov-", {"aws-us-gov", "amazonaws.com"}},
    {"cn-", {"aws-cn", "amazonaws.com.cn"}},
}};
constexpr Partition kCommercial = {"aws", "amazonaws.com"};

}  // namespace

bool IsValidRegionName(std::string_view region) {
  if (region.empty() || region.size() > 32) return false;
  if (region.front() == '-' || region.back() == '-') return false;
  char previous = 0;
  for (char c : region) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && previous == '-')) return false;
    previous = c;
  }
  return region.find('-') != std::string_view::npos;
}

Result<Partition> PartitionForRegion(std::string_view region) {
  if (!IsValidRegionName(region)) {
    return Status(Code::kInvalidArgument, "aws.bad_region",
                  "'" + std::string(region.substr(0, 40)) +
                      "' is not an AWS region name (expected something like us-east-1); "
                      "set AWS_REGION to the region the workload runs in");
  }
  for (const PrefixRule& rule : kRules) {
    if (region.starts_with(rule.prefix)) return rule.partition;
  }
  return kCommercial;
}

Result<std::string> StsHostForRegion(std::string_view region, bool fips) {
  WIFGATE_ASSIGN_OR_RETURN(Partition partition, PartitionForRegion(region));
  const bool fips_name = fips && partition.name != "aws-us-gov";
  std::string host = fips_name ? "sts-fips." : "sts.";
  host.append(region).append(".").append(partition.dns_suffix);
  return host;
}

}  // namespace wifgate::aws
