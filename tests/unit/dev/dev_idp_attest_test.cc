// The client attestations (attest/gcp, azure, oidc) against the dev IdP on 127.0.0.1, and
// their tokens through the server-side verifiers: both sides of each JWT provider, end to
// end, with no cloud.
#include <gtest/gtest.h>

#include "attest/azure_attestation.h"
#include "attest/gcp_attestation.h"
#include "attest/oidc_attestation.h"
#include "dev/dev_idp.h"
#include "dev/dev_idp_server.h"
#include "fake_env.h"
#include "jwt/jwks_cache.h"
#include "jwt/jwks_fetcher.h"
#include "net/beast_http_client.h"
#include "net/http_server.h"
#include "verify/azure_verifier.h"
#include "verify/gcp_verifier.h"
#include "verify/oidc_verifier.h"
#include "verify/static_issuer_registry.h"

namespace wifgate::dev {
namespace {

using verify::Provider;

class DevIdpAttestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Listen().ok());
    DevIdpOptions options;
    options.base_url = server_.base_url();
    idp_ = std::move(DevIdp::Open(Env::Default(), options)).value();
    InstallDevIdpRoutes(server_, *idp_);
    ASSERT_TRUE(server_.Start().ok());
    host_ = server_.base_url().substr(std::string_view("http://").size());
    registry_.Add(Provider::kGcp, "https://accounts.google.com");
    registry_.Add(Provider::kAzure,
                  "https://login.microsoftonline.com/" + idp_->options().tenant + "/v2.0");
    registry_.Add(Provider::kOidc, idp_->IssuerUrl(IdpKind::kOidc));
  }
  void TearDown() override { server_.Stop(std::chrono::milliseconds(100)); }

  Result<verify::VerifiedIdentity> VerifyGcp(const std::string& token) {
    verify::GcpVerifierOptions o;
    o.issuer = idp_->IssuerUrl(IdpKind::kGcp);
    o.allow_insecure = true;
    return verify::GcpVerifier(cache_, registry_, Env::Default(), o).Verify(token);
  }
  Result<verify::VerifiedIdentity> VerifyAzure(const std::string& token) {
    verify::AzureVerifierOptions o;
    o.v1_prefix = server_.base_url() + "/azure-v1/";
    o.v2_prefix = server_.base_url() + "/azure/";
    o.allow_insecure = true;
    return verify::AzureVerifier(cache_, registry_, Env::Default(), o).Verify(token);
  }

  net::HttpServer server_{net::HttpServerOptions{}};
  std::unique_ptr<DevIdp> idp_;
  std::string host_;
  testing::FakeEnv env_;  // the workload's environment variables and files
  net::BeastHttpClient http_{Env::Default()};
  jwt::HttpJwksFetcher fetcher_{http_};
  jwt::JwksCache cache_{fetcher_, Env::Default()};
  verify::StaticIssuerRegistry registry_;
};

TEST_F(DevIdpAttestTest, GcpMetadataAndImpersonation) {
  env_.vars["GCE_METADATA_HOST"] = host_;
  Result<attest::AttestationResult> r = attest::GcpAttestationProvider(env_, http_, {}).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Result<verify::VerifiedIdentity> id = VerifyGcp(r->attestation.token);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->subject, idp_->options().gcp_subject);

  attest::GcpAttestationOptions options;
  options.iam_credentials_url = server_.base_url();
  options.impersonation_path = {"hop@p.iam.gserviceaccount.com", "last@p.iam.gserviceaccount.com"};
  r = attest::GcpAttestationProvider(env_, http_, options).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  id = VerifyGcp(r->attestation.token);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->subject, DevServiceAccountId("last@p.iam.gserviceaccount.com"));
}

TEST_F(DevIdpAttestTest, AzureImdsFunctionsAndAks) {
  env_.vars["WIFGATE_AZURE_IMDS_ENDPOINT"] = server_.base_url() + "/metadata/identity/oauth2/token";
  Result<attest::AttestationResult> r = attest::AzureAttestationProvider(env_, http_, {}).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Result<verify::VerifiedIdentity> id = VerifyAzure(r->attestation.token);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->subject, idp_->options().azure_object_id);

  env_.vars["IDENTITY_ENDPOINT"] = server_.base_url() + "/msi/token";
  env_.vars["IDENTITY_HEADER"] = "dev-identity-header";
  r = attest::AzureAttestationProvider(env_, http_, {}).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(VerifyAzure(r->attestation.token).ok());

  MintRequest k8s;
  k8s.kind = IdpKind::kOidc;
  k8s.subject = "system:serviceaccount:default:workload";
  k8s.audiences = {"api://AzureADTokenExchange"};
  env_.files["/aks/token"] = *idp_->Mint(k8s);
  env_.vars["AZURE_FEDERATED_TOKEN_FILE"] = "/aks/token";
  env_.vars["AZURE_CLIENT_ID"] = "app-1";
  env_.vars["AZURE_TENANT_ID"] = idp_->options().tenant;
  env_.vars["AZURE_AUTHORITY_HOST"] = server_.base_url() + "/azure";
  r = attest::AzureAttestationProvider(env_, http_, {}).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  id = VerifyAzure(r->attestation.token);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_NE(id->jwt->subject, idp_->options().azure_object_id);  // the app's own identity
}

TEST_F(DevIdpAttestTest, OidcTokenFile) {
  MintRequest req;
  req.kind = IdpKind::kOidc;
  req.subject = "system:serviceaccount:ns:sa";
  env_.files["/var/run/token"] = *idp_->Mint(req);
  attest::OidcAttestationOptions options;
  options.token_file = "/var/run/token";
  Result<attest::AttestationResult> r = attest::OidcAttestationProvider(env_, options).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  verify::OidcVerifierOptions o;
  o.issuers[idp_->IssuerUrl(IdpKind::kOidc)].allow_insecure = true;
  Result<verify::VerifiedIdentity> id =
      verify::OidcVerifier(cache_, registry_, Env::Default(), o).Verify(r->attestation.token);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->jwt->subject, "system:serviceaccount:ns:sa");
}

}  // namespace
}  // namespace wifgate::dev
