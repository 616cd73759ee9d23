#include "aws/region.h"

#include "aws/partitions.h"

namespace wifgate::aws {
namespace {

Result<ResolvedRegion> Checked(std::string region, std::string source) {
  if (!IsValidRegionName(region)) {
    return Status(Code::kInvalidArgument, "aws.bad_region",
                  source + " is '" + region.substr(0, 40) +
                      "', which is not an AWS region name; set it to e.g. us-east-1");
  }
  return ResolvedRegion{std::move(region), std::move(source)};
}

}  // namespace

Result<ResolvedRegion> ResolveRegion(const Env& env, const SharedConfig* config,
                                     InstanceMetadata* imds) {
  if (auto r = GetNonEmptyVar(env, "AWS_REGION")) return Checked(*r, "AWS_REGION");
  if (auto r = GetNonEmptyVar(env, "AWS_DEFAULT_REGION")) return Checked(*r, "AWS_DEFAULT_REGION");
  const std::string profile = SelectedProfile(env);
  if (config != nullptr) {
    if (auto r = config->Get(profile, "region")) return Checked(*r, "profile " + profile);
  }
  std::string metadata_failure = "not consulted";
  if (imds != nullptr) {
    auto r = imds->Region();
    if (r.ok()) return Checked(*r, "instance metadata");
    metadata_failure = r.status().message();
  }
  return Status(Code::kFailedPrecondition, "aws.no_region",
                "no AWS region: AWS_REGION and AWS_DEFAULT_REGION are unset, profile '" + profile +
                    "' has no region" +
                    (config ? " (in " + config->config_path + ")" : std::string()) +
                    ", and instance metadata: " + metadata_failure +
                    ". Fix: set AWS_REGION to the region the workload runs in (e.g. us-east-1)");
}

}  // namespace wifgate::aws
