// Store: where the registry lives durably. SQLite today (registry/sqlite_store.h); a
// PostgreSQL backend, for several servers sharing one registry, implements the same
// interface.
//
// Writes are whole-state transactions: Update() loads the current state inside one
// serialisable write transaction, lets the caller change it in memory (with all the
// validation in registry/catalog.h), and writes back the difference. A failing change
// writes nothing, two processes' changes serialise, and a change is acknowledged only once
// it is durable. Every committed change bumps Version(), a cheap counter that lets a
// process notice another process's writes.
#ifndef WIFGATE_REGISTRY_STORE_H_
#define WIFGATE_REGISTRY_STORE_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "registry/model.h"
#include "wifgate/status.h"

namespace wifgate::registry {

class Store {
 public:
  using Change = std::function<Status(RegistryState& state)>;

  virtual ~Store() = default;

  // The whole registry (login history aside), consistent as of one commit.
  virtual Result<RegistryState> Load() = 0;

  // The change counter; moves on every committed Update by any process.
  virtual Result<uint64_t> Version() = 0;

  // Applies `change` atomically and returns the new state (ids assigned, version set).
  // When `change` fails, nothing is written and its Status is returned.
  virtual Result<RegistryState> Update(const Change& change) = 0;

  // Appends a login event (assigning its event_id, which is returned). A successful login
  // through a workload identity also sets that identity's and its user's last-used time.
  // Neither moves Version(): login bookkeeping does not change who may log in.
  virtual Result<int64_t> RecordLogin(const LoginEvent& event) = 0;

  // All login events, oldest first.
  virtual Result<std::vector<LoginEvent>> LoginHistory() = 0;
};

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_STORE_H_
