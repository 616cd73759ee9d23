#include "verify/aws_jwt_verifier.h"

#include "common/json.h"

namespace wifgate::verify {
namespace {

constexpr std::string_view kNamespace = "https://sts.amazonaws.com/";

Status Rejected(std::string reason, std::string message, std::string client) {
  return Status(Code::kUnauthenticated, std::move(reason), std::move(message), std::move(client));
}

Status SubjectInvalid(std::string why) {
  return Rejected("aws_jwt.subject_invalid", "an AWS token's sub " + why,
                  "The token's subject is not an IAM role or user.");
}

}  // namespace

bool IsAwsTokenIssuer(std::string_view iss) {
  constexpr std::string_view kPrefix = "https://";
  constexpr std::string_view kSuffix = ".tokens.sts.global.api.aws";
  if (!iss.starts_with(kPrefix) || !iss.ends_with(kSuffix)) return false;
  std::string_view id = iss.substr(kPrefix.size(), iss.size() - kPrefix.size() - kSuffix.size());
  if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<TrustedIssuer> AwsJwtVerifier::Trust(std::string_view iss) const {
  TrustedIssuer trusted;
  trusted.canonical = std::string(iss);
  trusted.algorithms = options_.algorithms;
  if (auto it = options_.extra_issuers.find(iss); it != options_.extra_issuers.end()) {
    trusted.keys = it->second;
    return trusted;
  }
  if (!IsAwsTokenIssuer(iss)) {
    return Rejected("aws_jwt.issuer_invalid",
                    "an AWS token must be issued by https://<id>.tokens.sts.global.api.aws",
                    "The token is not an AWS STS web identity token.");
  }
  trusted.keys.issuer = std::string(iss);
  return trusted;
}

Result<VerifiedIdentity> AwsJwtVerifier::MakeIdentity(const jwt::Claims& claims,
                                                      const boost::json::object& payload,
                                                      const TrustedIssuer& issuer) const {
  Result<ParsedAwsArn> arn = ParseAwsArn(claims.sub);
  if (!arn.ok()) return SubjectInvalid("is not an IAM ARN (" + arn.status().message() + ")");
  if (arn->kind == ParsedAwsArn::Kind::kAssumedRole) {
    return SubjectInvalid("is an assumed-role session, not the role or user ARN");
  }
  const boost::json::object* aws = GetObject(payload, kNamespace);
  if (aws == nullptr) {
    return Rejected("aws_jwt.claims_missing",
                    "the token has no \"https://sts.amazonaws.com/\" claims object",
                    "The token lacks AWS claims.");
  }
  std::optional<std::string> account = GetString(*aws, "aws_account");
  if (account != arn->account) {
    return Rejected("aws_jwt.account_mismatch",
                    "the token's aws_account is missing or differs from its sub's account",
                    "The token's AWS account is inconsistent.");
  }

  AwsPrincipal principal;
  principal.partition = arn->partition;
  principal.account = arn->account;
  principal.type =
      arn->kind == ParsedAwsArn::Kind::kRole ? AwsPrincipalType::kRole : AwsPrincipalType::kUser;
  principal.name = arn->name;
  principal.path = arn->kind == ParsedAwsArn::Kind::kUser ? arn->path : "/";
  principal.arn = claims.sub;
  if (const boost::json::value* pid = aws->if_contains("principal_id")) {
    Result<ParsedAwsArn> origin =
        pid->is_string() ? ParseAwsArn(pid->as_string())
                         : Result<ParsedAwsArn>(SubjectInvalid("has a non-string principal_id"));
    bool same = origin.ok() && origin->partition == arn->partition &&
                origin->account == arn->account && origin->name == arn->name &&
                (origin->kind == arn->kind || (origin->kind == ParsedAwsArn::Kind::kAssumedRole &&
                                               arn->kind == ParsedAwsArn::Kind::kRole));
    if (!same) {
      return Rejected("aws_jwt.principal_mismatch",
                      "the token's principal_id does not name the principal in its sub",
                      "The token's AWS principal is inconsistent.");
    }
    principal.session = origin->session;
  }

  VerifiedIdentity id;
  id.provider = Provider::kAws;
  id.aws = std::move(principal);
  id.jwt = Subject(claims, issuer);
  return id;
}

}  // namespace wifgate::verify
