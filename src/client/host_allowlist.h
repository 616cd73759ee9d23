// The hosts a workload identity attestation may be sent to.
//
// An attestation is a bearer credential for a few minutes: any host that receives it can log
// in as the workload elsewhere. So a connection sends it only to Snowflake's own domains
// (snowflakecomputing.com, .cn, .mil and their subdomains, privatelink included) or to
// hosts the application names, and decides this before any cloud credential is read
// (spec wif.md §3.3; the Node connector's host_allowlist). Over plain http an attestation
// may go only to a loopback address, where a local wifgate listens.
#ifndef WIFGATE_CLIENT_HOST_ALLOWLIST_H_
#define WIFGATE_CLIENT_HOST_ALLOWLIST_H_

#include <string>
#include <vector>

#include "net/url.h"
#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate::client {

// The application's extra entries: `configured`, plus the comma-separated
// SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES variable (the official connectors' escape hatch).
// An entry matches the host itself and, for names, its subdomains; a leading '.' is ignored.
std::vector<std::string> AllowedHostEntries(const std::vector<std::string>& configured,
                                            const Env& env);

// OK when an attestation may be sent to `url`; otherwise client.wif_host_not_allowed or
// client.wif_insecure_transport (kPermissionDenied), naming the host and the fix.
Status CheckAttestationDestination(const net::ParsedUrl& url,
                                   const std::vector<std::string>& extra_entries);

}  // namespace wifgate::client

#endif  // WIFGATE_CLIENT_HOST_ALLOWLIST_H_
