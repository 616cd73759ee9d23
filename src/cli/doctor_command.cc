// `wifgate doctor`: explains what this workload would log in as, and why that does or does
// not work. It prints, in order:
//   1. which credentials it finds and where: the attestation provider's explanation (AWS
//      credential chain; GCP metadata server; Azure AKS token file, App Service / Functions
//      endpoint or IMDS; the OIDC token file), and the attestation, redacted;
//   2. which identity they are: for AWS the attestation's own signed
//      sts:GetCallerIdentity is sent, so STS itself says (doctor_aws.h); for a JWT (GCP,
//      Azure, OIDC, AWS outbound token) the claims, decoded without trusting them, with the
//      expiry verdict and the clause that registers the identity (doctor_jwt.h);
//   3. given --account (and --url), whether that identity maps to a user: a login with
//      exactly this attestation, and the server's code, message and hint.
// Exit code 1 when no attestation could be built or the login is refused.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "attest/aws_attestation.h"
#include "attest/azure_attestation.h"
#include "attest/gcp_attestation.h"
#include "attest/oidc_attestation.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/doctor_aws.h"
#include "cli/doctor_jwt.h"
#include "common/logging.h"
#include "common/strings.h"
#include "net/beast_http_client.h"
#include "wifgate/connection.h"

namespace wifgate::cli {
namespace {

struct DoctorArgs {
  std::string provider = "aws";
  std::vector<std::string> impersonation_path;
  bool aws_outbound_token = false;
  std::string entra_resource;
  std::string token_file;
  std::string url;
  std::string account;
  std::string role;
  std::vector<std::string> allowed_hosts;
};

void Section(std::string_view title) { std::cout << "\n== " << title << "\n"; }
// Values can echo claims of a token nobody has verified yet (the providers' explanations
// name its issuer and subject), so they are printed through ForDisplay, cut at
// kItemMaxChars unless the caller knows the value is bounded and must stay whole.
constexpr size_t kItemMaxChars = 4000;
void Item(std::string_view key, std::string_view value, size_t max_chars = kItemMaxChars) {
  std::cout << "  " << key << ": " << ForDisplay(value, max_chars) << "\n";
}
void Items(const std::vector<attest::ExplainItem>& items, size_t max_chars = kItemMaxChars) {
  for (const auto& item : items) Item(item.key, item.value, max_chars);
}

// Hands the login the attestation the doctor already built, so the one checked against the
// server is exactly the one shown.
class FixedAttestation : public AttestationSource {
 public:
  explicit FixedAttestation(Attestation a) : attestation_(std::move(a)) {}
  Result<Attestation> Attest(const WorkloadIdentityOptions&) override { return attestation_; }

 private:
  Attestation attestation_;
};

// The attestation provider for `provider` (upper case), configured from the flags as
// `wifgate attest` and the client library configure it.
Result<std::unique_ptr<attest::AttestationProvider>> MakeProvider(const Env& env,
                                                                  net::HttpClient& http,
                                                                  const std::string& provider,
                                                                  const DoctorArgs& args) {
  using Ptr = std::unique_ptr<attest::AttestationProvider>;
  if (provider == "AWS") {
    attest::AwsAttestationOptions options;
    options.impersonation_path = args.impersonation_path;
    options.use_outbound_token = args.aws_outbound_token;
    return Ptr(std::make_unique<attest::AwsAttestationProvider>(env, http, std::move(options)));
  }
  if (provider == "GCP") {
    attest::GcpAttestationOptions options;
    options.impersonation_path = args.impersonation_path;
    return Ptr(std::make_unique<attest::GcpAttestationProvider>(env, http, std::move(options)));
  }
  if (!args.impersonation_path.empty()) {
    return Status(Code::kInvalidArgument, "cli.impersonation_unsupported",
                  "--impersonate applies to AWS (role ARNs) and GCP (service accounts) only");
  }
  if (provider == "AZURE") {
    attest::AzureAttestationOptions options;
    if (!args.entra_resource.empty()) options.resource = args.entra_resource;
    return Ptr(std::make_unique<attest::AzureAttestationProvider>(env, http, std::move(options)));
  }
  if (provider == "OIDC") {
    if (args.token_file.empty()) {
      return Status(Code::kInvalidArgument, "cli.oidc_token_missing",
                    "the OIDC doctor needs --token-file: a file holding the token, or "
                    "/dev/stdin to pipe it in");
    }
    return Ptr(std::make_unique<attest::OidcAttestationProvider>(
        env, attest::OidcAttestationOptions{"", args.token_file}));
  }
  return Status(Code::kInvalidArgument, "cli.provider_unavailable",
                "unknown provider '" + args.provider.substr(0, 20) +
                    "'; the doctor explains aws, gcp, azure and oidc");
}

bool IsJwt(const Attestation& attestation) {
  return attestation.provider != "AWS" || attestation.token.find('.') != std::string::npos;
}

void ShowIdentity(const Env& env, net::HttpClient& http, const Attestation& attestation) {
  if (IsJwt(attestation)) {
    Section("identity the token claims");
    // Not cut: DescribeJwt bounds the claims itself, and its registration clause must be
    // printed whole, or the administrator would register another identity.
    Items(DescribeJwt(attestation.provider, attestation.token, env.Now()), std::string::npos);
    return;
  }
  Section("identity (sts:GetCallerIdentity with the attestation's signed request)");
  Items(AwsCallerIdentity(env, http, attestation));
}

// Tries a WORKLOAD_IDENTITY login with `attestation`; returns whether it succeeded.
bool ShowMapping(Env& env, net::HttpClient& http, const Attestation& attestation,
                 const DoctorArgs& args) {
  if (args.account.empty()) {
    Section("mapping to a user");
    Item("skipped", "pass --account (and --url) to try a login with this attestation");
    return true;
  }
  Section("mapping to a user (a WORKLOAD_IDENTITY login)");
  FixedAttestation fixed(attestation);
  ConnectionOptions o;
  o.url = args.url;
  o.account = args.account;
  o.role = args.role;
  o.allowed_hosts = args.allowed_hosts;
  o.workload_identity.provider = attestation.provider;
  o.attestation_source = &fixed;
  o.env = &env;
  o.http = &http;
  auto conn = Connection::Open(o);
  if (!conn.ok()) {
    Item("result", "refused");
    Item("reason", conn.status().reason());
    Item("server says", conn.status().message());
    Item("next step",
         "if the identity above is the one this workload should log in as, an administrator "
         "registers it (CREATE USER ... WORKLOAD_IDENTITY = (...)); the server's "
         "LOGIN_HISTORY row for this attempt (ERROR_CODE, ERROR_MESSAGE) has the full reason");
    return false;
  }
  Item("result", "logged in");
  Item("user", (*conn)->user());
  (void)(*conn)->Close();
  return true;
}

void Run(const DoctorArgs& args) {
  Env& env = Env::Default();
  net::BeastHttpClient http(env);
  std::string provider = AsciiUpper(args.provider);
  auto attestor = MakeProvider(env, http, provider, args);
  if (!attestor.ok()) Fail("doctor", attestor.status(), 2);
  std::cout << "wifgate doctor: provider " << provider << "\n";

  Section("credentials and attestation");
  auto result = (*attestor)->Attest();
  if (!result.ok()) {
    Item("error", result.status().ToString());
    throw CLI::RuntimeError(1);
  }
  Items(result->explain);
  Item("attestation", IsJwt(result->attestation)
                          ? "a JWT of " + std::to_string(result->attestation.token.size()) +
                                " bytes (not shown: it is a bearer credential)"
                          : Redact(result->attestation.token));

  ShowIdentity(env, http, result->attestation);
  if (!ShowMapping(env, http, result->attestation, args)) throw CLI::RuntimeError(1);
}

}  // namespace

void AddDoctorCommand(CLI::App& app) {
  auto args = std::make_shared<DoctorArgs>();
  CLI::App* cmd = app.add_subcommand(
      "doctor", "Explain this workload's identity and whether it maps to a user");
  cmd->add_option("--provider", args->provider, "aws (default), gcp, azure or oidc");
  cmd->add_option("--impersonate", args->impersonation_path,
                  "AWS: role ARN to assume first; GCP: service account to impersonate "
                  "(repeatable, in order)");
  cmd->add_flag("--aws-outbound-token", args->aws_outbound_token,
                "AWS: use an sts:GetWebIdentityToken JWT as the attestation");
  cmd->add_option("--entra-resource", args->entra_resource,
                  "AZURE: the Entra resource to ask a token for (default Snowflake's)");
  // No --token: a bearer token on the command line is visible in ps, /proc and shell
  // history. `wifgate query` takes OIDC tokens the same way.
  cmd->add_option("--token-file", args->token_file,
                  "OIDC: a file holding the token (/dev/stdin to pipe it in)");
  cmd->add_option("--url", args->url, "Server base URL (default: the account's Snowflake host)");
  cmd->add_option("--account", args->account, "Account: when given, a login is attempted");
  cmd->add_option("--role", args->role, "Role to request in the login");
  cmd->add_option("--allowed-host", args->allowed_hosts,
                  "Extra host the attestation may be sent to (repeatable)");
  cmd->callback([args] { Run(*args); });
}

}  // namespace wifgate::cli
