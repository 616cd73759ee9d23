// LoginService: one login, from a parsed request to a session or a refusal.
//
// The steps, in order (DESIGN.md "A login, as data"):
//   rate limit → account check → authenticator:
//     WORKLOAD_IDENTITY: verifier for the provider → VerifiedIdentity → registry resolver →
//                        policy → session
//     SNOWFLAKE:         user by LOGIN_NAME → password hash → policy → session
//     SNOWFLAKE_JWT:     user by LOGIN_NAME → key-pair JWT against RSA_PUBLIC_KEY → session
//   and, whatever happened, one LOGIN_HISTORY row with the full story.
//
// Verification is asynchronous (verifiers may call STS or fetch JWKS); Login() returns at
// once and `done` runs exactly once. The reply sent to the client carries a stable error
// code (docs/errors.md) and the client message of the failing step: which check failed
// and, once the identity is verified, that identity — never anything about other users.
#ifndef WIFGATE_SERVER_LOGIN_H_
#define WIFGATE_SERVER_LOGIN_H_

#include <functional>
#include <memory>
#include <string>

#include "registry/snapshot.h"
#include "server/config.h"
#include "server/rate_limiter.h"
#include "server/session_store.h"
#include "server/snowflake_protocol.h"
#include "verify/verifier.h"

namespace wifgate::server {

// The verifiers a server has, by attestation kind; a null one refuses that kind.
struct Verifiers {
  verify::Verifier* aws_sts = nullptr;  // PROVIDER=AWS, SigV4 GetCallerIdentity envelope
  verify::Verifier* aws_jwt = nullptr;  // PROVIDER=AWS, STS GetWebIdentityToken JWT
  verify::Verifier* gcp = nullptr;
  verify::Verifier* azure = nullptr;
  verify::Verifier* oidc = nullptr;
};

struct LoginResult {
  Status status;     // OK on success
  std::string code;  // Snowflake-style error code for the reply, when !status.ok()
  IssuedTokens tokens;
  std::shared_ptr<Session> session;
};

struct ClientContext {
  std::string ip;
};

class LoginService {
 public:
  using Done = std::function<void(LoginResult)>;

  LoginService(Env& env, const ServerConfig& config, registry::Registry& registry,
               SessionStore& sessions, RateLimiter& rate_limiter, Verifiers verifiers);

  void Login(LoginRequest request, ClientContext client, Done done);

 private:
  struct Attempt;  // one login in flight

  void LoginWithWorkloadIdentity(std::shared_ptr<Attempt> attempt);
  void OnVerified(std::shared_ptr<Attempt> attempt, Result<verify::VerifiedIdentity> verified);
  void LoginWithPassword(std::shared_ptr<Attempt> attempt);
  void LoginWithKeyPair(std::shared_ptr<Attempt> attempt);
  // Creates the session for `user` (role chosen from the request and grants) and finishes.
  void Succeed(std::shared_ptr<Attempt> attempt, const registry::User& user,
               std::string identity_key);
  void Fail(std::shared_ptr<Attempt> attempt, std::string code, Status status);
  void Record(const Attempt& attempt, const Status& outcome);

  Env& env_;
  const ServerConfig& config_;
  registry::Registry& registry_;
  SessionStore& sessions_;
  RateLimiter& rate_limiter_;
  Verifiers verifiers_;
};

// Error codes sent to clients (docs/errors.md). Snowflake's own where one exists.
namespace login_codes {
inline constexpr const char* kBadPassword = "390100";     // Snowflake: incorrect user or password
inline constexpr const char* kRoleNotGranted = "390189";  // Snowflake: role not granted
inline constexpr const char* kKeyPairInvalid = "390144";  // Snowflake: JWT token is invalid
inline constexpr const char* kUserDisabled = "390102";    // Snowflake: user is disabled
inline constexpr const char* kAttestationInvalid = "395001";
inline constexpr const char* kIdentityNotRegistered = "395002";
inline constexpr const char* kPolicyDenied = "395003";
inline constexpr const char* kVerifierUnavailable = "395004";
inline constexpr const char* kRateLimited = "395005";
inline constexpr const char* kWrongAccount = "395006";
inline constexpr const char* kUnsupported = "395007";
inline constexpr const char* kMalformed = "395008";
inline constexpr const char* kInternal = "395099";
}  // namespace login_codes

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_LOGIN_H_
