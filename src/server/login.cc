#include "server/login.h"

#include "common/logging.h"
#include "common/metrics.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "registry/login_history.h"
#include "registry/password.h"
#include "registry/policy.h"
#include "registry/resolver.h"
#include "server/identifiers.h"
#include "verify/keypair_verifier.h"

namespace wifgate::server {
namespace {

using verify::Provider;
using verify::VerifiedIdentity;

CounterFamily& LoginCounter() {
  static CounterFamily& c = Metrics::Global().Counter(
      "wifgate_logins_total", "Login attempts by authenticator, provider and outcome.",
      {"authenticator", "provider", "outcome"});
  return c;
}

HistogramFamily& VerifyLatency() {
  static HistogramFamily& h = Metrics::Global().Histogram(
      "wifgate_verify_seconds", "Time to verify a workload attestation.", {"provider"},
      {0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  return h;
}

// REPORTED_CLIENT_TYPE as Snowflake spells it for the connectors' CLIENT_APP_ID.
std::string ClientType(const std::string& app_id) {
  if (app_id == "JavaScript") return "JAVASCRIPT_DRIVER";
  if (app_id == "PythonConnector") return "PYTHON_DRIVER";
  if (app_id == "JDBC") return "JDBC_DRIVER";
  if (app_id == "Go") return "GO_DRIVER";
  return app_id.empty() ? "OTHER" : AsciiUpper(app_id);
}

// The login error code for a failure of the workload-identity steps.
std::string WorkloadCode(const Status& s) {
  switch (s.code()) {
    case Code::kUnavailable:
    case Code::kDeadlineExceeded:
    case Code::kResourceExhausted:
      return login_codes::kVerifierUnavailable;
    case Code::kInvalidArgument:
    case Code::kUnauthenticated:
      return login_codes::kAttestationInvalid;
    default:
      return login_codes::kAttestationInvalid;
  }
}

bool HasRole(const registry::User& user, std::string_view role) {
  if (role == "PUBLIC") return true;
  for (const auto& g : user.grants) {
    if (g.role == role) return true;
  }
  return false;
}

}  // namespace

struct LoginService::Attempt {
  LoginRequest request;
  ClientContext client;
  Done done;
  std::string factor;  // FIRST_AUTHENTICATION_FACTOR
  std::string provider;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::optional<VerifiedIdentity> identity;
  std::optional<std::string> user_name;
  std::optional<registry::Principal> principal;  // keeps the matched identity alive
};

LoginService::LoginService(Env& env, const ServerConfig& config, registry::Registry& registry,
                           SessionStore& sessions, RateLimiter& rate_limiter, Verifiers verifiers)
    : env_(env),
      config_(config),
      registry_(registry),
      sessions_(sessions),
      rate_limiter_(rate_limiter),
      verifiers_(verifiers) {}

void LoginService::Login(LoginRequest request, ClientContext client, Done done) {
  auto attempt = std::make_shared<Attempt>();
  attempt->request = std::move(request);
  attempt->client = std::move(client);
  attempt->done = std::move(done);
  const LoginRequest& req = attempt->request;
  attempt->factor = req.authenticator == "WORKLOAD_IDENTITY" ? "WORKLOAD_IDENTITY"
                    : req.authenticator == "SNOWFLAKE_JWT"   ? "RSA_KEYPAIR"
                                                             : "PASSWORD";
  attempt->provider = req.provider;

  if (!rate_limiter_.Allow(attempt->client.ip)) {
    return Fail(attempt, login_codes::kRateLimited,
                Status(Code::kResourceExhausted, "login.rate_limited",
                       "too many login attempts from " + attempt->client.ip,
                       "Too many login attempts from this address; wait a minute and retry."));
  }
  // Connectors send the account as configured; a region suffix after the first dot is
  // theirs to strip, but be lenient with the ones that do not.
  std::string account = AsciiUpper(Split(req.account, '.')[0]);
  if (account != config_.account) {
    return Fail(attempt, login_codes::kWrongAccount,
                Status(Code::kInvalidArgument, "login.wrong_account",
                       "login for account '" + req.account + "' but this server serves '" +
                           config_.account + "'",
                       "This server serves account '" + config_.account + "', not '" + req.account +
                           "': set the connection's account to " + config_.account + "."));
  }
  if (req.authenticator == "WORKLOAD_IDENTITY") return LoginWithWorkloadIdentity(attempt);
  if (req.authenticator == "SNOWFLAKE") return LoginWithPassword(attempt);
  if (req.authenticator == "SNOWFLAKE_JWT") return LoginWithKeyPair(attempt);
  Fail(attempt, login_codes::kUnsupported,
       Status(Code::kInvalidArgument, "login.authenticator_unsupported",
              "authenticator '" + req.authenticator + "' is not supported",
              "Authenticator '" + req.authenticator +
                  "' is not supported here; use WORKLOAD_IDENTITY, SNOWFLAKE or SNOWFLAKE_JWT."));
}

void LoginService::LoginWithWorkloadIdentity(std::shared_ptr<Attempt> attempt) {
  const LoginRequest& req = attempt->request;
  verify::Verifier* verifier = nullptr;
  // Exactly as the connectors send it: a variant spelling ("aws", "AWS ") is refused, not
  // guessed at (security.md ENV-12).
  auto provider = verify::ParseProvider(req.provider);
  if (provider && verify::ProviderName(*provider) != req.provider) provider.reset();
  if (provider == Provider::kAws) {
    // The JWT form (GetWebIdentityToken) has dots; the SigV4 envelope is plain base64.
    verifier = req.token.find('.') != std::string::npos ? verifiers_.aws_jwt : verifiers_.aws_sts;
  } else if (provider == Provider::kGcp) {
    verifier = verifiers_.gcp;
  } else if (provider == Provider::kAzure) {
    verifier = verifiers_.azure;
  } else if (provider == Provider::kOidc) {
    verifier = verifiers_.oidc;
  }
  if (!provider) {
    return Fail(
        attempt, login_codes::kMalformed,
        Status(Code::kInvalidArgument, "login.provider_unknown",
               "WORKLOAD_IDENTITY login with PROVIDER '" + req.provider + "'",
               "PROVIDER must be one of AWS, GCP, AZURE, OIDC (got '" + req.provider + "')."));
  }
  if (verifier == nullptr) {
    return Fail(
        attempt, login_codes::kUnsupported,
        Status(Code::kFailedPrecondition, "login.provider_disabled",
               "no verifier configured for provider " + req.provider,
               "Workload identity provider " + req.provider + " is not enabled on this server."));
  }
  if (req.token.empty()) {
    return Fail(attempt, login_codes::kMalformed,
                Status(Code::kInvalidArgument, "login.token_missing",
                       "WORKLOAD_IDENTITY login without TOKEN",
                       "The login request carries no attestation (TOKEN)."));
  }
  std::string token = std::move(attempt->request.token);  // a secret: keep one copy only
  verifier->VerifyAsync(std::move(token), [this, attempt](Result<VerifiedIdentity> verified) {
    OnVerified(attempt, std::move(verified));
  });
}

void LoginService::OnVerified(std::shared_ptr<Attempt> attempt, Result<VerifiedIdentity> verified) {
  VerifyLatency().Observe(
      {attempt->provider},
      std::chrono::duration<double>(std::chrono::steady_clock::now() - attempt->started).count());
  if (!verified.ok()) return Fail(attempt, WorkloadCode(verified.status()), verified.status());
  attempt->identity = *verified;

  auto snapshot = registry_.Current();
  if (!snapshot.ok()) {
    return Fail(attempt, login_codes::kInternal,
                snapshot.status().WithContext("loading the registry"));
  }
  auto principal = registry::Resolve(*snapshot, *verified);
  if (!principal.ok())
    return Fail(attempt, login_codes::kIdentityNotRegistered, principal.status());
  attempt->user_name = principal->user->name;
  attempt->principal = *principal;

  Status allowed = registry::CheckWorkloadLogin(*principal, *verified);
  if (!allowed.ok()) return Fail(attempt, login_codes::kPolicyDenied, allowed);

  const std::string& login_name = attempt->request.login_name;
  if (!login_name.empty() && NormalizeIdentifier(login_name) != principal->user->name) {
    return Fail(
        attempt, login_codes::kIdentityNotRegistered,
        Status(Code::kPermissionDenied, "login.user_mismatch",
               "the connection named user '" + login_name + "' but the workload identity " +
                   verified->Describe() + " belongs to " + principal->user->name,
               "The workload identity " + verified->Describe() + " does not belong to user '" +
                   login_name + "'; omit the user, or name the user it is registered to."));
  }
  Succeed(attempt, *principal->user, verify::IdentityKey(*verified));
}

void LoginService::LoginWithPassword(std::shared_ptr<Attempt> attempt) {
  const LoginRequest& req = attempt->request;
  // One message for every password failure, so the reply does not tell which users exist.
  Status bad(Code::kUnauthenticated, "login.bad_password", "",
             "Incorrect username or password was specified.");
  auto snapshot = registry_.Current();
  if (!snapshot.ok()) return Fail(attempt, login_codes::kInternal, snapshot.status());
  const registry::User* user = (*snapshot)->state().FindUser(NormalizeIdentifier(req.login_name));
  if (user == nullptr) {
    // Spend the time a real check would, so absent users cannot be told apart by timing.
    static const std::string dummy_hash =
        registry::HashPassword("wifgate-timing-equaliser", env_).value();
    registry::VerifyPassword(req.password, dummy_hash);
    return Fail(attempt, login_codes::kBadPassword,
                Status(bad.code(), bad.reason(), "no user named '" + req.login_name + "'",
                       bad.client_message()));
  }
  attempt->user_name = user->name;
  if (user->password_hash.empty() || !registry::VerifyPassword(req.password, user->password_hash)) {
    return Fail(attempt, login_codes::kBadPassword,
                Status(bad.code(), bad.reason(),
                       user->password_hash.empty() ? "user " + user->name + " has no password"
                                                   : "wrong password for user " + user->name,
                       bad.client_message()));
  }
  if (user->disabled) {
    return Fail(attempt, login_codes::kUserDisabled,
                Status(Code::kPermissionDenied, "registry.user_disabled",
                       "user " + user->name + " is disabled",
                       "User access disabled. Contact your local system administrator."));
  }
  const registry::AuthenticationPolicy* policy =
      registry::EffectivePolicy((*snapshot)->state(), *user);
  if (policy != nullptr && !policy->authentication_methods.empty() &&
      std::find(policy->authentication_methods.begin(), policy->authentication_methods.end(),
                "PASSWORD") == policy->authentication_methods.end()) {
    return Fail(attempt, login_codes::kPolicyDenied,
                Status(Code::kPermissionDenied, "registry.policy_method",
                       "authentication policy " + policy->name + " does not allow PASSWORD for " +
                           user->name,
                       "Authentication policy does not allow password login for this user."));
  }
  Succeed(attempt, *user, "");
}

void LoginService::LoginWithKeyPair(std::shared_ptr<Attempt> attempt) {
  const LoginRequest& req = attempt->request;
  auto snapshot = registry_.Current();
  if (!snapshot.ok()) return Fail(attempt, login_codes::kInternal, snapshot.status());
  const registry::User* user = (*snapshot)->state().FindUser(NormalizeIdentifier(req.login_name));
  if (user == nullptr || user->rsa_public_key.empty()) {
    return Fail(attempt, login_codes::kKeyPairInvalid,
                Status(Code::kUnauthenticated, "keypair.no_key",
                       user == nullptr ? "no user named '" + req.login_name + "'"
                                       : "user " + user->name + " has no RSA_PUBLIC_KEY",
                       "JWT token is invalid."));
  }
  attempt->user_name = user->name;
  Status verified = verify::VerifyKeyPairLogin({.token = req.token,
                                                .account = config_.account,
                                                .user = user->name,
                                                .rsa_public_key = user->rsa_public_key,
                                                .now = env_.Now()});
  if (!verified.ok()) return Fail(attempt, login_codes::kKeyPairInvalid, verified);
  if (user->disabled) {
    return Fail(attempt, login_codes::kUserDisabled,
                Status(Code::kPermissionDenied, "registry.user_disabled",
                       "user " + user->name + " is disabled",
                       "User access disabled. Contact your local system administrator."));
  }
  Succeed(attempt, *user, "");
}

void LoginService::Succeed(std::shared_ptr<Attempt> attempt, const registry::User& user,
                           std::string identity_key) {
  const LoginRequest& req = attempt->request;
  auto session = std::make_shared<Session>();
  session->user = user.name;
  session->authenticator = req.authenticator;
  session->identity_key = std::move(identity_key);
  session->client = req.client_app_id + " " + req.client_app_version;

  // The role: the one asked for, which must be granted; else the default role when it is
  // still granted; else PUBLIC.
  if (!req.role.empty()) {
    std::string role = NormalizeIdentifier(req.role);
    if (!HasRole(user, role)) {
      return Fail(
          attempt, login_codes::kRoleNotGranted,
          Status(Code::kPermissionDenied, "login.role_not_granted",
                 "role " + role + " requested at login is not granted to " + user.name,
                 "Role '" + role +
                     "' specified in the connect string is not granted to "
                     "this user. Contact your local system administrator, or attempt to login "
                     "with another role, e.g. PUBLIC."));
    }
    session->role = role;
  } else if (!user.default_role.empty() && HasRole(user, user.default_role)) {
    session->role = user.default_role;
  } else {
    session->role = "PUBLIC";
  }
  if (!req.database.empty()) session->database = NormalizeIdentifier(req.database);
  if (!req.schema.empty()) session->schema = NormalizeIdentifier(req.schema);
  if (!req.warehouse.empty()) session->warehouse = NormalizeIdentifier(req.warehouse);
  if (auto it = req.session_parameters.find("JS_TREAT_INTEGER_AS_BIGINT");
      it != req.session_parameters.end() && it->second.is_bool()) {
    session->treat_integer_as_bigint = it->second.get_bool();
  }

  auto tokens = sessions_.Create(session);
  if (!tokens.ok()) return Fail(attempt, login_codes::kInternal, tokens.status());
  rate_limiter_.Refund(attempt->client.ip);
  Record(*attempt, Status());
  LoginCounter().Increment({attempt->request.authenticator, attempt->provider, "success"});
  Log(LogLevel::kInfo, "login",
      {{"outcome", "success"},
       {"user", user.name},
       {"authenticator", attempt->request.authenticator},
       {"identity", attempt->identity ? attempt->identity->Describe() : std::string()},
       {"client_ip", attempt->client.ip},
       {"session_id", static_cast<int64_t>(tokens->session_id)}});
  LoginResult result;
  result.tokens = std::move(*tokens);
  result.session = std::move(session);
  attempt->done(std::move(result));
}

void LoginService::Fail(std::shared_ptr<Attempt> attempt, std::string code, Status status) {
  Record(*attempt, status);
  LoginCounter().Increment({attempt->request.authenticator, attempt->provider, "failure"});
  Log(LogLevel::kWarn, "login",
      {{"outcome", "failure"},
       {"reason", status.reason()},
       {"detail", status.message()},
       {"authenticator", attempt->request.authenticator},
       {"identity", attempt->identity ? attempt->identity->Describe() : std::string()},
       {"client_ip", attempt->client.ip}});
  LoginResult result;
  result.status = std::move(status);
  result.code = std::move(code);
  attempt->done(std::move(result));
}

void LoginService::Record(const Attempt& attempt, const Status& outcome) {
  registry::LoginAttempt row;
  row.factor = attempt.factor;
  row.provider = attempt.provider;
  row.identity = attempt.identity ? &*attempt.identity : nullptr;
  row.user_name = attempt.user_name;
  row.workload_identity = attempt.principal ? attempt.principal->identity : nullptr;
  registry::ClientInfo client{attempt.client.ip, ClientType(attempt.request.client_app_id),
                              attempt.request.client_app_version};
  auto recorded = registry_.store().RecordLogin(
      registry::MakeLoginEvent(row, outcome, client, ToUnixSeconds(env_.Now())));
  if (!recorded.ok()) {
    Log(LogLevel::kError, "login_history_write_failed", {{"error", recorded.status().ToString()}});
  }
}

}  // namespace wifgate::server
