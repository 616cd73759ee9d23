#include "attest/gcp_attestation.h"

#include <boost/json.hpp>

#include "attest/jwt_token_info.h"
#include "common/json.h"
#include "common/strings.h"

namespace wifgate::attest {
namespace {

namespace json = boost::json;

constexpr std::string_view kServiceAccount =
    "/computeMetadata/v1/instance/service-accounts/default";

Status Unavailable(std::string reason, std::string message) {
  return Status(Code::kUnavailable, std::move(reason), std::move(message));
}

}  // namespace

Result<std::string> GcpAttestationProvider::MetadataGet(const std::string& host,
                                                        const std::string& path) {
  net::HttpRequest request;
  request.url = "http://" + host + path;
  request.headers.push_back({"Metadata-Flavor", "Google"});
  net::HttpOptions options;
  options.timeout = options_.metadata_timeout;
  options.use_proxy = false;
  options.max_response_bytes = 64 * 1024;
  Result<net::HttpResponse> response = http_.Send(request, options);
  if (!response.ok()) {
    return Unavailable("gcp.metadata_unreachable",
                       "the GCP metadata server at " + host + " is unreachable (" +
                           response.status().reason() + "); run on GCP or set GCE_METADATA_HOST");
  }
  if (response->status != 200) {
    return Unavailable("gcp.metadata_error", "the GCP metadata server answered HTTP " +
                                                 std::to_string(response->status) + " for " +
                                                 std::string(path.substr(0, path.find('?'))));
  }
  return response->body;
}

Result<std::string> GcpAttestationProvider::Impersonate(const std::string& host) {
  WIFGATE_ASSIGN_OR_RETURN(std::string token_json,
                           MetadataGet(host, std::string(kServiceAccount) + "/token"));
  Result<json::value> doc = ParseStrictJson(token_json);
  std::optional<std::string> access_token;
  if (doc.ok() && doc->is_object()) access_token = GetString(doc->as_object(), "access_token");
  if (!access_token) {
    return Unavailable("gcp.metadata_error", "the metadata token response has no access_token");
  }
  const std::vector<std::string>& path = options_.impersonation_path;
  json::array delegates;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    delegates.emplace_back("projects/-/serviceAccounts/" + path[i]);
  }
  net::HttpRequest request;
  request.method = "POST";
  request.url = options_.iam_credentials_url + "/v1/projects/-/serviceAccounts/" +
                QueryEscape(path.back()) + ":generateIdToken";
  request.headers = {{"Authorization", "Bearer " + *access_token},
                     {"Content-Type", "application/json"}};
  request.body = ToJson(json::object{
      {"audience", options_.audience}, {"delegates", delegates}, {"includeEmail", true}});
  Result<net::HttpResponse> response = http_.Send(request, {});
  if (!response.ok()) {
    return Unavailable("gcp.iam_unreachable",
                       "IAM Credentials is unreachable (" + response.status().reason() + ")");
  }
  if (response->status != 200) {
    return Status(Code::kPermissionDenied, "gcp.impersonation_denied",
                  "generateIdToken for " + path.back() + " answered HTTP " +
                      std::to_string(response->status) +
                      "; each hop needs roles/iam.serviceAccountTokenCreator on the next");
  }
  doc = ParseStrictJson(response->body);
  std::optional<std::string> token;
  if (doc.ok() && doc->is_object()) token = GetString(doc->as_object(), "token");
  if (!token) return Unavailable("gcp.iam_error", "the generateIdToken response has no token");
  return *token;
}

Result<AttestationResult> GcpAttestationProvider::Attest() {
  std::string host = options_.metadata_host;
  if (host.empty())
    host = GetNonEmptyVar(env_, "GCE_METADATA_HOST").value_or("metadata.google.internal");
  AttestationResult result;
  result.explain.push_back({"metadata server", host});
  result.explain.push_back({"audience", options_.audience});
  std::string token;
  if (options_.impersonation_path.empty()) {
    WIFGATE_ASSIGN_OR_RETURN(
        token, MetadataGet(host, std::string(kServiceAccount) +
                                     "/identity?audience=" + QueryEscape(options_.audience)));
    token = std::string(TrimWhitespace(token));
  } else {
    result.explain.push_back({"impersonation path", Join(options_.impersonation_path, " -> ")});
    WIFGATE_ASSIGN_OR_RETURN(token, Impersonate(host));
  }
  WIFGATE_RETURN_IF_ERROR(CheckJwtShape(token, "the GCP metadata server"));
  for (ExplainItem& item : ExplainJwt(token)) result.explain.push_back(std::move(item));
  result.attestation = {"GCP", std::move(token)};
  return result;
}

}  // namespace wifgate::attest
