#include "aws/sts_client.h"

namespace wifgate::aws {

Result<net::HttpResponse> StsClient::Send(std::string_view action,
                                          const net::HttpRequest& request) {
  net::HttpOptions options;
  options.timeout = std::chrono::seconds(10);
  auto response = http_.Send(request, options);
  if (!response.ok()) {
    return Status(Code::kUnavailable, "aws.sts_unreachable",
                  "could not reach STS at " + endpoint_.base_url + " for " + std::string(action) +
                      " (" + response.status().ToString() +
                      "); check network access to it, or set AWS_ENDPOINT_URL_STS");
  }
  return response;
}

Result<net::HttpResponse> StsClient::SendSigned(std::string_view action,
                                                const SignableRequest& request,
                                                const Credentials& caller) {
  SigningParams params;
  params.credentials = caller;
  params.region = endpoint_.region;
  params.service = std::string(kStsService);
  params.time = env_.Now();
  WIFGATE_ASSIGN_OR_RETURN(SignedRequest signed_request, SignWithHeaders(request, params));
  net::HttpRequest http_request;
  http_request.method = signed_request.request.method;
  http_request.url = RequestUrl(endpoint_, signed_request.request);
  http_request.headers = std::move(signed_request.request.headers);
  http_request.body = std::move(signed_request.request.body);
  return Send(action, http_request);
}

Result<AssumedRole> StsClient::AssumeRole(const Credentials& caller, std::string_view role_arn,
                                          std::string_view session_name,
                                          std::chrono::seconds duration) {
  WIFGATE_ASSIGN_OR_RETURN(
      net::HttpResponse response,
      SendSigned("AssumeRole", AssumeRoleRequest(endpoint_, role_arn, session_name, duration),
                 caller));
  auto role = ParseAssumeRoleResponse("AssumeRole", response.status, response.body);
  if (!role.ok()) return role.status().WithContext("assuming " + std::string(role_arn));
  return role;
}

Result<AssumedRole> StsClient::AssumeRoleWithWebIdentity(std::string_view role_arn,
                                                         std::string_view session_name,
                                                         std::string_view web_identity_token) {
  WIFGATE_ASSIGN_OR_RETURN(net::HttpResponse response,
                           Send("AssumeRoleWithWebIdentity",
                                AssumeRoleWithWebIdentityRequest(endpoint_, role_arn, session_name,
                                                                 web_identity_token)));
  auto role = ParseAssumeRoleResponse("AssumeRoleWithWebIdentity", response.status, response.body);
  if (!role.ok()) return role.status().WithContext("assuming " + std::string(role_arn));
  return role;
}

Result<WebIdentityToken> StsClient::GetWebIdentityToken(const Credentials& caller,
                                                        std::string_view audience,
                                                        std::string_view signing_algorithm) {
  WIFGATE_ASSIGN_OR_RETURN(
      net::HttpResponse response,
      SendSigned("GetWebIdentityToken",
                 GetWebIdentityTokenRequest(endpoint_, audience, signing_algorithm), caller));
  return ParseGetWebIdentityTokenResponse(response.status, response.body);
}

}  // namespace wifgate::aws
