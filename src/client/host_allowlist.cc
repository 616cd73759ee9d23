#include "client/host_allowlist.h"

#include <array>
#include <string_view>

#include "common/strings.h"

namespace wifgate::client {
namespace {

constexpr std::array<std::string_view, 3> kSnowflakeDomains = {
    "snowflakecomputing.com", "snowflakecomputing.cn", "snowflakecomputing.mil"};

// `host` is `domain` or a subdomain of it, on a label boundary.
bool InDomain(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  return host.size() > domain.size() && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

bool IsLoopback(const net::ParsedUrl& url) {
  if (!url.host_is_ip) return url.host == "localhost";
  return url.host.starts_with("127.") || url.host == "::1";
}

}  // namespace

std::vector<std::string> AllowedHostEntries(const std::vector<std::string>& configured,
                                            const Env& env) {
  std::vector<std::string> out;
  auto add = [&out](std::string_view entry) {
    entry = TrimWhitespace(entry);
    while (entry.starts_with('.')) entry.remove_prefix(1);
    if (!entry.empty()) out.push_back(AsciiLower(entry));
  };
  for (const std::string& entry : configured) add(entry);
  if (auto var = GetNonEmptyVar(env, "SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES")) {
    for (std::string_view entry : Split(*var, ',')) add(entry);
  }
  return out;
}

Status CheckAttestationDestination(const net::ParsedUrl& url,
                                   const std::vector<std::string>& extra_entries) {
  bool allowed = false;
  if (!url.host_is_ip) {
    for (std::string_view domain : kSnowflakeDomains)
      allowed = allowed || InDomain(url.host, domain);
  }
  for (const std::string& entry : extra_entries) {
    // IP literals match exactly; "x.127.0.0.1" is not an address inside 127.0.0.1.
    allowed = allowed || (url.host_is_ip ? url.host == entry : InDomain(url.host, entry));
  }
  if (!allowed) {
    return Status(Code::kPermissionDenied, "client.wif_host_not_allowed",
                  "WORKLOAD_IDENTITY sends a replayable attestation, so it is only sent to "
                  "*.snowflakecomputing.com/.cn/.mil or to an allowed host; \"" +
                      url.host +
                      "\" is neither. If this server is yours, add it to allowed_hosts "
                      "(--allowed-host) or SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES");
  }
  if (!url.https && !IsLoopback(url)) {
    return Status(Code::kPermissionDenied, "client.wif_insecure_transport",
                  "refusing to send an attestation over plain http to " + url.host +
                      "; use https (plain http is accepted only for loopback addresses)");
  }
  return Status::Ok();
}

}  // namespace wifgate::client
