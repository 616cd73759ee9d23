#include "dev/dev_sts.h"

#include "aws/sigv4.h"
#include "common/crypto.h"
#include "common/logging.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "dev/dev_sts_sigv4.h"

namespace wifgate::dev {
namespace {

Status StsError(std::string code, std::string message) {
  return Status(Code::kInvalidArgument, std::move(code), std::move(message));
}

std::optional<std::string> Param(const std::vector<std::pair<std::string, std::string>>& params,
                                 std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return std::nullopt;
}

Result<std::string> Required(const std::vector<std::pair<std::string, std::string>>& params,
                             std::string_view name) {
  auto v = Param(params, name);
  if (!v || v->empty()) {
    return StsError("MissingParameter",
                    "The request must contain the parameter " + std::string(name));
  }
  return *v;
}

// DurationSeconds within [min, max], `fallback` when absent.
Result<std::chrono::seconds> Duration(
    const std::vector<std::pair<std::string, std::string>>& params, int64_t min, int64_t max,
    int64_t fallback) {
  auto v = Param(params, "DurationSeconds");
  if (!v) return std::chrono::seconds(fallback);
  if (v->empty() || v->size() > 6 || v->find_first_not_of("0123456789") != std::string::npos ||
      std::stol(*v) < min || std::stol(*v) > max) {
    return StsError("ValidationError", "DurationSeconds must be between " + std::to_string(min) +
                                           " and " + std::to_string(max));
  }
  return std::chrono::seconds(std::stol(*v));
}

bool IsSessionName(std::string_view s) {
  if (s.size() < 2 || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("+=,.@_-").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

std::vector<StsNode> CredentialsNodes(const IssuedCredentials& c) {
  StsNode expiration = StsNode::Leaf("Expiration", FormatRfc3339(*c.credentials.expiration));
  return {StsNode::Tree("Credentials",
                        {StsNode::Leaf("AccessKeyId", c.credentials.access_key_id),
                         StsNode::Leaf("SecretAccessKey", c.credentials.secret_access_key),
                         StsNode::Leaf("SessionToken", c.credentials.session_token), expiration}),
          StsNode::Tree("AssumedRoleUser", {StsNode::Leaf("AssumedRoleId", c.user_id),
                                            StsNode::Leaf("Arn", c.assumed_role_arn)})};
}

std::string RequestId(Env& env) {
  uint8_t b[16];
  env.RandomBytes(b);
  std::string hex = HexEncode(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace

Result<std::unique_ptr<DevSts>> DevSts::Create(DevStsConfig config, Env& env,
                                               std::string data_dir) {
  WIFGATE_ASSIGN_OR_RETURN(DevStsTokenIssuer issuer, DevStsTokenIssuer::Create(env, data_dir));
  std::unique_ptr<DevSts> sts(new DevSts(std::move(config), env, data_dir, std::move(issuer)));
  WIFGATE_RETURN_IF_ERROR(sts->credentials_.Load(env));
  return sts;
}

DevSts::DevSts(DevStsConfig config, Env& env, std::string data_dir, DevStsTokenIssuer issuer)
    : config_(std::move(config)),
      env_(env),
      credentials_(data_dir.empty() ? std::string() : data_dir + "/dev-sts-credentials.json"),
      issuer_(std::move(issuer)) {}

Result<DevSts::Caller> DevSts::Authenticate(const net::ServerRequest& request) {
  const SystemTime now = env_.Now();
  Caller caller;
  auto lookup = [&](std::string_view key_id, std::string_view token) -> Result<std::string> {
    if (const DevStsUser* user = config_.FindUserByKey(key_id)) {
      if (!token.empty()) {
        return Status(Code::kUnauthenticated, "InvalidClientTokenId",
                      "The security token included in the request is invalid.");
      }
      caller = Caller{user->Arn(), user->account, user->UserId(), {}};
      return user->secret_access_key;
    }
    auto issued = credentials_.Find(key_id);
    if (!issued || !ConstantTimeEquals(issued->credentials.session_token, token)) {
      return Status(Code::kUnauthenticated, "InvalidClientTokenId",
                    "The security token included in the request is invalid.");
    }
    if (issued->credentials.ExpiresBefore(now)) {
      return Status(Code::kUnauthenticated, "ExpiredToken",
                    "The security token included in the request is expired");
    }
    caller = Caller{issued->assumed_role_arn, issued->account, issued->user_id, {}};
    return issued->credentials.secret_access_key;
  };
  WIFGATE_ASSIGN_OR_RETURN(SignedBy signed_by, VerifySigV4Request(request, now, lookup));
  caller.region = signed_by.region;
  return caller;
}

net::ServerResponse DevSts::Handle(const net::ServerRequest& request) {
  const std::string request_id = RequestId(env_);
  const bool json =
      request.Header("accept").value_or("").find("application/json") != std::string::npos;

  Params params;
  std::string_view target = request.target;
  size_t q = target.find('?');
  std::vector<aws::QueryParam> query;
  if (q != std::string_view::npos) {
    auto parsed = aws::ParseQuery(target.substr(q + 1));
    if (!parsed.ok()) {
      return StsErrorResponse(StsError("MalformedQueryString", "The query string is malformed"),
                              request_id, json);
    }
    query = std::move(*parsed);
  }
  if (request.method == "POST" && !request.body.empty()) {
    auto form = aws::ParseQuery(request.body);
    if (!form.ok()) {
      return StsErrorResponse(StsError("MalformedQueryString", "The form body is malformed"),
                              request_id, json);
    }
    query.insert(query.end(), form->begin(), form->end());
  }
  for (auto& p : query) params.emplace_back(std::move(p.name), std::move(p.value));

  auto action = Param(params, "Action");
  ActionResult result =
      StsError("InvalidAction", "Could not find operation " + action.value_or(""));
  if (!action) {
    result = StsError("MissingAction", "Missing Action");
  } else if (Param(params, "Version") != "2011-06-15") {
    result = StsError("InvalidParameterValue", "Version must be 2011-06-15");
  } else if (*action == "AssumeRoleWithWebIdentity") {
    result = AssumeRoleWithWebIdentity(params);  // unsigned: the token is the credential
  } else if (*action == "GetCallerIdentity" || *action == "AssumeRole" ||
             *action == "GetWebIdentityToken") {
    auto caller = Authenticate(request);
    if (!caller.ok()) {
      result = caller.status();
    } else if (*action == "GetCallerIdentity") {
      result = GetCallerIdentity(*caller);
    } else if (*action == "AssumeRole") {
      result = AssumeRoleAction(*caller, params);
    } else {
      result = GetWebIdentityToken(*caller, params);
    }
  }
  if (!result.ok()) {
    Log(LogLevel::kInfo, "dev_sts.refused",
        {{"action", action.value_or("")}, {"code", result.status().reason()}});
    return StsErrorResponse(result.status(), request_id, json);
  }
  Log(LogLevel::kDebug, "dev_sts.answered", {{"action", *action}});
  return StsResultResponse(*action, std::move(*result), request_id, json);
}

DevSts::ActionResult DevSts::GetCallerIdentity(const Caller& caller) {
  return std::vector<StsNode>{StsNode::Leaf("Arn", caller.arn),
                              StsNode::Leaf("UserId", caller.user_id),
                              StsNode::Leaf("Account", caller.account)};
}

Result<IssuedCredentials> DevSts::AssumeRole(std::string_view caller_arn, std::string_view role_arn,
                                             std::string_view session_name,
                                             std::chrono::seconds duration) {
  const DevStsRole* role = config_.FindRole(role_arn);
  if (role == nullptr || !role->Trusts(caller_arn)) {
    return Status(
        Code::kPermissionDenied, "AccessDenied",
        "User: " + std::string(caller_arn) +
            " is not authorized to perform: sts:AssumeRole on resource: " + std::string(role_arn));
  }
  if (!IsSessionName(session_name)) {
    return StsError("ValidationError", "RoleSessionName must be 2-64 of [\\w+=,.@-]");
  }
  return credentials_.Issue(env_, role->account,
                            "arn:aws:sts::" + role->account + ":assumed-role/" + role->name + "/" +
                                std::string(session_name),
                            role->RoleId() + ":" + std::string(session_name), duration);
}

DevSts::ActionResult DevSts::AssumeRoleAction(const Caller& caller, const Params& params) {
  WIFGATE_ASSIGN_OR_RETURN(std::string role_arn, Required(params, "RoleArn"));
  WIFGATE_ASSIGN_OR_RETURN(std::string session, Required(params, "RoleSessionName"));
  WIFGATE_ASSIGN_OR_RETURN(std::chrono::seconds duration, Duration(params, 900, 43200, 3600));
  WIFGATE_ASSIGN_OR_RETURN(IssuedCredentials creds,
                           AssumeRole(caller.arn, role_arn, session, duration));
  return CredentialsNodes(creds);
}

DevSts::ActionResult DevSts::AssumeRoleWithWebIdentity(const Params& params) {
  WIFGATE_ASSIGN_OR_RETURN(std::string role_arn, Required(params, "RoleArn"));
  WIFGATE_ASSIGN_OR_RETURN(std::string session, Required(params, "RoleSessionName"));
  WIFGATE_ASSIGN_OR_RETURN(std::string token, Required(params, "WebIdentityToken"));
  WIFGATE_ASSIGN_OR_RETURN(std::chrono::seconds duration, Duration(params, 900, 43200, 3600));
  const DevStsRole* role = config_.FindRole(role_arn);
  bool trusts_own =
      role != nullptr && std::find(role->trusted_issuers.begin(), role->trusted_issuers.end(),
                                   kOwnIssuerTrust) != role->trusted_issuers.end();
  if (!trusts_own) {
    return Status(Code::kPermissionDenied, "AccessDenied",
                  "Not authorized to perform sts:AssumeRoleWithWebIdentity");
  }
  const std::string issuer = DevStsTokenIssuer::IssuerFor(role->account);
  WIFGATE_ASSIGN_OR_RETURN(auto claims,
                           issuer_.VerifyOwnToken(token, issuer, kWebIdentityAudience, env_.Now()));
  if (!IsSessionName(session)) {
    return StsError("ValidationError", "RoleSessionName must be 2-64 of [\\w+=,.@-]");
  }
  IssuedCredentials creds = credentials_.Issue(
      env_, role->account,
      "arn:aws:sts::" + role->account + ":assumed-role/" + role->name + "/" + session,
      role->RoleId() + ":" + session, duration);
  std::vector<StsNode> out = CredentialsNodes(creds);
  out.push_back(StsNode::Leaf(
      "SubjectFromWebIdentityToken",
      std::string(claims.at("sub").is_string() ? claims.at("sub").get_string() : "")));
  out.push_back(StsNode::Leaf("Provider", issuer));
  out.push_back(StsNode::Leaf("Audience", std::string(kWebIdentityAudience)));
  return out;
}

DevSts::ActionResult DevSts::GetWebIdentityToken(const Caller& caller, const Params& params) {
  WebIdentityTokenRequest req;
  for (int i = 1; i <= 11; ++i) {
    auto aud = Param(params, "Audience.member." + std::to_string(i));
    if (!aud) break;
    req.audiences.push_back(*aud);
  }
  if (req.audiences.empty() || req.audiences.size() > 10) {
    return StsError("ValidationError", "Audience must have 1 to 10 members");
  }
  WIFGATE_ASSIGN_OR_RETURN(std::string alg, Required(params, "SigningAlgorithm"));
  if (alg == "ES384") {
    req.algorithm = jwt::Algorithm::kEs384;
  } else if (alg == "RS256") {
    req.algorithm = jwt::Algorithm::kRs256;
  } else {
    return StsError("ValidationError", "SigningAlgorithm must be ES384 or RS256");
  }
  WIFGATE_ASSIGN_OR_RETURN(req.lifetime, Duration(params, 60, 3600, 300));
  auto arn = ParseDevArn(caller.arn);
  if (!arn.ok()) return Status(Code::kInternal, "InternalFailure", "caller ARN unparsable");
  req.subject = caller.arn;
  if (arn->kind == DevArn::Kind::kAssumedRole) {
    // The subject is the principal in IAM form: the role's ARN (path included).
    if (const DevStsRole* role = config_.FindRoleByName(arn->account, arn->name)) {
      req.subject = role->Arn();
    }
  }
  req.issuer = DevStsTokenIssuer::IssuerFor(caller.account);
  req.account = caller.account;
  req.region = caller.region;
  req.principal_arn = caller.arn;
  WIFGATE_ASSIGN_OR_RETURN(auto minted, issuer_.Mint(env_, req));
  return std::vector<StsNode>{StsNode::Leaf("WebIdentityToken", minted.first),
                              StsNode::Leaf("Expiration", FormatRfc3339(minted.second))};
}

void DevSts::Register(net::HttpServer& server) {
  auto api = [this](net::ServerRequest request, net::Responder respond) {
    respond(Handle(request));
  };
  server.Route("POST", "/", api);
  server.Route("GET", "/", api);
  for (const auto& account : config_.accounts) {
    const std::string prefix = DevStsTokenIssuer::AccountPath(account) + "/.well-known/";
    server.Route(
        "GET", prefix + "openid-configuration",
        [this, account](net::ServerRequest, net::Responder respond) {
          respond(net::ServerResponse::Json(
              200, issuer_.DiscoveryDocument(DevStsTokenIssuer::IssuerFor(account),
                                             DevStsTokenIssuer::JwksUrlFor(base_url_, account))));
        });
    server.Route("GET", prefix + "jwks.json", [this](net::ServerRequest, net::Responder respond) {
      respond(net::ServerResponse::Json(200, issuer_.Jwks()));
    });
  }
}

}  // namespace wifgate::dev
