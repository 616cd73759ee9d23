// Workload identity options, and the seam through which a connection obtains an attestation.
//
// An attestation is the proof of identity a workload sends in a WORKLOAD_IDENTITY login:
// for AWS a SigV4-signed sts:GetCallerIdentity request (or, with the outbound token, a JWT
// from sts:GetWebIdentityToken); for GCP, Azure and OIDC a JWT issued to the workload. The
// library builds them itself, with no cloud SDK; AttestationSource lets an application
// (or a test) supply them instead.
#ifndef WIFGATE_WORKLOAD_IDENTITY_H_
#define WIFGATE_WORKLOAD_IDENTITY_H_

#include <string>
#include <vector>

#include "wifgate/status.h"

namespace wifgate {

struct WorkloadIdentityOptions {
  std::string provider;  // "AWS", "GCP", "AZURE" or "OIDC" (any case)
  // Identities to impersonate in turn before attesting, the last one being the identity
  // the server sees: role ARNs for AWS, service-account emails for GCP.
  std::vector<std::string> impersonation_path;
  bool aws_use_outbound_token = false;  // AWS: send a GetWebIdentityToken JWT instead
  std::string token;                    // OIDC: the token itself...
  std::string token_file;               // ...or a file holding it
  std::string azure_entra_resource;     // AZURE: the application ID URI to request
};

// What the connection puts in the login's PROVIDER and TOKEN fields.
struct Attestation {
  std::string provider;  // upper case
  std::string token;     // a secret: never logged, never put in an error
};

class AttestationSource {
 public:
  virtual ~AttestationSource() = default;
  // Called only after the destination host has passed the allow-list.
  virtual Result<Attestation> Attest(const WorkloadIdentityOptions& options) = 0;
};

}  // namespace wifgate

#endif  // WIFGATE_WORKLOAD_IDENTITY_H_
