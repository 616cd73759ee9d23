#include "verify/aws_sts_hosts.h"

namespace wifgate::verify {
namespace {

// Regions with an STS endpoint, per partition. A closed table on purpose: a region AWS
// opens later is added here (or by configuration), never accepted by pattern.
constexpr std::string_view kAwsRegions[] = {
    "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "af-south-1",
    "ap-east-1",      "ap-east-2",      "ap-south-1",     "ap-south-2",     "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ca-central-1",   "ca-west-1",
    "eu-central-1",   "eu-central-2",   "eu-west-1",      "eu-west-2",      "eu-west-3",
    "eu-south-1",     "eu-south-2",     "eu-north-1",     "il-central-1",   "me-south-1",
    "me-central-1",   "mx-central-1",   "sa-east-1",
};
// Regions whose STS has a separate FIPS host (sts-fips.<region>.amazonaws.com).
constexpr std::string_view kAwsFipsRegions[] = {"us-east-1", "us-east-2",    "us-west-1",
                                                "us-west-2", "ca-central-1", "ca-west-1"};
constexpr std::string_view kCnRegions[] = {"cn-north-1", "cn-northwest-1"};
// GovCloud's regional STS endpoints are FIPS endpoints already; both spellings exist.
constexpr std::string_view kGovRegions[] = {"us-gov-west-1", "us-gov-east-1"};

}  // namespace

StsHostAllowList::StsHostAllowList() : StsHostAllowList({"aws", "aws-cn", "aws-us-gov"}) {}

StsHostAllowList::StsHostAllowList(const std::set<std::string>& partitions) {
  auto add = [this](std::string host, std::string_view region, std::string partition, bool fips) {
    Add(StsEndpoint{std::move(host), std::string(region), std::move(partition), fips});
  };
  if (partitions.contains("aws")) {
    for (auto r : kAwsRegions) add("sts." + std::string(r) + ".amazonaws.com", r, "aws", false);
    for (auto r : kAwsFipsRegions) {
      add("sts-fips." + std::string(r) + ".amazonaws.com", r, "aws", true);
    }
  }
  if (partitions.contains("aws-cn")) {
    for (auto r : kCnRegions)
      add("sts." + std::string(r) + ".amazonaws.com.cn", r, "aws-cn", false);
  }
  if (partitions.contains("aws-us-gov")) {
    for (auto r : kGovRegions) {
      add("sts." + std::string(r) + ".amazonaws.com", r, "aws-us-gov", true);
      add("sts-fips." + std::string(r) + ".amazonaws.com", r, "aws-us-gov", true);
    }
  }
}

void StsHostAllowList::Add(StsEndpoint endpoint) {
  std::string host = endpoint.host;
  by_host_[host] = std::move(endpoint);
}

std::optional<StsEndpoint> StsHostAllowList::Find(std::string_view host) const {
  auto it = by_host_.find(host);
  if (it == by_host_.end()) return std::nullopt;
  return it->second;
}

std::vector<StsEndpoint> StsHostAllowList::endpoints() const {
  std::vector<StsEndpoint> out;
  out.reserve(by_host_.size());
  for (const auto& [host, endpoint] : by_host_) out.push_back(endpoint);
  return out;
}

std::vector<StsEndpoint> StsHostAllowList::Endpoints() const {
  std::vector<StsEndpoint> out;
  for (const auto& [host, endpoint] : by_host_) out.push_back(endpoint);
  return out;
}

}  // namespace wifgate::verify
