#include "aws/credential_chain.h"

#include <set>

#include "aws/shared_config.h"
#include "aws/sts_client.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace wifgate::aws {
namespace {

constexpr int kMaxProfileHops = 5;

struct Attempt {
  std::string source;
  std::string outcome;
};

bool NotConfigured(const Status& s) { return s.reason() == "aws.source_not_configured"; }

Status NotConfiguredStatus(std::string why) {
  return Status(Code::kNotFound, "aws.source_not_configured", std::move(why));
}

std::string SessionName(const Env& env, std::optional<std::string> configured) {
  if (configured.has_value()) return *configured;
  return "wifgate-" + std::to_string(ToUnixSeconds(env.Now()));
}

class Chain {
 public:
  Chain(const Env& env, net::HttpClient& http, const CredentialChainOptions& options)
      : env_(env), http_(http), options_(options) {}

  Result<ResolvedCredentials> Run() {
    using Source = Result<Credentials> (Chain::*)(std::string*);
    const std::pair<const char*, Source> sources[] = {
        {"environment", &Chain::Environment},    {"web identity", &Chain::WebIdentity},
        {"shared files", &Chain::SharedFiles},   {"container", &Chain::Container},
        {"instance metadata", &Chain::Instance},
    };
    for (const auto& [name, source] : sources) {
      std::string detail = name;
      Result<Credentials> creds = (this->*source)(&detail);
      if (creds.ok()) return Finish(std::move(*creds), detail);
      attempts_.push_back({name, creds.status().message()});
      if (!NotConfigured(creds.status())) {
        return Status(creds.status().code(), creds.status().reason(),
                      "AWS credentials from " + detail + " failed: " + creds.status().message() +
                          "\n" + Tried());
      }
    }
    return Status(Code::kFailedPrecondition, "aws.no_credentials",
                  "no AWS credentials found.\n" + Tried() +
                      "Fix: run on AWS compute with a role (EC2 instance profile, ECS task role, "
                      "EKS IRSA or Pod Identity, Lambda), or set AWS_ACCESS_KEY_ID and "
                      "AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys), or "
                      "AWS_PROFILE naming a profile in ~/.aws/credentials.");
  }

 private:
  Result<ResolvedCredentials> Finish(Credentials creds, const std::string& source) {
    if (creds.ExpiresBefore(env_.Now())) {
      return Status(Code::kUnauthenticated, "aws.credentials_expired",
                    "the AWS credentials from " + source + " expired at " +
                        FormatRfc3339(*creds.expiration) +
                        "; refresh them (for exported keys, start a new session and export "
                        "them again)");
    }
    return ResolvedCredentials{std::move(creds), source};
  }

  std::string Tried() const {
    std::string out = "Sources tried, in order:\n";
    for (size_t i = 0; i < attempts_.size(); ++i) {
      out += "  " + std::to_string(i + 1) + ". " + attempts_[i].source + ": " +
             attempts_[i].outcome + "\n";
    }
    return out;
  }

  Result<StsClient> Sts() {
    if (options_.region.empty()) {
      return Status(Code::kFailedPrecondition, "aws.no_region",
                    "calling STS needs a region; set AWS_REGION");
    }
    WIFGATE_ASSIGN_OR_RETURN(StsEndpoint endpoint,
                             ResolveStsEndpoint(options_.region, options_.sts_endpoint_override));
    return StsClient(http_, env_, std::move(endpoint));
  }

  Result<Credentials> Environment(std::string* detail) {
    auto id = GetNonEmptyVar(env_, "AWS_ACCESS_KEY_ID");
    auto secret = GetNonEmptyVar(env_, "AWS_SECRET_ACCESS_KEY");
    if (!id && !secret) {
      return NotConfiguredStatus("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are unset");
    }
    if (!id || !secret) {
      return Status(Code::kInvalidArgument, "aws.partial_credentials",
                    std::string(id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                                   : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") +
                        "; set both, or unset both to use another source");
    }
    *detail = "environment (AWS_ACCESS_KEY_ID)";
    Credentials c{*id, *secret, GetNonEmptyVar(env_, "AWS_SESSION_TOKEN").value_or(""),
                  std::nullopt};
    if (auto expiration = GetNonEmptyVar(env_, "AWS_CREDENTIAL_EXPIRATION")) {
      c.expiration = ParseRfc3339(*expiration);
    }
    return c;
  }

  Result<Credentials> AssumeWithWebIdentity(const std::string& token_file,
                                            const std::string& role_arn,
                                            std::optional<std::string> session_name) {
    auto token = env_.ReadFile(token_file, 64 * 1024);
    if (!token.ok()) {
      return Status(Code::kFailedPrecondition, "aws.web_identity_token_unreadable",
                    "cannot read the web identity token file (" + token.status().message() +
                        "); check the projected service account token volume");
    }
    WIFGATE_ASSIGN_OR_RETURN(StsClient sts, Sts());
    WIFGATE_ASSIGN_OR_RETURN(
        AssumedRole role,
        sts.AssumeRoleWithWebIdentity(role_arn, SessionName(env_, std::move(session_name)),
                                      TrimWhitespace(*token)));
    return role.credentials;
  }

  Result<Credentials> WebIdentity(std::string* detail) {
    auto token_file = GetNonEmptyVar(env_, "AWS_WEB_IDENTITY_TOKEN_FILE");
    auto role_arn = GetNonEmptyVar(env_, "AWS_ROLE_ARN");
    if (!token_file && !role_arn) {
      return NotConfiguredStatus("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are unset");
    }
    if (!token_file || !role_arn) {
      return Status(Code::kInvalidArgument, "aws.partial_web_identity",
                    std::string(token_file ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE") +
                        " is unset while the other is set; set both (EKS IRSA sets both)");
    }
    *detail = "web identity (" + *role_arn + ")";
    return AssumeWithWebIdentity(*token_file, *role_arn,
                                 GetNonEmptyVar(env_, "AWS_ROLE_SESSION_NAME"));
  }

  Result<Credentials> SharedFiles(std::string* detail) {
    auto config = LoadSharedConfig(env_);
    if (!config.ok()) return config.status();
    const std::string profile = SelectedProfile(env_);
    *detail = "profile " + profile;
    if (config->Find(profile) == nullptr) {
      const std::string where = config->credentials_path + " or " + config->config_path;
      if (GetNonEmptyVar(env_, "AWS_PROFILE")) {
        return Status(Code::kNotFound, "aws.profile_not_found",
                      "AWS_PROFILE names profile '" + profile + "', which is not in " + where +
                          "; fix AWS_PROFILE or add the profile");
      }
      return NotConfiguredStatus("no [default] profile in " + where);
    }
    std::set<std::string> visited;
    return FromProfile(*config, profile, 0, visited);
  }

  Result<Credentials> FromProfile(const SharedConfig& config, const std::string& profile, int hops,
                                  std::set<std::string>& visited) {
    if (config.Find(profile) == nullptr) {
      return Status(Code::kNotFound, "aws.profile_not_found",
                    "source_profile '" + profile + "' is not defined; fix source_profile");
    }
    if (!visited.insert(profile).second || hops > kMaxProfileHops) {
      return Status(Code::kInvalidArgument, "aws.profile_cycle",
                    "profile '" + profile +
                        "' is part of a source_profile cycle (or a chain "
                        "longer than " +
                        std::to_string(kMaxProfileHops) + "); break the cycle");
    }
    auto role_arn = config.Get(profile, "role_arn");
    auto id = config.Get(profile, "aws_access_key_id");
    auto secret = config.Get(profile, "aws_secret_access_key");
    if (!role_arn) {
      if (id && secret) {
        return Credentials{*id, *secret, config.Get(profile, "aws_session_token").value_or(""),
                           std::nullopt};
      }
      if (config.Get(profile, "sso_session") || config.Get(profile, "sso_start_url") ||
          config.Get(profile, "credential_process")) {
        return Status(Code::kFailedPrecondition, "aws.profile_unsupported",
                      "profile '" + profile +
                          "' uses SSO or credential_process, which wifgate "
                          "does not support; export keys with `aws configure export-credentials "
                          "--format env` or use a role");
      }
      return Status(Code::kInvalidArgument, "aws.profile_incomplete",
                    "profile '" + profile +
                        "' has neither aws_access_key_id + "
                        "aws_secret_access_key nor role_arn; complete it");
    }
    auto session = config.Get(profile, "role_session_name");
    if (auto token_file = config.Get(profile, "web_identity_token_file")) {
      return AssumeWithWebIdentity(*token_file, *role_arn, session);
    }
    auto source = config.Get(profile, "source_profile");
    if (!source) {
      return Status(Code::kFailedPrecondition, "aws.profile_unsupported",
                    "profile '" + profile +
                        "' has role_arn but no source_profile or "
                        "web_identity_token_file (credential_source is not supported); add "
                        "source_profile");
    }
    Result<Credentials> base =
        *source == profile && id && secret
            ? Result<Credentials>(Credentials{*id, *secret, "", std::nullopt})
            : FromProfile(config, *source, hops + 1, visited);
    if (!base.ok()) return base.status();
    WIFGATE_ASSIGN_OR_RETURN(StsClient sts, Sts());
    WIFGATE_ASSIGN_OR_RETURN(AssumedRole role,
                             sts.AssumeRole(*base, *role_arn, SessionName(env_, session)));
    return role.credentials;
  }

  Result<Credentials> Container(std::string* detail) {
    *detail = "container credentials";
    return ContainerCredentials(env_, http_, options_.metadata);
  }

  Result<Credentials> Instance(std::string* detail) {
    InstanceMetadata imds(env_, http_, options_.metadata);
    std::string role;
    Result<Credentials> c = imds.RoleCredentials(&role);
    // Off EC2 the metadata address does not answer: that means "not on EC2", not "broken".
    if (c.status().reason() == "aws.metadata_unreachable") {
      return NotConfiguredStatus(c.status().message());
    }
    *detail = "instance metadata (role " + role + ")";
    return c;
  }

  const Env& env_;
  net::HttpClient& http_;
  const CredentialChainOptions& options_;
  std::vector<Attempt> attempts_;
};

}  // namespace

Result<ResolvedCredentials> ResolveCredentials(const Env& env, net::HttpClient& http,
                                               const CredentialChainOptions& options) {
  return Chain(env, http, options).Run();
}

}  // namespace wifgate::aws
