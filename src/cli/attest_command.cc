// `wifgate attest --provider aws|gcp|azure|oidc [--explain] [--json]`: builds this workload's
// attestation, the TOKEN a WORKLOAD_IDENTITY login sends, and prints it.
//
//   (default)  the attestation alone on stdout, for `TOKEN=$(wifgate attest --provider aws)`
//   --explain  what went into it instead (credential source, region, STS host, signed
//              headers, the decoded envelope with signature and session token redacted)
//   --json     {"provider","token"} (plus "explain" with --explain); failures as
//              {"ok":false,"reason","message"} with exit code 1
//
// AWS options: --audience, --sts-host (FIPS/private endpoints), --impersonate ARN (repeat or
// comma-separate; assumed in order), --outbound-token (GetWebIdentityToken JWT), and --at
// TIME, which pins the signing time: for reproducing a recorded attestation and for the
// cross-check against @smithy/signature-v4 (tests/e2e), not for production use.
//
// GCP: --audience, --impersonate EMAIL (delegation chain, last = the identity). Azure:
// --entra-resource. OIDC: --token or --token-file (re-read on every call).
//
// Providers are a table (Providers()): one row per provider.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <functional>
#include <iostream>
#include <memory>

#include "attest/aws_attestation.h"
#include "attest/azure_attestation.h"
#include "attest/gcp_attestation.h"
#include "attest/oidc_attestation.h"
#include "cli/commands.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "net/beast_http_client.h"

namespace wifgate::cli {
namespace {

namespace json = boost::json;

struct AttestFlags {
  std::string provider;
  bool explain = false;
  bool json = false;
  std::string audience = std::string(attest::kSnowflakeAudience);
  std::string sts_host;
  std::vector<std::string> impersonate;
  bool outbound_token = false;
  std::string at;
  std::string entra_resource;
  std::string token;
  std::string token_file;
};

using ProviderFactory = std::function<Result<std::unique_ptr<attest::AttestationProvider>>(
    const Env&, net::HttpClient&, const AttestFlags&)>;

Result<SystemTime> ParseAt(const std::string& text) {
  if (auto t = ParseAmzDate(text)) return *t;
  if (auto t = ParseRfc3339(text)) return *t;
  return Status(Code::kInvalidArgument, "cli.bad_time",
                "--at '" + text.substr(0, 40) +
                    "' is neither 20150830T123600Z nor 2015-08-30T12:36:00Z; fix --at");
}

// --impersonate values, each possibly a comma-separated list, in order.
std::vector<std::string> ImpersonationPath(const AttestFlags& flags) {
  std::vector<std::string> path;
  for (const std::string& arg : flags.impersonate) {
    for (std::string_view hop : Split(arg, ',')) {
      if (!TrimWhitespace(hop).empty()) path.emplace_back(TrimWhitespace(hop));
    }
  }
  return path;
}

Result<std::unique_ptr<attest::AttestationProvider>> MakeAws(const Env& env, net::HttpClient& http,
                                                             const AttestFlags& flags) {
  attest::AwsAttestationOptions options;
  options.audience = flags.audience;
  options.sts_host = flags.sts_host;
  options.use_outbound_token = flags.outbound_token;
  options.impersonation_path = ImpersonationPath(flags);
  if (!flags.at.empty()) {
    WIFGATE_ASSIGN_OR_RETURN(SystemTime at, ParseAt(flags.at));
    options.at = at;
  }
  return std::unique_ptr<attest::AttestationProvider>(
      std::make_unique<attest::AwsAttestationProvider>(env, http, std::move(options)));
}

Result<std::unique_ptr<attest::AttestationProvider>> MakeGcp(const Env& env, net::HttpClient& http,
                                                             const AttestFlags& flags) {
  attest::GcpAttestationOptions options;
  options.audience = flags.audience;
  options.impersonation_path = ImpersonationPath(flags);
  return std::unique_ptr<attest::AttestationProvider>(
      std::make_unique<attest::GcpAttestationProvider>(env, http, std::move(options)));
}

Result<std::unique_ptr<attest::AttestationProvider>> MakeAzure(const Env& env,
                                                               net::HttpClient& http,
                                                               const AttestFlags& flags) {
  attest::AzureAttestationOptions options;
  if (!flags.entra_resource.empty()) options.resource = flags.entra_resource;
  return std::unique_ptr<attest::AttestationProvider>(
      std::make_unique<attest::AzureAttestationProvider>(env, http, std::move(options)));
}

Result<std::unique_ptr<attest::AttestationProvider>> MakeOidc(const Env& env, net::HttpClient&,
                                                              const AttestFlags& flags) {
  if (flags.token.empty() == flags.token_file.empty()) {
    return Status(Code::kInvalidArgument, "cli.oidc_token_missing",
                  "OIDC attestation needs exactly one of --token or --token-file");
  }
  return std::unique_ptr<attest::AttestationProvider>(
      std::make_unique<attest::OidcAttestationProvider>(
          env, attest::OidcAttestationOptions{flags.token, flags.token_file}));
}

const std::vector<std::pair<std::string_view, ProviderFactory>>& Providers() {
  static const std::vector<std::pair<std::string_view, ProviderFactory>> providers = {
      {"aws", MakeAws}, {"gcp", MakeGcp}, {"azure", MakeAzure}, {"oidc", MakeOidc}};
  return providers;
}

[[noreturn]] void Fail(const Status& status, bool as_json) {
  if (as_json) {
    json::object out{{"ok", false}, {"reason", status.reason()}, {"message", status.message()}};
    std::cout << ToJson(out) << "\n";
  }
  std::cerr << "wifgate attest: " << status.ToString() << "\n";
  throw CLI::RuntimeError(1);
}

void Run(const AttestFlags& flags) {
  const std::string name = AsciiLower(flags.provider);
  const ProviderFactory* factory = nullptr;
  for (const auto& [provider_name, make] : Providers()) {
    if (provider_name == name) factory = &make;
  }
  if (factory == nullptr) {
    Fail(Status(Code::kInvalidArgument, "cli.provider_unavailable",
                "this build cannot attest for provider '" + flags.provider.substr(0, 20) +
                    "'; available: aws, gcp, azure, oidc"),
         flags.json);
  }
  Env& env = Env::Default();
  net::BeastHttpClient http(env);
  auto provider = (*factory)(env, http, flags);
  if (!provider.ok()) Fail(provider.status(), flags.json);
  auto result = (*provider)->Attest();
  if (!result.ok()) Fail(result.status(), flags.json);

  if (flags.json) {
    json::object out{{"provider", result->attestation.provider},
                     {"token", result->attestation.token}};
    if (flags.explain) {
      json::object explain;
      for (const auto& item : result->explain) explain[item.key] = item.value;
      out["explain"] = std::move(explain);
    }
    std::cout << ToJson(out) << "\n";
    return;
  }
  if (flags.explain) {
    std::cout << "provider: " << result->attestation.provider << "\n";
    for (const auto& item : result->explain) std::cout << item.key << ": " << item.value << "\n";
    std::cout << "token: " << result->attestation.token.size()
              << " bytes (printed without --explain)\n";
    return;
  }
  std::cout << result->attestation.token << "\n";
}

}  // namespace

void AddAttestCommand(CLI::App& app) {
  auto flags = std::make_shared<AttestFlags>();
  CLI::App* cmd = app.add_subcommand("attest", "Build this workload's attestation and print it");
  cmd->add_option("--provider", flags->provider, "aws (gcp, azure, oidc: see docs)")->required();
  cmd->add_flag("--explain", flags->explain,
                "Print what went into the attestation (secrets redacted) instead of it");
  cmd->add_flag("--json", flags->json, "Print JSON");
  cmd->add_option("--audience", flags->audience, "AWS: X-Snowflake-Audience / token audience");
  cmd->add_option("--sts-host", flags->sts_host,
                  "AWS: STS host named in the envelope (default: the region's)");
  cmd->add_option(
      "--impersonate", flags->impersonate,
      "AWS: role ARN to assume first; GCP: service account to impersonate; repeat for a chain");
  cmd->add_flag("--outbound-token", flags->outbound_token,
                "AWS: send an sts:GetWebIdentityToken JWT (ES384) instead of a signed request");
  cmd->add_option("--entra-resource", flags->entra_resource,
                  "AZURE: the Entra resource to ask a token for (default Snowflake's)");
  cmd->add_option("--token", flags->token,
                  "OIDC: the token to send (visible in ps; prefer --token-file)");
  cmd->add_option("--token-file", flags->token_file, "OIDC: a file holding the token");
  cmd->add_option("--at", flags->at,
                  "Testing only: sign as of this UTC time (20150830T123600Z or RFC 3339)");
  cmd->callback([flags] { Run(*flags); });
}

}  // namespace wifgate::cli
