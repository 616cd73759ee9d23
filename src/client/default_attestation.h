// The attestation providers a connection uses when the application supplies none: the
// ones in src/attest (AWS, GCP, Azure, OIDC), built without any cloud SDK.
#ifndef WIFGATE_CLIENT_DEFAULT_ATTESTATION_H_
#define WIFGATE_CLIENT_DEFAULT_ATTESTATION_H_

#include <memory>

#include "net/http.h"
#include "wifgate/env.h"
#include "wifgate/workload_identity.h"

namespace wifgate::client {

// `env` and `http` must outlive the result.
std::unique_ptr<AttestationSource> MakeDefaultAttestationSource(Env& env, net::HttpClient& http);

}  // namespace wifgate::client

#endif  // WIFGATE_CLIENT_DEFAULT_ATTESTATION_H_
