// DevIdpServer: serves a DevIdp over HTTP on loopback — discovery and JWKS for each issuer
// it plays, and the endpoints a workload fetches its token from, so the client-side
// attestation code is exercised end to end without any cloud:
//
//   GET  /{oidc,gcp,azure/<t>/v2.0,azure-v1/<t>}/.well-known/openid-configuration, /jwks
//   GET  /computeMetadata/v1/instance/service-accounts/default/identity?audience=A
//        (header Metadata-Flavor: Google)                       GCP metadata ID token
//   GET  /computeMetadata/v1/instance/service-accounts/default/token   access token
//   POST /v1/projects/-/serviceAccounts/<sa>:generateIdToken    IAM Credentials (bearer)
//   GET  /metadata/identity/oauth2/token?resource=R             Azure IMDS (Metadata: true)
//   GET  /msi/token?resource=R     Azure Functions/App Service (X-IDENTITY-HEADER: secret)
//   POST /azure/<t>/oauth2/v2.0/token  client credentials with a federated assertion (AKS)
//   POST /rotate                       rotates the signing keys
//
// Routes are installed on a caller-owned net::HttpServer, so `wifgate serve --dev` can
// host them beside its own.
#ifndef WIFGATE_DEV_DEV_IDP_SERVER_H_
#define WIFGATE_DEV_DEV_IDP_SERVER_H_

#include <string>

#include "dev/dev_idp.h"
#include "net/http_server.h"

namespace wifgate::dev {

// The secrets a workload presents to the dev endpoints, as the cloud would inject them.
struct DevWorkloadSecrets {
  std::string identity_header = "dev-identity-header";  // Azure IDENTITY_HEADER
  std::string gcp_access_token = "dev-gcp-access-token";
};

// Adds the dev IdP's routes to `server`. `idp` must outlive the server.
void InstallDevIdpRoutes(net::HttpServer& server, DevIdp& idp, DevWorkloadSecrets secrets = {});

// The numeric "unique id" the dev IAM Credentials endpoint gives service account `email`.
std::string DevServiceAccountId(std::string_view email);

}  // namespace wifgate::dev

#endif  // WIFGATE_DEV_DEV_IDP_SERVER_H_
