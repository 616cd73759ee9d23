#include "attest/azure_attestation.h"

#include <boost/json.hpp>
#include <optional>

#include "attest/jwt_token_info.h"
#include "common/json.h"
#include "common/strings.h"

namespace wifgate::attest {
namespace {

namespace json = boost::json;

constexpr std::string_view kDefaultImds = "http://169.254.169.254/metadata/identity/oauth2/token";

}  // namespace

Result<std::string> AzureAttestationProvider::AccessToken(const net::HttpRequest& request,
                                                          const net::HttpOptions& options,
                                                          std::string_view source) {
  Result<net::HttpResponse> response = http_.Send(request, options);
  if (!response.ok()) {
    return Status(Code::kUnavailable, "azure.identity_unreachable",
                  std::string(source) + " is unreachable (" + response.status().reason() +
                      "); run on Azure with a managed identity, or configure the endpoint");
  }
  if (response->status != 200) {
    return Status(Code::kUnavailable, "azure.identity_error",
                  std::string(source) + " answered HTTP " + std::to_string(response->status) +
                      "; check that the identity exists and may request " + options_.resource);
  }
  Result<json::value> doc = ParseStrictJson(response->body);
  std::optional<std::string> token;
  if (doc.ok() && doc->is_object()) token = GetString(doc->as_object(), "access_token");
  if (!token) {
    return Status(Code::kUnavailable, "azure.identity_error",
                  std::string(source) + " returned no access_token");
  }
  return *token;
}

Result<std::string> AzureAttestationProvider::FromFederatedToken(const std::string& token_file,
                                                                 std::string_view assertion_text,
                                                                 AttestationResult& result) {
  std::optional<std::string> client_id = GetNonEmptyVar(env_, "AZURE_CLIENT_ID");
  std::optional<std::string> tenant_id = GetNonEmptyVar(env_, "AZURE_TENANT_ID");
  if (!client_id || !tenant_id) {
    return Status(Code::kFailedPrecondition, "azure.workload_identity_incomplete",
                  "AZURE_FEDERATED_TOKEN_FILE is set but AZURE_CLIENT_ID or AZURE_TENANT_ID is "
                  "not; AKS workload identity injects all three");
  }
  std::string assertion(TrimWhitespace(assertion_text));
  std::string authority = options_.authority_host;
  if (authority.empty()) {
    authority =
        GetNonEmptyVar(env_, "AZURE_AUTHORITY_HOST").value_or("https://login.microsoftonline.com");
  }
  if (authority.ends_with('/')) authority.pop_back();
  result.explain.push_back({"credential source", "AKS workload identity (" + token_file + ")"});
  result.explain.push_back({"client id", *client_id});
  net::HttpRequest request;
  request.method = "POST";
  request.url = authority + "/" + QueryEscape(*tenant_id) + "/oauth2/v2.0/token";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = "grant_type=client_credentials&client_id=" + QueryEscape(*client_id) +
                 "&scope=" + QueryEscape(options_.resource + "/.default") +
                 "&client_assertion_type=" +
                 QueryEscape("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                 "&client_assertion=" + QueryEscape(assertion);
  return AccessToken(request, {}, "the Entra token endpoint");
}

Result<std::string> AzureAttestationProvider::FromManagedIdentity(AttestationResult& result) {
  std::optional<std::string> client_id = GetNonEmptyVar(env_, "MANAGED_IDENTITY_CLIENT_ID");
  std::string query = "&resource=" + QueryEscape(options_.resource);
  if (client_id) query += "&client_id=" + QueryEscape(*client_id);
  net::HttpRequest request;
  net::HttpOptions options;
  options.timeout = options_.metadata_timeout;
  options.use_proxy = false;
  options.max_response_bytes = 64 * 1024;
  if (std::optional<std::string> endpoint = GetNonEmptyVar(env_, "IDENTITY_ENDPOINT")) {
    std::optional<std::string> header = GetNonEmptyVar(env_, "IDENTITY_HEADER");
    if (!header) {
      return Status(Code::kFailedPrecondition, "azure.identity_header_missing",
                    "IDENTITY_ENDPOINT is set but IDENTITY_HEADER is not: managed identity is "
                    "not enabled on this Azure Function / App Service");
    }
    result.explain.push_back({"credential source", "App Service identity endpoint " + *endpoint});
    request.url = *endpoint + "?api-version=2019-08-01" + query;
    request.headers = {{"X-IDENTITY-HEADER", *header}};
    return AccessToken(request, options, "the App Service identity endpoint");
  }
  std::string imds = options_.imds_endpoint;
  if (imds.empty())
    imds = GetNonEmptyVar(env_, "WIFGATE_AZURE_IMDS_ENDPOINT").value_or(std::string(kDefaultImds));
  result.explain.push_back({"credential source", "IMDS " + imds});
  request.url = imds + "?api-version=2018-02-01" + query;
  request.headers = {{"Metadata", "true"}};
  return AccessToken(request, options, "Azure IMDS");
}

Result<AttestationResult> AzureAttestationProvider::Attest() {
  AttestationResult result;
  result.explain.push_back({"resource", options_.resource});
  std::string token;
  std::optional<std::string> token_file = GetNonEmptyVar(env_, "AZURE_FEDERATED_TOKEN_FILE");
  std::optional<std::string> federated;  // the AKS token file's contents, read once
  if (token_file) {
    if (Result<std::string> text = env_.ReadFile(*token_file, 64 * 1024); text.ok()) {
      federated = std::move(*text);
    }
  }
  if (federated) {
    WIFGATE_ASSIGN_OR_RETURN(token, FromFederatedToken(*token_file, *federated, result));
  } else {
    WIFGATE_ASSIGN_OR_RETURN(token, FromManagedIdentity(result));
  }
  WIFGATE_RETURN_IF_ERROR(CheckJwtShape(token, "the Azure identity endpoint"));
  for (ExplainItem& item : ExplainJwt(token)) result.explain.push_back(std::move(item));
  result.attestation = {"AZURE", std::move(token)};
  return result;
}

}  // namespace wifgate::attest
