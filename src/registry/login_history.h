// Login history: the LOGIN_HISTORY row for a workload identity login, success or failure.
//
// The row keeps the full story for administrators — the verified identity, its key, the
// identity it matched and the admin message of a failure — and never a credential.
#ifndef WIFGATE_REGISTRY_LOGIN_HISTORY_H_
#define WIFGATE_REGISTRY_LOGIN_HISTORY_H_

#include <string>

#include "registry/resolver.h"

namespace wifgate::registry {

struct ClientInfo {
  std::string ip;
  std::string client_type;     // REPORTED_CLIENT_TYPE, e.g. "JAVASCRIPT_DRIVER"
  std::string client_version;  // REPORTED_CLIENT_VERSION
};

// `identity` is null when verification failed before an identity was known; `principal`
// is null when resolution failed. `outcome` is OK for a success.
LoginEvent WorkloadLoginEvent(const verify::VerifiedIdentity* identity, const Principal* principal,
                              const Status& outcome, const ClientInfo& client, int64_t now);

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_LOGIN_HISTORY_H_
