#include "verify/verified_identity.h"

#include "common/strings.h"

namespace wifgate::verify {
namespace {

constexpr std::string_view kPartitions[] = {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"};

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// IAM names: 1-64 of [A-Za-z0-9+=,.@_-].
bool IsIamName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Session names: 2-64 of [\w+=,.@-] (as AssumeRole's RoleSessionName).
bool IsSessionName(std::string_view s) { return s.size() >= 2 && IsIamName(s); }

Status ArnError(std::string_view arn, std::string_view what) {
  return Status(Code::kInvalidArgument, "aws.arn_invalid",
                "'" + std::string(arn) + "' is not a usable AWS ARN: " + std::string(what) +
                    ". Expected arn:aws:iam::123456789012:role/NAME (optionally with a path, "
                    "role/service-role/NAME), arn:aws:iam::123456789012:user/NAME, or "
                    "arn:aws:sts::123456789012:assumed-role/NAME/SESSION");
}

}  // namespace

std::string_view ProviderName(Provider p) {
  switch (p) {
    case Provider::kAws:
      return "AWS";
    case Provider::kGcp:
      return "GCP";
    case Provider::kAzure:
      return "AZURE";
    case Provider::kOidc:
      return "OIDC";
  }
  return "?";
}

std::optional<Provider> ParseProvider(std::string_view name) {
  for (Provider p : {Provider::kAws, Provider::kGcp, Provider::kAzure, Provider::kOidc}) {
    if (AsciiEqualsIgnoreCase(name, ProviderName(p))) return p;
  }
  return std::nullopt;
}

std::string VerifiedIdentity::Describe() const {
  std::string out(ProviderName(provider));
  if (aws) {
    out += aws->type == AwsPrincipalType::kRole ? " role " : " user ";
    out += aws->arn;
  }
  if (jwt) {
    out += aws ? " via token from " : " issuer ";
    out += jwt->issuer;
    if (!aws) out += " subject " + jwt->subject;
  }
  return out;
}

Result<ParsedAwsArn> ParseAwsArn(std::string_view arn) {
  auto parts = Split(arn, ':');
  if (parts.size() != 6 || parts[0] != "arn")
    return ArnError(arn, "it does not have 6 ':'-separated fields");
  ParsedAwsArn out;
  out.partition = std::string(parts[1]);
  bool known = false;
  for (auto p : kPartitions) known = known || p == parts[1];
  if (!known) return ArnError(arn, "unknown partition '" + out.partition + "'");
  if (!parts[3].empty()) return ArnError(arn, "IAM and STS ARNs have no region");
  if (!IsAccountId(parts[4])) return ArnError(arn, "the account must be 12 digits");
  out.account = std::string(parts[4]);
  std::string_view resource = parts[5];

  if (parts[2] == "iam") {
    bool is_role = resource.starts_with("role/");
    bool is_user = resource.starts_with("user/");
    if (!is_role && !is_user) return ArnError(arn, "an IAM ARN must name a role/ or a user/");
    out.kind = is_role ? ParsedAwsArn::Kind::kRole : ParsedAwsArn::Kind::kUser;
    std::string_view rest = resource.substr(5);
    size_t last = rest.rfind('/');
    std::string_view name = last == std::string_view::npos ? rest : rest.substr(last + 1);
    std::string_view path = last == std::string_view::npos ? "" : rest.substr(0, last + 1);
    if (!IsIamName(name)) return ArnError(arn, "the name must be 1-64 of A-Z a-z 0-9 +=,.@_-");
    if (path.size() > 511) return ArnError(arn, "the path is longer than 512 characters");
    for (char c : path) {
      if (c < 0x21 || c > 0x7e) return ArnError(arn, "the path has a character IAM does not allow");
    }
    if (path.find("//") != std::string_view::npos)
      return ArnError(arn, "the path has an empty segment");
    out.path = "/" + std::string(path);
    out.name = std::string(name);
    return out;
  }
  if (parts[2] == "sts") {
    if (!resource.starts_with("assumed-role/")) {
      return ArnError(arn, "an STS ARN must be an assumed-role/NAME/SESSION");
    }
    auto pieces = Split(resource.substr(13), '/');
    if (pieces.size() != 2)
      return ArnError(arn, "an assumed-role ARN is assumed-role/NAME/SESSION");
    if (!IsIamName(pieces[0]))
      return ArnError(arn, "the role name must be 1-64 of A-Z a-z 0-9 +=,.@_-");
    if (!IsSessionName(pieces[1]))
      return ArnError(arn, "the session name must be 2-64 of A-Z a-z 0-9 +=,.@_-");
    out.kind = ParsedAwsArn::Kind::kAssumedRole;
    out.name = std::string(pieces[0]);
    out.session = std::string(pieces[1]);
    return out;
  }
  return ArnError(arn, "the service must be iam or sts");
}

std::string AwsRoleKey(std::string_view partition, std::string_view account,
                       std::string_view role_name) {
  return "aws-role:" + std::string(partition) + ":" + std::string(account) + ":" +
         AsciiLower(role_name);
}

std::string AwsUserKey(std::string_view partition, std::string_view account,
                       std::string_view user_name) {
  return "aws-user:" + std::string(partition) + ":" + std::string(account) + ":" +
         AsciiLower(user_name);
}

std::string JwtKey(std::string_view canonical_issuer, std::string_view subject) {
  // Length-prefixed, so that no (issuer, subject) pair can spell another's key.
  return "jwt:" + std::to_string(canonical_issuer.size()) + ":" + std::string(canonical_issuer) +
         std::string(subject);
}

std::string IdentityKey(const VerifiedIdentity& id) {
  if (id.aws) {
    return id.aws->type == AwsPrincipalType::kRole
               ? AwsRoleKey(id.aws->partition, id.aws->account, id.aws->name)
               : AwsUserKey(id.aws->partition, id.aws->account, id.aws->name);
  }
  if (id.jwt) return JwtKey(id.jwt->issuer, id.jwt->subject);
  return {};
}

Result<std::string> CanonicalIssuer(Provider provider, std::string_view issuer) {
  if (provider == Provider::kGcp) {
    if (issuer == "https://accounts.google.com" || issuer == "accounts.google.com") {
      return std::string("https://accounts.google.com");
    }
    return std::string(issuer);
  }
  if (provider != Provider::kAzure) return std::string(issuer);

  std::string_view tenant;
  constexpr std::string_view kV1 = "https://sts.windows.net/";
  constexpr std::string_view kV2 = "https://login.microsoftonline.com/";
  if (issuer.starts_with(kV1)) {
    tenant = issuer.substr(kV1.size());
    if (tenant.ends_with('/')) tenant.remove_suffix(1);
  } else if (issuer.starts_with(kV2)) {
    tenant = issuer.substr(kV2.size());
    if (tenant.ends_with('/')) tenant.remove_suffix(1);
    if (tenant.ends_with("/v2.0")) tenant.remove_suffix(5);
  }
  bool valid = !tenant.empty() && tenant.size() <= 64;
  for (char c : tenant) {
    valid = valid && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                      c == '-');
  }
  if (!valid) {
    return Status(Code::kInvalidArgument, "azure.issuer_invalid",
                  "'" + std::string(issuer) +
                      "' is not an Entra ID issuer: use https://login.microsoftonline.com/"
                      "<tenant-id>/v2.0 (or the v1 form https://sts.windows.net/<tenant-id>/)");
  }
  return std::string(kV2) + AsciiLower(tenant) + "/v2.0";
}

}  // namespace wifgate::verify
