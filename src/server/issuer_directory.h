// IssuerDirectory: the registry's answer to a JWT verifier's question "is this issuer one
// we trust, and for which audiences?" (verify::IssuerRegistry).
//
// An issuer is trusted only while some workload identity names it, so a token from any
// other issuer is refused before its discovery document or keys are ever fetched. The
// index is rebuilt when the registry snapshot changes, and reads take no lock.
#ifndef WIFGATE_SERVER_ISSUER_DIRECTORY_H_
#define WIFGATE_SERVER_ISSUER_DIRECTORY_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "registry/snapshot.h"
#include "verify/verifier.h"

namespace wifgate::server {

class IssuerDirectory final : public verify::IssuerRegistry {
 public:
  explicit IssuerDirectory(registry::Registry& registry) : registry_(registry) {}

  std::optional<verify::IssuerPolicy> Lookup(verify::Provider provider,
                                             std::string_view canonical_issuer) const override;

 private:
  struct Index {
    std::shared_ptr<const registry::Snapshot> snapshot;
    std::map<std::pair<verify::Provider, std::string>, verify::IssuerPolicy, std::less<>> issuers;
  };
  static std::shared_ptr<const Index> Build(std::shared_ptr<const registry::Snapshot> snapshot);

  registry::Registry& registry_;
  mutable std::mutex rebuild_mu_;
  mutable std::atomic<std::shared_ptr<const Index>> index_;
};

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_ISSUER_DIRECTORY_H_
