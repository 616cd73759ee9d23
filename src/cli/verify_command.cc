// `wifgate verify --provider P (--token T | --token-file F) [--config F]`: verifies one
// attestation exactly as the server would and prints the verified identity as JSON, or
// the failure (reason, admin message, client message) with exit code 1.
//
// Providers are a table (kProviders): each entry builds its Verifier from the shared
// context, so another method (the AWS SigV4 envelope) joins by adding a row.
//
// Which issuers are trusted: GCP, Azure and AWS verifiers themselves accept only Google's,
// Entra's and AWS's issuer shapes, so the CLI trusts any issuer of those shapes; OIDC
// issuers must be named in the config file. Configuration (TOML, the [verify] table):
//   dev_idp_data = "DIR"          trust the dev IdP whose state is under DIR/dev-idp
//   dev_sts_data = "DIR"          AWS SigV4 envelopes: dial the dev STS under DIR/dev-sts
//   leeway_seconds = 60
//   [[verify.issuer]]             one OIDC (or AWS) issuer
//   provider = "oidc"  issuer = "https://…"  audiences = ["…"]
//   jwks_file = "keys.json" | jwks_uri = "https://…"   allow_insecure = false (dev only)
#include <toml++/toml.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <functional>
#include <iostream>

#include "cli/commands.h"
#include "cli/verify_aws_sigv4.h"
#include "common/json.h"
#include "common/strings.h"
#include "dev/dev_idp.h"
#include "jwt/jwks_cache.h"
#include "jwt/jwks_fetcher.h"
#include "net/beast_http_client.h"
#include "verify/aws_jwt_verifier.h"
#include "verify/azure_verifier.h"
#include "verify/gcp_verifier.h"
#include "verify/oidc_verifier.h"
#include "verify/static_issuer_registry.h"

namespace wifgate::cli {
namespace {

namespace json = boost::json;
using verify::Provider;

// Trusts every issuer of the provider-checked shapes, and the configured ones exactly.
class CliIssuerRegistry : public verify::IssuerRegistry {
 public:
  std::optional<verify::IssuerPolicy> Lookup(Provider provider,
                                             std::string_view canonical_issuer) const override {
    if (auto policy = configured.Lookup(provider, canonical_issuer)) return policy;
    if (provider == Provider::kOidc) return std::nullopt;
    if (provider == Provider::kAws && !verify::IsAwsTokenIssuer(canonical_issuer)) {
      return std::nullopt;
    }
    return verify::IssuerPolicy{};
  }
  verify::StaticIssuerRegistry configured;
};

struct VerifyContext {
  Env& env;
  jwt::JwksCache& cache;
  CliIssuerRegistry registry;
  verify::GcpVerifierOptions gcp;
  verify::AzureVerifierOptions azure;
  verify::OidcVerifierOptions oidc;
  verify::AwsJwtVerifierOptions aws_jwt;
  std::string dev_sts_data;  // AWS SigV4: dev mode against the dev STS under this dir
};

using VerifierFactory =
    std::function<Result<std::unique_ptr<verify::Verifier>>(VerifyContext&, std::string_view)>;

struct ProviderEntry {
  std::string_view name;
  VerifierFactory make;  // given the context and the token (to pick a method by its shape)
};

bool LooksLikeJwt(std::string_view token) {
  return Split(token, '.').size() == 3 && token.find('{') == std::string_view::npos;
}

const std::vector<ProviderEntry>& Providers() {
  static const std::vector<ProviderEntry> providers = {
      {"gcp",
       [](VerifyContext& c, std::string_view) -> Result<std::unique_ptr<verify::Verifier>> {
         return Result<std::unique_ptr<verify::Verifier>>(
             std::make_unique<verify::GcpVerifier>(c.cache, c.registry, c.env, c.gcp));
       }},
      {"azure",
       [](VerifyContext& c, std::string_view) -> Result<std::unique_ptr<verify::Verifier>> {
         return Result<std::unique_ptr<verify::Verifier>>(
             std::make_unique<verify::AzureVerifier>(c.cache, c.registry, c.env, c.azure));
       }},
      {"oidc",
       [](VerifyContext& c, std::string_view) -> Result<std::unique_ptr<verify::Verifier>> {
         return Result<std::unique_ptr<verify::Verifier>>(
             std::make_unique<verify::OidcVerifier>(c.cache, c.registry, c.env, c.oidc));
       }},
      {"aws",
       [](VerifyContext& c, std::string_view token) -> Result<std::unique_ptr<verify::Verifier>> {
         if (LooksLikeJwt(token)) {
           return Result<std::unique_ptr<verify::Verifier>>(
               std::make_unique<verify::AwsJwtVerifier>(c.cache, c.registry, c.env, c.aws_jwt));
         }
         return MakeAwsSigV4Verifier(c.env, c.dev_sts_data);
       }},
  };
  return providers;
}

[[noreturn]] void Fail(const Status& status, int exit_code) {
  json::object out{{"ok", false},
                   {"reason", status.reason()},
                   {"message", status.message()},
                   {"client_message", status.client_message()}};
  std::cout << ToJson(out) << "\n";
  std::cerr << "wifgate verify: " << status.ToString() << "\n";
  throw CLI::RuntimeError(exit_code);
}

Status Misconfigured(std::string message) {
  return Status(Code::kInvalidArgument, "cli.verify_config_invalid", std::move(message));
}

// Trusts the dev IdP under `data_dir`: its issuers stand in for Google's and Entra's.
Status TrustDevIdp(VerifyContext& c, const std::string& data_dir) {
  WIFGATE_ASSIGN_OR_RETURN(std::unique_ptr<dev::DevIdp> idp,
                           dev::DevIdp::OpenExisting(c.env, data_dir));
  c.gcp.issuer = idp->IssuerUrl(dev::IdpKind::kGcp);
  c.gcp.allow_insecure = true;
  c.azure.v1_prefix = idp->base_url() + "/azure-v1/";
  c.azure.v2_prefix = idp->base_url() + "/azure/";
  c.azure.allow_insecure = true;
  std::string oidc = idp->IssuerUrl(dev::IdpKind::kOidc);
  c.oidc.issuers[oidc].allow_insecure = true;
  c.registry.configured.Add(Provider::kOidc, oidc);
  return Status::Ok();
}

Status LoadConfig(VerifyContext& c, const std::string& path) {
  WIFGATE_ASSIGN_OR_RETURN(std::string text, c.env.ReadFile(path, 1 << 20));
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Misconfigured(path + " is not valid TOML: " + std::string(e.description()));
  }
  const toml::table* section = root["verify"].as_table();
  if (section == nullptr) return Status::Ok();
  if (auto leeway = (*section)["leeway_seconds"].value<int64_t>()) {
    for (verify::JwtVerifierOptions* o : {&c.gcp.jwt, &c.azure.jwt, &c.oidc.jwt, &c.aws_jwt.jwt}) {
      o->leeway = std::chrono::seconds(*leeway);
    }
  }
  if (auto dir = (*section)["dev_idp_data"].value<std::string>()) {
    WIFGATE_RETURN_IF_ERROR(TrustDevIdp(c, *dir));
  }
  if (auto dir = (*section)["dev_sts_data"].value<std::string>()) c.dev_sts_data = *dir;
  if (const toml::array* issuers = (*section)["issuer"].as_array()) {
    for (const toml::node& node : *issuers) {
      const toml::table* t = node.as_table();
      std::optional<std::string> issuer = t ? (*t)["issuer"].value<std::string>() : std::nullopt;
      std::optional<Provider> provider =
          t ? verify::ParseProvider((*t)["provider"].value_or(std::string("oidc"))) : std::nullopt;
      if (!issuer || !provider || (*provider != Provider::kOidc && *provider != Provider::kAws)) {
        return Misconfigured(path +
                             ": each [[verify.issuer]] needs `issuer` and a provider "
                             "of \"oidc\" or \"aws\"");
      }
      verify::IssuerPolicy policy;
      if (const toml::array* auds = (*t)["audiences"].as_array()) {
        for (const toml::node& a : *auds) {
          if (auto s = a.value<std::string>()) policy.audiences.push_back(*s);
        }
      }
      jwt::KeySource keys;
      keys.issuer = *issuer;
      keys.allow_insecure = (*t)["allow_insecure"].value_or(false);
      if (auto uri = (*t)["jwks_uri"].value<std::string>()) keys.jwks_uri = *uri;
      if (auto file = (*t)["jwks_file"].value<std::string>()) {
        WIFGATE_ASSIGN_OR_RETURN(std::string jwks, c.env.ReadFile(*file, 1 << 20));
        keys.static_jwks = std::move(jwks);
      }
      if (*provider == Provider::kOidc) {
        verify::OidcIssuerConfig& cfg = c.oidc.issuers[*issuer];
        cfg.jwks_uri = keys.jwks_uri;
        cfg.static_jwks = keys.static_jwks;
        cfg.allow_insecure = keys.allow_insecure;
      } else {
        c.aws_jwt.extra_issuers[*issuer] = keys;
      }
      c.registry.configured.Add(*provider, *issuer, std::move(policy));
    }
  }
  return Status::Ok();
}

json::object IdentityJson(const verify::VerifiedIdentity& id) {
  json::object out{{"ok", true},
                   {"provider", verify::ProviderName(id.provider)},
                   {"identity_key", verify::IdentityKey(id)},
                   {"describe", id.Describe()}};
  if (id.jwt) {
    json::array aud;
    for (const std::string& a : id.jwt->audiences) aud.emplace_back(a);
    out["issuer"] = id.jwt->issuer;
    out["subject"] = id.jwt->subject;
    out["audiences"] = std::move(aud);
  }
  if (id.aws) {
    out["aws"] = json::object{
        {"partition", id.aws->partition},
        {"account", id.aws->account},
        {"type", id.aws->type == verify::AwsPrincipalType::kRole ? "IAM_ROLE" : "IAM_USER"},
        {"name", id.aws->name},
        {"session", id.aws->session},
        {"arn", id.aws->arn}};
  }
  return out;
}

struct VerifyArgs {
  std::string provider;
  std::string token;
  std::string token_file;
  std::string config;
};

void Run(const VerifyArgs& args) {
  Env& env = Env::Default();
  std::string token = args.token;
  if (!args.token_file.empty()) {
    Result<std::string> text = env.ReadFile(args.token_file, 64 * 1024);
    if (!text.ok()) Fail(text.status(), 1);
    token = std::string(TrimWhitespace(*text));
  }
  const ProviderEntry* entry = nullptr;
  for (const ProviderEntry& p : Providers()) {
    if (p.name == AsciiLower(args.provider)) entry = &p;
  }
  if (entry == nullptr) {
    Fail(Status(Code::kInvalidArgument, "cli.provider_unknown",
                "--provider must be one of gcp, azure, oidc, aws"),
         2);
  }
  net::BeastHttpClient http(env);
  jwt::HttpJwksFetcher fetcher(http);
  jwt::JwksCache cache(fetcher, env);
  VerifyContext context{env, cache, {}, {}, {}, {}, {}, {}};
  if (!args.config.empty()) {
    if (Status s = LoadConfig(context, args.config); !s.ok()) Fail(s, 2);
  }
  Result<std::unique_ptr<verify::Verifier>> verifier = entry->make(context, token);
  if (!verifier.ok()) Fail(verifier.status(), 1);
  Result<verify::VerifiedIdentity> id = (*verifier)->Verify(token);
  if (!id.ok()) Fail(id.status(), 1);
  std::cout << ToJson(IdentityJson(*id)) << "\n";
}

}  // namespace

void AddVerifyCommand(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand("verify", "Verify an attestation as the server would");
  cmd->add_option("--provider", args->provider, "gcp, azure, oidc or aws")->required();
  auto* token = cmd->add_option("--token", args->token, "the attestation (avoid: visible in ps)");
  auto* file =
      cmd->add_option("--token-file", args->token_file, "read the attestation from a file");
  token->excludes(file);
  cmd->add_option("--config", args->config, "TOML file with a [verify] table");
  cmd->callback([args, token, file] {
    if (token->count() == 0 && file->count() == 0) {
      Fail(Status(Code::kInvalidArgument, "cli.token_missing", "give --token or --token-file"), 2);
    }
    Run(*args);
  });
}

}  // namespace wifgate::cli
