// Self-signed TLS certificates for `--dev` servers and tests.
//
// A dev server on https needs a certificate that clients can be told to trust (with
// BeastHttpClientOptions::ca_pem / ca_file); this makes one, with an ECDSA P-256 key and
// the given host names and IP addresses as subjectAltNames. Never used in production
// serving paths.
#ifndef WIFGATE_NET_SELF_SIGNED_CERT_H_
#define WIFGATE_NET_SELF_SIGNED_CERT_H_

#include <chrono>
#include <string>
#include <vector>

#include "wifgate/status.h"

namespace wifgate::net {

struct CertAndKey {
  std::string cert_pem;  // the certificate; also the CA to trust
  std::string key_pem;   // PKCS#8 private key
};

// `names` are DNS names ("localhost") or IP literals ("127.0.0.1", "::1"); the first is
// also the subject CN. The certificate is valid from one hour ago for `validity`.
Result<CertAndKey> MakeSelfSignedCert(const std::vector<std::string>& names,
                                      std::chrono::hours validity = std::chrono::hours(24 * 30));

}  // namespace wifgate::net

#endif  // WIFGATE_NET_SELF_SIGNED_CERT_H_
