// IssuerDirectory: the registry's answer to a JWT verifier's question "is this issuer one
// we trust, and for which audiences?" (verify::IssuerRegistry).
//
// An issuer is trusted only while some workload identity names it, so a token from any
// other issuer is refused before its discovery document or keys are ever fetched. The
// index is rebuilt when the registry snapshot changes, and reads take no lock: a lookup is
// one hash-table probe per provider, keyed by the issuer as given (no copy).
#ifndef WIFGATE_SERVER_ISSUER_DIRECTORY_H_
#define WIFGATE_SERVER_ISSUER_DIRECTORY_H_

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "registry/snapshot.h"
#include "verify/verifier.h"

namespace wifgate::server {

class IssuerDirectory final : public verify::IssuerRegistry {
 public:
  explicit IssuerDirectory(registry::Registry& registry) : registry_(registry) {}

  std::optional<verify::IssuerPolicy> Lookup(verify::Provider provider,
                                             std::string_view canonical_issuer) const override;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using IssuerMap =
      std::unordered_map<std::string, verify::IssuerPolicy, StringHash, std::equal_to<>>;
  static constexpr size_t kProviders = static_cast<size_t>(verify::Provider::kOidc) + 1;
  struct Index {
    std::shared_ptr<const registry::Snapshot> snapshot;  // the one it was built from
    std::array<IssuerMap, kProviders> by_provider;       // indexed by verify::Provider
  };
  static std::shared_ptr<const Index> Build(std::shared_ptr<const registry::Snapshot> snapshot);

  registry::Registry& registry_;
  mutable std::mutex rebuild_mu_;
  mutable std::atomic<std::shared_ptr<const Index>> index_;
};

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_ISSUER_DIRECTORY_H_
