// Login history: the LOGIN_HISTORY row for a workload identity login, success or failure.
//
// The row keeps the full story for administrators — the verified identity, its key, the
// identity it matched and the admin message of a failure — and never a credential.
#ifndef WIFGATE_REGISTRY_LOGIN_HISTORY_H_
#define WIFGATE_REGISTRY_LOGIN_HISTORY_H_

#include <optional>
#include <string>

#include "registry/resolver.h"

namespace wifgate::registry {

struct ClientInfo {
  std::string ip;
  std::string client_type;     // REPORTED_CLIENT_TYPE, e.g. "JAVASCRIPT_DRIVER"
  std::string client_version;  // REPORTED_CLIENT_VERSION
};

// What is known about one login attempt when it ends, whatever the authenticator.
struct LoginAttempt {
  std::string factor;    // FIRST_AUTHENTICATION_FACTOR: WORKLOAD_IDENTITY, PASSWORD, RSA_KEYPAIR
  std::string provider;  // PROVIDER as sent (WORKLOAD_IDENTITY only)
  const verify::VerifiedIdentity* identity = nullptr;   // null until verified
  std::optional<std::string> user_name;                 // null until a user is known
  const WorkloadIdentity* workload_identity = nullptr;  // the identity it matched, if any
};

// The row for `attempt`; `outcome` is OK for a success.
LoginEvent MakeLoginEvent(const LoginAttempt& attempt, const Status& outcome,
                          const ClientInfo& client, int64_t now);

// A workload identity login: `identity` is null when verification failed before an
// identity was known; `principal` is null when resolution failed.
LoginEvent WorkloadLoginEvent(const verify::VerifiedIdentity* identity, const Principal* principal,
                              const Status& outcome, const ClientInfo& client, int64_t now);

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_LOGIN_HISTORY_H_
