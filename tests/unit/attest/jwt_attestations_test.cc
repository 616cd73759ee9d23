#include <gtest/gtest.h>

#include "attest/azure_attestation.h"
#include "attest/gcp_attestation.h"
#include "attest/jwt_token_info.h"
#include "attest/oidc_attestation.h"
#include "common/base64.h"
#include "fake_env.h"

namespace wifgate::attest {
namespace {

// An unsigned but well-shaped token: the client only checks the shape.
std::string FakeJwt(std::string_view iss, std::string_view sub) {
  return Base64UrlEncode(R"({"alg":"RS256"})") + "." +
         Base64UrlEncode(R"({"iss":")" + std::string(iss) + R"(","sub":")" + std::string(sub) +
                         R"("})") +
         "." + Base64UrlEncode("sig");
}

std::string ExplainValue(const AttestationResult& r, std::string_view key) {
  for (const ExplainItem& item : r.explain) {
    if (item.key == key) return item.value;
  }
  return "";
}

TEST(GcpAttestationTest, MetadataIdentityToken) {
  testing::FakeEnv env;
  env.vars["GCE_METADATA_HOST"] = "127.0.0.1:8999";
  testing::FakeHttpClient http;
  const std::string token = FakeJwt("https://accounts.google.com", "104");
  http.Respond(200, token + "\n");
  GcpAttestationProvider gcp(env, http, {});
  Result<AttestationResult> r = gcp.Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->attestation.provider, "GCP");
  EXPECT_EQ(r->attestation.token, token);
  EXPECT_EQ(ExplainValue(*r, "subject"), "104");
  ASSERT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(http.requests[0].url,
            "http://127.0.0.1:8999/computeMetadata/v1/instance/service-accounts/default/"
            "identity?audience=snowflakecomputing.com");
  EXPECT_EQ(net::FindHeader(http.requests[0].headers, "Metadata-Flavor"), "Google");
  EXPECT_FALSE(http.options[0].use_proxy);
}

TEST(GcpAttestationTest, ImpersonationThroughIamCredentials) {
  testing::FakeEnv env;
  testing::FakeHttpClient http;
  http.Respond(200, R"({"access_token":"at-1","expires_in":3599,"token_type":"Bearer"})");
  http.Respond(200, R"({"token":")" + FakeJwt("https://accounts.google.com", "999") + R"("})");
  GcpAttestationOptions options;
  options.metadata_host = "127.0.0.1:1";
  options.iam_credentials_url = "http://127.0.0.1:2";
  options.impersonation_path = {"a@p.iam.gserviceaccount.com", "b@p.iam.gserviceaccount.com"};
  Result<AttestationResult> r = GcpAttestationProvider(env, http, options).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ExplainValue(*r, "subject"), "999");
  ASSERT_EQ(http.requests.size(), 2u);
  EXPECT_EQ(http.requests[0].url,
            "http://127.0.0.1:1/computeMetadata/v1/instance/service-accounts/default/token");
  EXPECT_EQ(http.requests[1].url,
            "http://127.0.0.1:2/v1/projects/-/serviceAccounts/b%40p.iam.gserviceaccount.com:"
            "generateIdToken");
  EXPECT_EQ(net::FindHeader(http.requests[1].headers, "Authorization"), "Bearer at-1");
  EXPECT_EQ(http.requests[1].body,
            R"({"audience":"snowflakecomputing.com","delegates":["projects/-/serviceAccounts/)"
            R"(a@p.iam.gserviceaccount.com"],"includeEmail":true})");
  // The access token is a secret: it never shows in the explanation.
  for (const ExplainItem& item : r->explain) EXPECT_EQ(item.value.find("at-1"), std::string::npos);
}

TEST(GcpAttestationTest, Failures) {
  testing::FakeEnv env;
  testing::FakeHttpClient http;
  GcpAttestationOptions options;
  options.metadata_host = "127.0.0.1:1";
  EXPECT_EQ(GcpAttestationProvider(env, http, options).Attest().status().reason(),
            "gcp.metadata_unreachable");
  http.Respond(404, "");
  EXPECT_EQ(GcpAttestationProvider(env, http, options).Attest().status().reason(),
            "gcp.metadata_error");
  http.Respond(200, "<html>not a token</html>");
  EXPECT_EQ(GcpAttestationProvider(env, http, options).Attest().status().reason(),
            "attest.token_invalid");
  options.impersonation_path = {"a@p"};
  options.iam_credentials_url = "http://127.0.0.1:2";
  http.Respond(200, R"({"access_token":"at"})");
  http.Respond(403, R"({"error":{"code":403}})");
  EXPECT_EQ(GcpAttestationProvider(env, http, options).Attest().status().reason(),
            "gcp.impersonation_denied");
}

TEST(AzureAttestationTest, ImdsWithLowerCaseMetadataHeader) {
  testing::FakeEnv env;
  env.vars["WIFGATE_AZURE_IMDS_ENDPOINT"] = "http://127.0.0.1:3/metadata/identity/oauth2/token";
  env.vars["MANAGED_IDENTITY_CLIENT_ID"] = "cid-1";
  testing::FakeHttpClient http;
  const std::string token = FakeJwt("https://sts.windows.net/t/", "oid");
  http.Respond(200, R"({"access_token":")" + token + R"(","expires_in":"3599"})");
  Result<AttestationResult> r = AzureAttestationProvider(env, http, {}).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->attestation.provider, "AZURE");
  EXPECT_EQ(r->attestation.token, token);
  EXPECT_EQ(http.requests[0].url,
            "http://127.0.0.1:3/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
            "api%3A%2F%2Ffd3f753b-eed3-462c-b6a7-a4b5bb650aad&client_id=cid-1");
  EXPECT_EQ(net::FindHeader(http.requests[0].headers, "Metadata"), "true");
  EXPECT_FALSE(http.options[0].use_proxy);
}

TEST(AzureAttestationTest, FunctionsIdentityEndpoint) {
  testing::FakeEnv env;
  env.vars["IDENTITY_ENDPOINT"] = "http://127.0.0.1:4/msi/token";
  testing::FakeHttpClient http;
  EXPECT_EQ(AzureAttestationProvider(env, http, {}).Attest().status().reason(),
            "azure.identity_header_missing");
  env.vars["IDENTITY_HEADER"] = "secret-h";
  http.Respond(200, R"({"access_token":")" + FakeJwt("i", "s") + R"("})");
  AzureAttestationOptions options;
  options.resource = "api://non-standard";
  Result<AttestationResult> r = AzureAttestationProvider(env, http, options).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(
      http.requests.back().url,
      "http://127.0.0.1:4/msi/token?api-version=2019-08-01&resource=api%3A%2F%2Fnon-standard");
  EXPECT_EQ(net::FindHeader(http.requests.back().headers, "X-IDENTITY-HEADER"), "secret-h");
  for (const ExplainItem& item : r->explain)
    EXPECT_EQ(item.value.find("secret-h"), std::string::npos);
}

TEST(AzureAttestationTest, AksWorkloadIdentityExchange) {
  testing::FakeEnv env;
  env.vars["AZURE_FEDERATED_TOKEN_FILE"] = "/var/run/secrets/azure/tokens/azure-identity-token";
  env.files["/var/run/secrets/azure/tokens/azure-identity-token"] = "k8s.sa.token\n";
  env.vars["AZURE_AUTHORITY_HOST"] = "http://127.0.0.1:5/";
  env.vars["IDENTITY_ENDPOINT"] = "http://127.0.0.1:4/msi/token";  // AKS wins
  testing::FakeHttpClient http;
  EXPECT_EQ(AzureAttestationProvider(env, http, {}).Attest().status().reason(),
            "azure.workload_identity_incomplete");
  env.vars["AZURE_CLIENT_ID"] = "app-1";
  env.vars["AZURE_TENANT_ID"] = "tenant-1";
  http.Respond(200, R"({"access_token":")" + FakeJwt("i", "s") + R"("})");
  Result<AttestationResult> r = AzureAttestationProvider(env, http, {}).Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(http.requests[0].method, "POST");
  EXPECT_EQ(http.requests[0].url, "http://127.0.0.1:5/tenant-1/oauth2/v2.0/token");
  EXPECT_EQ(http.requests[0].body,
            "grant_type=client_credentials&client_id=app-1&scope=api%3A%2F%2Ffd3f753b-eed3-462c-"
            "b6a7-a4b5bb650aad%2F.default&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3A"
            "client-assertion-type%3Ajwt-bearer&client_assertion=k8s.sa.token");
}

TEST(AzureAttestationTest, FailuresAreNamed) {
  testing::FakeEnv env;
  env.vars["WIFGATE_AZURE_IMDS_ENDPOINT"] = "http://127.0.0.1:3/t";
  testing::FakeHttpClient http;
  EXPECT_EQ(AzureAttestationProvider(env, http, {}).Attest().status().reason(),
            "azure.identity_unreachable");
  http.Respond(400, R"({"error":"invalid_request"})");
  EXPECT_EQ(AzureAttestationProvider(env, http, {}).Attest().status().reason(),
            "azure.identity_error");
  http.Respond(200, R"({"token":"x"})");
  EXPECT_EQ(AzureAttestationProvider(env, http, {}).Attest().status().reason(),
            "azure.identity_error");
}

TEST(OidcAttestationTest, TokenFileIsReReadEveryTime) {
  testing::FakeEnv env;
  env.files["/t"] = FakeJwt("https://idp", "first") + "\n";
  OidcAttestationProvider oidc(env, {.token = "", .token_file = "/t"});
  Result<AttestationResult> r = oidc.Attest();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ExplainValue(*r, "subject"), "first");
  env.files["/t"] = FakeJwt("https://idp", "second");
  EXPECT_EQ(ExplainValue(*oidc.Attest(), "subject"), "second");
  env.files["/t"] = "garbage";
  EXPECT_EQ(oidc.Attest().status().reason(), "attest.token_invalid");
  env.files.erase("/t");
  EXPECT_EQ(oidc.Attest().status().reason(), "file.unreadable");
}

TEST(OidcAttestationTest, DirectTokenOrNothing) {
  testing::FakeEnv env;
  const std::string token = FakeJwt("https://idp", "s");
  Result<AttestationResult> r =
      OidcAttestationProvider(env, {.token = token, .token_file = ""}).Attest();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->attestation.provider, "OIDC");
  EXPECT_EQ(r->attestation.token, token);
  EXPECT_EQ(OidcAttestationProvider(env, {}).Attest().status().reason(),
            "attest.oidc_token_missing");
}

TEST(QueryEscapeTest, KeepsOnlyUnreserved) {
  EXPECT_EQ(QueryEscape("api://x/.default a+b~"), "api%3A%2F%2Fx%2F.default%20a%2Bb~");
}

}  // namespace
}  // namespace wifgate::attest
