// Snapshot: an immutable, indexed copy of the registry for the login path, and Registry,
// which publishes a new Snapshot after every committed change.
//
// Logins read the published snapshot through an atomic shared_ptr and take no lock. To see
// changes made by another process (`wifgate sql --data DIR` while a server runs on DIR),
// Current() first compares the store's version with the snapshot's, and reloads when it
// moved. A change committed by a writer that raises the store's change signal (every
// current wifgate process: this server, `wifgate sql`) is visible to the next login; one
// committed by any other writer (the sqlite3 shell, an older wifgate) only once the store
// re-reads its version, within SqliteStoreOptions::version_recheck (1 s by default).
// Store::Version() is what keeps this cheap (for SQLite, one load from a shared counter
// while nothing changed), so Current() is safe to call several times per login.
#ifndef WIFGATE_REGISTRY_SNAPSHOT_H_
#define WIFGATE_REGISTRY_SNAPSHOT_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "registry/model.h"
#include "registry/store.h"

namespace wifgate::registry {

class Snapshot {
 public:
  struct Entry {
    const User* user = nullptr;
    const WorkloadIdentity* identity = nullptr;
  };

  explicit Snapshot(RegistryState state);
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  const RegistryState& state() const { return state_; }
  uint64_t version() const { return state_.version; }
  // The identity registered under a canonical match key, if any.
  const Entry* FindByKey(std::string_view match_key) const;

 private:
  RegistryState state_;
  std::unordered_map<std::string_view, Entry> by_key_;  // views into state_
};

class Registry {
 public:
  static Result<std::unique_ptr<Registry>> Open(std::unique_ptr<Store> store);

  // The snapshot as last published; never blocks.
  std::shared_ptr<const Snapshot> Published() const { return published_.load(); }

  // The snapshot, reloaded first if any process committed a change since it was built.
  Result<std::shared_ptr<const Snapshot>> Current();

  // Applies `change` in the store and publishes the resulting state.
  Result<std::shared_ptr<const Snapshot>> Update(const Store::Change& change);

  Store& store() { return *store_; }

 private:
  explicit Registry(std::unique_ptr<Store> store) : store_(std::move(store)) {}
  void Publish(std::shared_ptr<const Snapshot> snapshot);

  std::unique_ptr<Store> store_;
  std::atomic<std::shared_ptr<const Snapshot>> published_;
  std::mutex reload_mu_;  // one reload at a time; readers never wait on it
};

}  // namespace wifgate::registry

#endif  // WIFGATE_REGISTRY_SNAPSHOT_H_
