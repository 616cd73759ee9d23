// StaticIssuerRegistry: an IssuerRegistry from a fixed list, for the CLI (`wifgate verify
// --config`), the dev fixtures and tests. The server uses the registry's own snapshot.
#ifndef WIFGATE_VERIFY_STATIC_ISSUER_REGISTRY_H_
#define WIFGATE_VERIFY_STATIC_ISSUER_REGISTRY_H_

#include <map>
#include <string>
#include <utility>

#include "verify/verifier.h"

namespace wifgate::verify {

class StaticIssuerRegistry : public IssuerRegistry {
 public:
  // Trusts `canonical_issuer` for `provider` with `policy`.
  void Add(Provider provider, std::string canonical_issuer, IssuerPolicy policy = {}) {
    issuers_[{provider, std::move(canonical_issuer)}] = std::move(policy);
  }

  std::optional<IssuerPolicy> Lookup(Provider provider,
                                     std::string_view canonical_issuer) const override {
    auto it = issuers_.find({provider, std::string(canonical_issuer)});
    if (it == issuers_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::pair<Provider, std::string>, IssuerPolicy> issuers_;
};

}  // namespace wifgate::verify

#endif  // WIFGATE_VERIFY_STATIC_ISSUER_REGISTRY_H_
