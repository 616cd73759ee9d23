#include "registry/snapshot.h"

namespace wifgate::registry {

Snapshot::Snapshot(RegistryState state) : state_(std::move(state)) {
  for (const auto& u : state_.users) {
    for (const auto& w : u.identities) by_key_[w.match_key] = Entry{&u, &w};
  }
}

const Snapshot::Entry* Snapshot::FindByKey(std::string_view match_key) const {
  auto it = by_key_.find(match_key);
  return it == by_key_.end() ? nullptr : &it->second;
}

Result<std::unique_ptr<Registry>> Registry::Open(std::unique_ptr<Store> store) {
  WIFGATE_ASSIGN_OR_RETURN(RegistryState state, store->Load());
  std::unique_ptr<Registry> registry(new Registry(std::move(store)));
  registry->published_.store(std::make_shared<const Snapshot>(std::move(state)));
  return registry;
}

Result<std::shared_ptr<const Snapshot>> Registry::Current() {
  std::shared_ptr<const Snapshot> snapshot = published_.load();
  WIFGATE_ASSIGN_OR_RETURN(uint64_t version, store_->Version());
  if (version == snapshot->version()) return snapshot;
  std::lock_guard lock(reload_mu_);
  snapshot = published_.load();
  if (snapshot->version() >= version) return snapshot;  // another thread reloaded meanwhile
  WIFGATE_ASSIGN_OR_RETURN(RegistryState state, store_->Load());
  auto fresh = std::make_shared<const Snapshot>(std::move(state));
  Publish(fresh);
  return fresh;
}

Result<std::shared_ptr<const Snapshot>> Registry::Update(const Store::Change& change) {
  WIFGATE_ASSIGN_OR_RETURN(RegistryState state, store_->Update(change));
  auto fresh = std::make_shared<const Snapshot>(std::move(state));
  std::lock_guard lock(reload_mu_);
  Publish(fresh);
  return fresh;
}

// Publishes only forward, so that a slow reload never replaces a newer snapshot.
void Registry::Publish(std::shared_ptr<const Snapshot> snapshot) {
  if (published_.load()->version() < snapshot->version()) published_.store(std::move(snapshot));
}

}  // namespace wifgate::registry
