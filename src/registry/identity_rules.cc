#include "registry/identity_rules.h"

#include "common/strings.h"

namespace wifgate::registry {
namespace {

using verify::Provider;

Status Invalid(std::string message) {
  return Status(Code::kInvalidArgument, "registry.identity_invalid", std::move(message));
}

std::string TypeLabel(Provider p) { return "TYPE = " + std::string(verify::ProviderName(p)); }

// Rejects properties a TYPE does not take, naming the ones it does.
Status CheckOnly(const IdentitySpec& spec, Provider p, bool arn, bool issuer, bool subject,
                 bool audiences, std::string_view takes) {
  auto refuse = [&](std::string_view prop) {
    return Invalid(std::string(prop) + " is not valid in WORKLOAD_IDENTITY of " + TypeLabel(p) +
                   "; " + TypeLabel(p) + " takes " + std::string(takes));
  };
  if (spec.arn && !arn) return refuse("ARN");
  if (spec.issuer && !issuer) return refuse("ISSUER");
  if (spec.subject && !subject) return refuse("SUBJECT");
  if (spec.audiences && !audiences) return refuse("OIDC_AUDIENCE_LIST");
  return Status::Ok();
}

Status Require(const std::optional<std::string>& value, std::string_view prop, Provider p,
               std::string_view what) {
  if (!value || value->empty()) {
    return Invalid(TypeLabel(p) + " requires " + std::string(prop) + " (" + std::string(what) +
                   ")");
  }
  return Status::Ok();
}

Status CheckSubject(const std::string& subject) {
  if (subject.size() > kMaxSubjectLength) {
    return Invalid("SUBJECT is longer than 255 characters");
  }
  for (char c : subject) {
    if (static_cast<unsigned char>(c) < 0x20)
      return Invalid("SUBJECT contains a control character");
  }
  return Status::Ok();
}

// Plain http is accepted only for an issuer on this machine's loopback: the dev issuer of
// `wifgate serve --dev`. The verifiers fetch keys over http only in dev mode, so such a
// registration can never be used by a production server.
bool IsLoopbackHttpUrl(std::string_view url) {
  for (std::string_view prefix : {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:",
                                  "http://localhost/", "http://[::1]:", "http://[::1]/"}) {
    if (url.starts_with(prefix)) return true;
  }
  return false;
}

// https (or loopback http), a host, no query, fragment, spaces or control characters.
Status CheckHttpsUrl(std::string_view url, std::string_view prop) {
  if (url.size() > kMaxIssuerLength) {
    return Invalid(std::string(prop) + " is longer than 2048 characters");
  }
  if (IsLoopbackHttpUrl(url)) {
    // falls through to the character checks
  } else if (!url.starts_with("https://") || url.size() == 8 || url[8] == '/') {
    return Invalid(
        std::string(prop) + " '" + std::string(url) +
        "' must be an https:// URL with a host, e.g. https://token.actions.githubusercontent.com");
  }
  for (char c : url) {
    if (c == '?' || c == '#' || c == ' ' || static_cast<unsigned char>(c) < 0x21) {
      return Invalid(std::string(prop) + " '" + std::string(url) +
                     "' must not contain a query, a fragment, spaces or control characters");
    }
  }
  return Status::Ok();
}

// The AWS outbound-federation issuer: https://<id>.tokens.sts.global.api.aws, partition aws.
Status CheckAwsIssuer(std::string_view issuer, std::string_view partition) {
  constexpr std::string_view kPrefix = "https://";
  constexpr std::string_view kSuffix = ".tokens.sts.global.api.aws";
  auto bad = [&](std::string_view why) {
    return Status(Code::kInvalidArgument, "registry.aws_issuer_invalid",
                  "Invalid ISSUER property in WORKLOAD_IDENTITY of TYPE 'AWS': '" +
                      std::string(issuer) + "'. " + std::string(why));
  };
  if (!issuer.starts_with(kPrefix) || !issuer.ends_with(kSuffix) ||
      issuer.size() <= kPrefix.size() + kSuffix.size()) {
    return bad(
        "ISSUER must be the account's AWS STS outbound issuer, "
        "https://<id>.tokens.sts.global.api.aws (aws iam "
        "get-outbound-web-identity-federation-info)");
  }
  std::string_view id = issuer.substr(kPrefix.size());
  id.remove_suffix(kSuffix.size());
  if (id.size() > 63) return bad("the issuer's first label is longer than 63 characters");
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return bad("the issuer's first label may contain only a-z, 0-9 and '-'");
  }
  if (partition != "aws") {
    return bad("that issuer belongs to partition 'aws' but the ARN is in partition '" +
               std::string(partition) + "'");
  }
  return Status::Ok();
}

Result<WorkloadIdentity> BuildAws(WorkloadIdentity id, const IdentitySpec& spec) {
  WIFGATE_RETURN_IF_ERROR(CheckOnly(spec, Provider::kAws, true, true, false, false,
                                    "ARN and, for the JWT method, ISSUER"));
  WIFGATE_RETURN_IF_ERROR(Require(spec.arn, "ARN", Provider::kAws,
                                  "arn:aws:iam::123456789012:role/NAME or ...:user/NAME"));
  auto parsed = verify::ParseAwsArn(*spec.arn);
  if (!parsed.ok()) return Invalid(parsed.status().message());
  id.arn = *spec.arn;
  id.match_key = parsed->kind == verify::ParsedAwsArn::Kind::kUser
                     ? verify::AwsUserKey(parsed->partition, parsed->account, parsed->name)
                     : verify::AwsRoleKey(parsed->partition, parsed->account, parsed->name);
  if (spec.issuer) {
    WIFGATE_RETURN_IF_ERROR(CheckAwsIssuer(*spec.issuer, parsed->partition));
    id.issuer = *spec.issuer;
  }
  return id;
}

Result<WorkloadIdentity> BuildGcp(WorkloadIdentity id, const IdentitySpec& spec) {
  WIFGATE_RETURN_IF_ERROR(CheckOnly(spec, Provider::kGcp, false, false, true, false, "SUBJECT"));
  WIFGATE_RETURN_IF_ERROR(
      Require(spec.subject, "SUBJECT", Provider::kGcp, "the service account's numeric uniqueId"));
  for (char c : *spec.subject) {
    if (c < '0' || c > '9') {
      return Invalid(
          "SUBJECT for TYPE = GCP must be the service account's numeric uniqueId (Google puts it "
          "in the token's sub claim), not '" +
          *spec.subject +
          "'; get it with gcloud iam service-accounts describe EMAIL --format='value(uniqueId)'");
    }
  }
  if (spec.subject->size() > 64)
    return Invalid("SUBJECT for TYPE = GCP is too long for a uniqueId");
  id.issuer = "https://accounts.google.com";
  id.subject = *spec.subject;
  id.match_key = verify::JwtKey(id.issuer, id.subject);
  return id;
}

Result<WorkloadIdentity> BuildAzure(WorkloadIdentity id, const IdentitySpec& spec) {
  WIFGATE_RETURN_IF_ERROR(
      CheckOnly(spec, Provider::kAzure, false, true, true, false, "ISSUER and SUBJECT"));
  WIFGATE_RETURN_IF_ERROR(Require(spec.issuer, "ISSUER", Provider::kAzure,
                                  "https://login.microsoftonline.com/<tenant-id>/v2.0"));
  WIFGATE_RETURN_IF_ERROR(Require(spec.subject, "SUBJECT", Provider::kAzure,
                                  "the managed identity's object (principal) ID"));
  auto canonical = verify::CanonicalIssuer(Provider::kAzure, *spec.issuer);
  if (!canonical.ok()) return Invalid(canonical.status().message());
  WIFGATE_RETURN_IF_ERROR(CheckSubject(*spec.subject));
  id.issuer = *canonical;
  id.subject = *spec.subject;
  id.match_key = verify::JwtKey(id.issuer, id.subject);
  return id;
}

Result<WorkloadIdentity> BuildOidc(WorkloadIdentity id, const IdentitySpec& spec) {
  WIFGATE_RETURN_IF_ERROR(CheckOnly(spec, Provider::kOidc, false, true, true, true,
                                    "ISSUER, SUBJECT and optionally OIDC_AUDIENCE_LIST"));
  WIFGATE_RETURN_IF_ERROR(
      Require(spec.issuer, "ISSUER", Provider::kOidc, "the token's exact iss claim"));
  WIFGATE_RETURN_IF_ERROR(
      Require(spec.subject, "SUBJECT", Provider::kOidc, "the token's exact sub claim"));
  WIFGATE_RETURN_IF_ERROR(CheckHttpsUrl(*spec.issuer, "ISSUER"));
  WIFGATE_RETURN_IF_ERROR(CheckSubject(*spec.subject));
  if (spec.audiences) {
    for (const auto& a : *spec.audiences) {
      if (a.empty() || a.size() > kMaxIssuerLength) {
        return Invalid("each OIDC_AUDIENCE_LIST entry must be 1 to 2048 characters");
      }
    }
    id.audiences = *spec.audiences;
  }
  auto canonical = verify::CanonicalIssuer(Provider::kOidc, *spec.issuer);
  if (!canonical.ok()) return Invalid(canonical.status().message());
  id.issuer = *canonical;
  id.subject = *spec.subject;
  id.match_key = verify::JwtKey(id.issuer, id.subject);
  return id;
}

}  // namespace

Status ValidateIdentityName(std::string_view name, bool allow_default) {
  if (name.empty() || name.size() > 255) {
    return Invalid("a workload identity name must be 1 to 255 characters");
  }
  if (!allow_default && name == kDefaultIdentityName) {
    return Invalid(
        "the workload identity name DEFAULT is reserved for the WORKLOAD_IDENTITY user "
        "property; use ALTER USER … SET / UNSET WORKLOAD_IDENTITY for it, or pick another name");
  }
  return Status::Ok();
}

Result<WorkloadIdentity> BuildIdentity(std::string_view name, const IdentitySpec& spec) {
  auto provider = verify::ParseProvider(spec.type);
  if (!provider) {
    return Invalid("WORKLOAD_IDENTITY TYPE '" + spec.type +
                   "' is not one of AWS, AZURE, GCP, OIDC");
  }
  WorkloadIdentity id;
  id.name = std::string(name);
  id.type = *provider;
  switch (*provider) {
    case Provider::kAws:
      return BuildAws(std::move(id), spec);
    case Provider::kGcp:
      return BuildGcp(std::move(id), spec);
    case Provider::kAzure:
      return BuildAzure(std::move(id), spec);
    case Provider::kOidc:
      return BuildOidc(std::move(id), spec);
  }
  return Invalid("unknown TYPE");
}

}  // namespace wifgate::registry
