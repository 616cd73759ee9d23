// Resolver: which user a verified workload identity logs in as.
//
// A VerifiedIdentity resolves to exactly one Principal, by its canonical key (the match
// key column is unique, so there is never a choice to make). A miss is a Status whose
// admin message explains it, for the server log and LOGIN_HISTORY: the identity that was
// verified, its key, and the nearest registered identities with why none matches (another
// account or partition, a role path mistaken for the name, a trailing slash on an issuer,
// a session-pinned registration). The client message names only the caller's own identity.
#ifndef WIFGATE_REGISTRY_RESOLVER_H_
#define WIFGATE_REGISTRY_RESOLVER_H_

#include <memory>

#include "registry/snapshot.h"
#include "verify/verified_identity.h"
#include "wifgate/status.h"

namespace wifgate::registry {

struct Principal {
  std::shared_ptr<const Snapshot> snapshot;  // keeps user and identity alive
  const User* user = nullptr;
  const WorkloadIdentity* identity = nullptr;
};

// Failures: "registry.identity_not_registered" (kPermissionDenied), with the explanation
// in the admin message.
Result<Principal> Resolve(std::shared_ptr<const Snapshot> snapshot,
                          const verify::VerifiedIdentity& identity);

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_RESOLVER_H_
