// The closed allow-list of STS endpoints an AWS attestation may name.
//
// The client chooses the URL in its attestation, and whoever answers that URL decides who
// the caller is; so the host must be one of AWS's own STS endpoints, matched exactly
// against a fixed table (Teleport's approach), never by pattern or suffix. Each entry also
// says which partition and region the host belongs to, so the credential scope in the
// Authorization header can be checked against it and the verified ARN against the
// partition. Hosts outside AWS's table (private endpoints, new partitions) are added only
// by configuration.
#ifndef WIFGATE_VERIFY_AWS_STS_HOSTS_H_
#define WIFGATE_VERIFY_AWS_STS_HOSTS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wifgate::verify {

struct StsEndpoint {
  std::string host;       // "sts.us-east-1.amazonaws.com"
  std::string region;     // "us-east-1": the region a SigV4 credential scope must name
  std::string partition;  // "aws", "aws-cn", "aws-us-gov"
  bool fips = false;
};

class StsHostAllowList {
 public:
  // AWS's regional and FIPS STS endpoints for the given partitions ("aws", "aws-cn",
  // "aws-us-gov"); unknown partition names contribute nothing.
  explicit StsHostAllowList(const std::set<std::string>& partitions);
  // All three partitions.
  StsHostAllowList();

  // Adds a configured endpoint (for example a VPC endpoint or "sts.sc2s.sgov.gov").
  void Add(StsEndpoint endpoint);

  // The entry whose host is byte-for-byte `host`; nullopt otherwise. No case folding, no
  // trailing-dot or port stripping: those spellings are refused, not normalised.
  std::optional<StsEndpoint> Find(std::string_view host) const;

  size_t size() const { return by_host_.size(); }
  // Every entry, ordered by host.
  std::vector<StsEndpoint> Endpoints() const;
  // Every allow-listed endpoint, ordered by host.
  std::vector<StsEndpoint> endpoints() const;

 private:
  std::map<std::string, StsEndpoint, std::less<>> by_host_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_AWS_STS_HOSTS_H_
