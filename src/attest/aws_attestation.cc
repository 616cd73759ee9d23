#include "attest/aws_attestation.h"

#include <boost/json/object.hpp>

#include "aws/credential_chain.h"
#include "aws/partitions.h"
#include "aws/region.h"
#include "aws/shared_config.h"
#include "aws/sts_client.h"
#include "aws/sts_protocol.h"
#include "common/base64.h"
#include "common/json.h"
#include "common/time_format.h"

namespace wifgate::attest {
namespace {

constexpr std::string_view kRedacted = "<redacted>";

std::string EnvelopeUrl(std::string_view sts_host) {
  return "https://" + std::string(sts_host) +
         "/?Action=GetCallerIdentity&Version=" + std::string(aws::kStsApiVersion);
}

// Host names only: the host is pasted into a URL and a signed Host header.
bool IsPlainHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string Envelope(const aws::SignedRequest& signed_request, std::string_view sts_host,
                     bool redact) {
  boost::json::object headers;
  for (const net::HttpHeader& h : signed_request.request.headers) {
    std::string value = h.value;
    if (redact && h.name == "x-amz-security-token") value = kRedacted;
    if (redact && h.name == "authorization") {
      constexpr std::string_view kSignature = "Signature=";
      value = value.substr(0, value.rfind(kSignature) + kSignature.size()) + std::string(kRedacted);
    }
    headers[h.name] = value;
  }
  boost::json::object envelope;
  envelope["url"] = EnvelopeUrl(sts_host);
  envelope["method"] = signed_request.request.method;
  envelope["headers"] = std::move(headers);
  return ToJson(envelope);
}

}  // namespace

Result<aws::SignedRequest> SignAwsEnvelopeRequest(const aws::Credentials& credentials,
                                                  std::string_view region,
                                                  std::string_view sts_host,
                                                  std::string_view audience, SystemTime at) {
  if (!IsPlainHostName(sts_host)) {
    return Status(Code::kInvalidArgument, "aws.bad_sts_host",
                  "the STS host '" + std::string(sts_host.substr(0, 100)) +
                      "' is not a plain host name; fix --sts-host");
  }
  if (audience.empty() || audience.find_first_of("\r\n") != std::string_view::npos) {
    return Status(Code::kInvalidArgument, "aws.bad_audience",
                  "the audience is empty or contains a line break; fix --audience");
  }
  aws::StsEndpoint endpoint{"https://" + std::string(sts_host), std::string(sts_host),
                            std::string(region)};
  aws::SignableRequest request =
      aws::GetCallerIdentityRequest(endpoint, {{"x-snowflake-audience", std::string(audience)}});
  aws::SigningParams params;
  params.credentials = credentials;
  params.region = std::string(region);
  params.service = std::string(aws::kStsService);
  params.time = at;
  return aws::SignWithHeaders(request, params);
}

std::string AwsEnvelopeJson(const aws::SignedRequest& signed_request, std::string_view sts_host) {
  return Envelope(signed_request, sts_host, /*redact=*/false);
}

std::string RedactedAwsEnvelopeJson(const aws::SignedRequest& signed_request,
                                    std::string_view sts_host) {
  return Envelope(signed_request, sts_host, /*redact=*/true);
}

AwsAttestationProvider::AwsAttestationProvider(const Env& env, net::HttpClient& http,
                                               AwsAttestationOptions options)
    : env_(env), http_(http), options_(std::move(options)) {}

Result<AttestationResult> AwsAttestationProvider::Attest() {
  AttestationResult result;
  result.attestation.provider = "AWS";
  auto& explain = result.explain;

  // A broken shared file is reported by the credentials chain; for the region it only means
  // "no profile region".
  Result<aws::SharedConfig> config = aws::LoadSharedConfig(env_);
  aws::InstanceMetadata imds(env_, http_, options_.metadata);
  WIFGATE_ASSIGN_OR_RETURN(aws::ResolvedRegion region,
                           aws::ResolveRegion(env_, config.ok() ? &*config : nullptr, &imds));
  explain.push_back({"region", region.region + " (from " + region.source + ")"});

  aws::CredentialChainOptions chain;
  chain.region = region.region;
  chain.sts_endpoint_override = options_.sts_endpoint_override.empty()
                                    ? GetNonEmptyVar(env_, "AWS_ENDPOINT_URL_STS").value_or("")
                                    : options_.sts_endpoint_override;
  chain.metadata = options_.metadata;
  WIFGATE_ASSIGN_OR_RETURN(aws::ResolvedCredentials resolved,
                           aws::ResolveCredentials(env_, http_, chain));
  explain.push_back({"credential source", resolved.source});
  explain.push_back({"access key id", resolved.credentials.access_key_id});
  aws::Credentials credentials = std::move(resolved.credentials);

  const bool calls_sts = options_.use_outbound_token || !options_.impersonation_path.empty();
  std::optional<aws::StsClient> sts;
  if (calls_sts) {
    WIFGATE_ASSIGN_OR_RETURN(aws::StsEndpoint endpoint,
                             aws::ResolveStsEndpoint(region.region, chain.sts_endpoint_override));
    explain.push_back({"STS endpoint called", endpoint.base_url});
    sts.emplace(http_, env_, std::move(endpoint));
  }
  for (size_t i = 0; i < options_.impersonation_path.size(); ++i) {
    const std::string& role_arn = options_.impersonation_path[i];
    auto role = sts->AssumeRole(credentials, role_arn, options_.role_session_name);
    if (!role.ok()) {
      return role.status().WithContext("impersonation step " + std::to_string(i + 1) + " of " +
                                       std::to_string(options_.impersonation_path.size()));
    }
    explain.push_back({"impersonation step " + std::to_string(i + 1), role->assumed_role_arn});
    credentials = std::move(role->credentials);
  }

  if (options_.use_outbound_token) {
    WIFGATE_ASSIGN_OR_RETURN(
        aws::WebIdentityToken token,
        sts->GetWebIdentityToken(credentials, options_.audience, options_.signing_algorithm));
    explain.push_back(
        {"mode", "outbound token (sts:GetWebIdentityToken, " + options_.signing_algorithm + ")"});
    explain.push_back({"audience", options_.audience});
    explain.push_back({"token expires", FormatRfc3339(token.expiration)});
    result.attestation.token = std::move(token.jwt);
    return result;
  }

  std::string sts_host = options_.sts_host;
  if (sts_host.empty()) {
    WIFGATE_ASSIGN_OR_RETURN(sts_host, aws::StsHostForRegion(region.region));
  }
  WIFGATE_ASSIGN_OR_RETURN(
      aws::SignedRequest signed_request,
      SignAwsEnvelopeRequest(credentials, region.region, sts_host, options_.audience,
                             options_.at.value_or(env_.Now())));
  explain.push_back({"mode", "signed sts:GetCallerIdentity request"});
  explain.push_back({"STS host", sts_host});
  explain.push_back({"audience", options_.audience});
  explain.push_back({"signing time", signed_request.amz_date});
  explain.push_back({"credential scope", signed_request.credential_scope});
  explain.push_back({"signed headers", signed_request.signed_headers});
  explain.push_back({"envelope", RedactedAwsEnvelopeJson(signed_request, sts_host)});
  result.attestation.token = Base64Encode(AwsEnvelopeJson(signed_request, sts_host));
  return result;
}

}  // namespace wifgate::attest
