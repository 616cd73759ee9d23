#include "aws/metadata_credentials.h"

#include "common/json.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "net/url.h"

namespace wifgate::aws {
namespace {

constexpr size_t kMaxMetadataBytes = 64 * 1024;

Status NotConfigured(std::string what) {
  return Status(Code::kNotFound, "aws.source_not_configured", std::move(what));
}

net::HttpOptions MetadataOptions(std::chrono::milliseconds timeout) {
  net::HttpOptions options;
  options.timeout = timeout;
  options.max_response_bytes = kMaxMetadataBytes;
  options.use_proxy = false;
  return options;
}

// The JSON document both ECS and IMDS return for credentials.
Result<Credentials> ParseCredentialsDocument(std::string_view source, std::string_view body) {
  auto bad = [source](const std::string& what) {
    return Status(
        Code::kUnavailable, "aws.metadata_bad_response",
        std::string(source) + " returned a credentials document wifgate cannot use (" + what + ")");
  };
  auto json = ParseStrictJson(body);
  if (!json.ok()) return bad(json.status().message());
  if (!json->is_object()) return bad("not a JSON object");
  const boost::json::object& obj = json->as_object();
  if (auto code = GetString(obj, "Code"); code.has_value() && *code != "Success") {
    return bad("Code is " + code->substr(0, 60));
  }
  Credentials c;
  c.access_key_id = GetString(obj, "AccessKeyId").value_or("");
  c.secret_access_key = GetString(obj, "SecretAccessKey").value_or("");
  c.session_token = GetString(obj, "Token").value_or("");
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return bad("AccessKeyId or SecretAccessKey missing");
  }
  if (auto expiration = GetString(obj, "Expiration"); expiration.has_value()) {
    c.expiration = ParseRfc3339(*expiration);
    if (!c.expiration.has_value()) return bad("Expiration is not an RFC 3339 time");
  }
  return c;
}

// The SDKs accept a full URI only over https, or to loopback and the ECS/EKS link-local
// agents: anything else could be an attacker-chosen host receiving the authorization token.
bool AllowedFullUri(const net::ParsedUrl& url) {
  if (url.https) return true;
  const std::string& h = url.host;
  return h == "localhost" || h.starts_with("127.") || h == "::1" || h == "169.254.170.2" ||
         h == "169.254.170.23" || h == "fd00:ec2::23";
}

}  // namespace

Result<Credentials> ContainerCredentials(const Env& env, net::HttpClient& http,
                                         const MetadataEndpoints& endpoints) {
  std::string url;
  if (auto relative = GetNonEmptyVar(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    url = endpoints.container_relative_base + *relative;
  } else if (auto full = GetNonEmptyVar(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    url = *full;
  } else {
    return NotConfigured(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are unset");
  }
  auto parsed = net::ParseHttpUrl(url);
  if (!parsed.ok() || !AllowedFullUri(*parsed)) {
    return Status(Code::kInvalidArgument, "aws.bad_container_uri",
                  "the container credentials URI " + url.substr(0, 200) +
                      " is not an https URL or a loopback/ECS/EKS agent address; fix "
                      "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  }
  net::HttpRequest request;
  request.method = "GET";
  request.url = url;
  std::optional<std::string> token;
  if (auto token_file = GetNonEmptyVar(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    auto text = env.ReadFile(*token_file, 16 * 1024);
    if (!text.ok()) {
      return Status(Code::kFailedPrecondition, "aws.container_token_unreadable",
                    "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (" +
                        text.status().message() + "); check the pod's projected token volume");
    }
    token = std::string(TrimWhitespace(*text));
  } else {
    token = GetNonEmptyVar(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token.has_value()) {
    if (token->find_first_of("\r\n") != std::string::npos) {
      return Status(Code::kInvalidArgument, "aws.container_token_invalid",
                    "the container authorization token contains a line break; fix "
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)");
    }
    request.headers.push_back({"Authorization", *token});
  }
  auto response = http.Send(request, MetadataOptions(endpoints.timeout));
  if (!response.ok()) {
    return Status(Code::kUnavailable, "aws.metadata_unreachable",
                  "the container credentials endpoint " + parsed->HostPort() + " did not answer (" +
                      response.status().reason() +
                      "); check that the ECS agent or EKS Pod Identity agent is running");
  }
  if (response->status != 200) {
    return Status(Code::kUnavailable, "aws.metadata_refused",
                  "the container credentials endpoint answered HTTP " +
                      std::to_string(response->status) +
                      "; check the task role / pod identity association and the token");
  }
  return ParseCredentialsDocument("the container credentials endpoint", response->body);
}

InstanceMetadata::InstanceMetadata(const Env& env, net::HttpClient& http,
                                   const MetadataEndpoints& endpoints)
    : env_(env), http_(http), timeout_(endpoints.timeout) {
  base_ = GetNonEmptyVar(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or(endpoints.imds);
  while (base_.ends_with("/")) base_.pop_back();
  const std::string disabled =
      AsciiLower(GetNonEmptyVar(env, "AWS_EC2_METADATA_DISABLED").value_or(""));
  disabled_ = disabled == "true";
}

Status InstanceMetadata::Token() {
  if (disabled_) return NotConfigured("AWS_EC2_METADATA_DISABLED is true");
  if (!token_.empty()) return Status::Ok();
  net::HttpRequest request;
  request.method = "PUT";
  request.url = base_ + "/latest/api/token";
  request.headers = {{"x-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  auto response = http_.Send(request, MetadataOptions(timeout_));
  if (!response.ok()) {
    return Status(Code::kUnavailable, "aws.metadata_unreachable",
                  "the EC2 instance metadata service at " + base_ + " did not answer within " +
                      std::to_string(timeout_.count()) + " ms (" + response.status().reason() +
                      "); this is expected off EC2. On EC2, check the hop limit and that IMDS "
                      "is enabled; or set AWS_EC2_METADATA_SERVICE_ENDPOINT");
  }
  if (response->status != 200 || response->body.empty()) {
    return Status(Code::kUnavailable, "aws.metadata_refused",
                  "the EC2 instance metadata service refused an IMDSv2 token (HTTP " +
                      std::to_string(response->status) +
                      "); enable IMDSv2 and raise the PUT response hop limit to 2 in containers");
  }
  token_ = std::string(TrimWhitespace(response->body));
  return Status::Ok();
}

Result<std::string> InstanceMetadata::Get(const std::string& path) {
  WIFGATE_RETURN_IF_ERROR(Token());
  net::HttpRequest request;
  request.method = "GET";
  request.url = base_ + path;
  request.headers = {{"x-aws-ec2-metadata-token", token_}};
  auto response = http_.Send(request, MetadataOptions(timeout_));
  if (!response.ok()) {
    return Status(Code::kUnavailable, "aws.metadata_unreachable",
                  "the EC2 instance metadata service stopped answering (" +
                      response.status().reason() + ") on " + path);
  }
  if (response->status == 404) {
    return Status(Code::kNotFound, "aws.metadata_no_role",
                  "the EC2 instance metadata service has nothing at " + path +
                      "; attach an instance profile (IAM role) to the instance");
  }
  if (response->status != 200) {
    return Status(Code::kUnavailable, "aws.metadata_refused",
                  "the EC2 instance metadata service answered HTTP " +
                      std::to_string(response->status) + " on " + path);
  }
  return std::move(response->body);
}

Result<Credentials> InstanceMetadata::RoleCredentials(std::string* role_name) {
  constexpr std::string_view kPath = "/latest/meta-data/iam/security-credentials/";
  WIFGATE_ASSIGN_OR_RETURN(std::string roles, Get(std::string(kPath)));
  const std::string role(TrimWhitespace(Split(TrimWhitespace(roles), '\n').front()));
  if (role.empty() || role.find('/') != std::string::npos) {
    return Status(Code::kNotFound, "aws.metadata_no_role",
                  "the instance has no IAM role; attach an instance profile");
  }
  *role_name = role;
  WIFGATE_ASSIGN_OR_RETURN(std::string document, Get(std::string(kPath) + role));
  return ParseCredentialsDocument("the EC2 instance metadata service", document);
}

Result<std::string> InstanceMetadata::Region() {
  WIFGATE_ASSIGN_OR_RETURN(std::string region, Get("/latest/meta-data/placement/region"));
  return std::string(TrimWhitespace(region));
}

}  // namespace wifgate::aws
