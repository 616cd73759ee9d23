// `wifgate doctor`: explains what this workload would log in as, and why that does or does
// not work. It prints, in order: which credentials it finds and where (the attestation
// provider's explanation), which identity they are (for AWS, the signed
// sts:GetCallerIdentity request is actually sent, so STS itself says), the attestation it
// would send (redacted), and — given a server — whether that identity maps to a user: it
// tries a login and shows the server's code, message and hint.
#include <CLI/CLI.hpp>
#include <iostream>

#include "attest/aws_attestation.h"
#include "cli/commands.h"
#include "common/base64.h"
#include "common/json.h"
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
  std::string url;
  std::string account;
  std::string role;
  std::vector<std::string> allowed_hosts;
};

void Section(std::string_view title) { std::cout << "\n== " << title << "\n"; }
void Item(std::string_view key, std::string_view value) {
  std::cout << "  " << key << ": " << value << "\n";
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

std::string XmlElement(std::string_view xml, std::string_view name) {
  std::string open = "<" + std::string(name) + ">";
  size_t start = xml.find(open);
  if (start == std::string_view::npos) return "";
  start += open.size();
  size_t end = xml.find("</" + std::string(name) + ">", start);
  return end == std::string_view::npos ? "" : std::string(xml.substr(start, end - start));
}

// Sends the attestation's signed GetCallerIdentity (to AWS_ENDPOINT_URL_STS when set, with
// the signed Host header kept) and reports the ARN STS answers with.
void ShowAwsIdentity(Env& env, net::HttpClient& http, const Attestation& attestation) {
  Section("identity (sts:GetCallerIdentity with the attestation's signed request)");
  if (attestation.token.find('.') != std::string::npos) {
    Item("skipped", "outbound-token mode: the attestation is an STS-issued JWT");
    return;
  }
  auto decoded = Base64Decode(attestation.token);
  Result<boost::json::value> envelope = decoded ? ParseStrictJson(*decoded) : Status();
  if (!decoded || !envelope.ok() || !envelope->is_object()) {
    Item("error", "the attestation is not a base64 JSON envelope");
    return;
  }
  const auto& o = envelope->as_object();
  net::HttpRequest request;
  request.method = GetString(o, "method").value_or("POST");
  request.url = GetString(o, "url").value_or("");
  if (auto override_url = GetNonEmptyVar(env, "AWS_ENDPOINT_URL_STS")) {
    std::string base = *override_url;
    while (base.ends_with('/')) base.pop_back();
    request.url = base + request.url.substr(request.url.find('/', request.url.find("//") + 2));
  }
  if (const auto* headers = GetObject(o, "headers")) {
    for (const auto& [name, value] : *headers) {
      if (value.is_string())
        request.headers.push_back({std::string(name), std::string(value.get_string())});
    }
  }
  Item("sent to", request.url.substr(0, request.url.find('?')));
  auto response = http.Send(request, net::HttpOptions{});
  if (!response.ok()) {
    Item("error", response.status().ToString());
    return;
  }
  std::string arn = XmlElement(response->body, "Arn");
  if (response->status == 200 && !arn.empty()) {
    Item("arn", arn);
    Item("account", XmlElement(response->body, "Account"));
    Item("user id", XmlElement(response->body, "UserId"));
    return;
  }
  Item("STS answered", "HTTP " + std::to_string(response->status) + " " +
                           XmlElement(response->body, "Code") + ": " +
                           XmlElement(response->body, "Message"));
  Item("hint",
       "STS refused the signed request: the credentials are invalid or expired, or the "
       "clock is off; the server will refuse this attestation the same way");
}

void Run(const DoctorArgs& args) {
  Env& env = Env::Default();
  net::BeastHttpClient http(env);
  std::string provider = AsciiUpper(args.provider);
  std::cout << "wifgate doctor: provider " << provider << "\n";
  if (provider != "AWS") {
    Item("not supported",
         "the doctor explains AWS workloads so far; use `wifgate attest "
         "--provider " +
             args.provider + " --explain` for the credentials");
    throw CLI::RuntimeError(1);
  }

  attest::AwsAttestationOptions options;
  options.impersonation_path = args.impersonation_path;
  options.use_outbound_token = args.aws_outbound_token;
  attest::AwsAttestationProvider attestor(env, http, options);
  auto result = attestor.Attest();
  Section("credentials and attestation");
  if (!result.ok()) {
    Item("error", result.status().ToString());
    throw CLI::RuntimeError(1);
  }
  for (const auto& item : result->explain) Item(item.key, item.value);
  Item("attestation", Redact(result->attestation.token));

  ShowAwsIdentity(env, http, result->attestation);

  if (args.account.empty()) {
    Section("mapping to a user");
    Item("skipped", "pass --account (and --url) to try a login with this attestation");
    return;
  }
  Section("mapping to a user (a WORKLOAD_IDENTITY login)");
  FixedAttestation fixed(result->attestation);
  ConnectionOptions o;
  o.url = args.url;
  o.account = args.account;
  o.role = args.role;
  o.allowed_hosts = args.allowed_hosts;
  o.workload_identity.provider = provider;
  o.attestation_source = &fixed;
  o.http = &http;
  auto conn = Connection::Open(o);
  if (!conn.ok()) {
    Item("result", "refused");
    Item("reason", conn.status().reason());
    Item("server says", conn.status().message());
    throw CLI::RuntimeError(1);
  }
  Item("result", "logged in");
  Item("user", (*conn)->user());
  (void)(*conn)->Close();
}

}  // namespace

void AddDoctorCommand(CLI::App& app) {
  auto args = std::make_shared<DoctorArgs>();
  CLI::App* cmd = app.add_subcommand(
      "doctor", "Explain this workload's identity and whether it maps to a user");
  cmd->add_option("--provider", args->provider, "aws (default); gcp, azure, oidc: not yet");
  cmd->add_option("--impersonate", args->impersonation_path,
                  "Role ARN to assume first (repeatable)");
  cmd->add_flag("--aws-outbound-token", args->aws_outbound_token,
                "Use an sts:GetWebIdentityToken JWT as the attestation");
  cmd->add_option("--url", args->url, "Server base URL (default: the account's Snowflake host)");
  cmd->add_option("--account", args->account, "Account: when given, a login is attempted");
  cmd->add_option("--role", args->role, "Role to request in the login");
  cmd->add_option("--allowed-host", args->allowed_hosts,
                  "Extra host the attestation may be sent to (repeatable)");
  cmd->callback([args] { Run(*args); });
}

}  // namespace wifgate::cli
