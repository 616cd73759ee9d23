#include "server/issuer_directory.h"

#include <algorithm>

namespace wifgate::server {

std::shared_ptr<const IssuerDirectory::Index> IssuerDirectory::Build(
    std::shared_ptr<const registry::Snapshot> snapshot) {
  auto index = std::make_shared<Index>();
  index->snapshot = snapshot;
  for (const auto& user : snapshot->state().users) {
    for (const auto& identity : user.identities) {
      if (identity.issuer.empty()) continue;  // AWS SigV4 identities name no issuer
      verify::IssuerPolicy& policy =
          index->by_provider.at(static_cast<size_t>(identity.type))[identity.issuer];
      for (const auto& aud : identity.audiences) {
        if (std::find(policy.audiences.begin(), policy.audiences.end(), aud) ==
            policy.audiences.end()) {
          policy.audiences.push_back(aud);
        }
      }
    }
  }
  return index;
}

std::optional<verify::IssuerPolicy> IssuerDirectory::Lookup(
    verify::Provider provider, std::string_view canonical_issuer) const {
  auto snapshot = registry_.Current();
  std::shared_ptr<const registry::Snapshot> current =
      snapshot.ok() ? *snapshot : registry_.Published();
  auto index = index_.load();
  if (!index || index->snapshot != current) {
    std::lock_guard lock(rebuild_mu_);
    index = index_.load();
    if (!index || index->snapshot != current) {
      index = Build(current);
      index_.store(index);
    }
  }
  const IssuerMap& issuers = index->by_provider.at(static_cast<size_t>(provider));
  auto it = issuers.find(canonical_issuer);
  if (it == issuers.end()) return std::nullopt;
  return it->second;
}

}  // namespace wifgate::server
