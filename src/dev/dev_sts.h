// DevSts: a local stand-in for AWS STS, so that AWS workload identity runs and is tested
// offline. It knows the accounts, users and roles of a DevStsConfig, verifies SigV4 for
// real (dev_sts_sigv4.h), issues temporary credentials it then accepts, and answers in
// STS's XML or JSON (dev_sts_responses.h).
//
// Actions: GetCallerIdentity; AssumeRole (the session's caller ARN is
// arn:aws:sts::ACCT:assumed-role/ROLE/SESSION, without the role's path, as real STS
// reports it); AssumeRoleWithWebIdentity (tokens of the dev STS's own issuer for the
// role's account, audience "sts.amazonaws.com", when the role trusts "dev-sts");
// GetWebIdentityToken (ES384 or RS256, dev_sts_tokens.h).
//
// Handle() is a plain function of the request so tests drive it directly; Register()
// serves it, and each account issuer's discovery document and JWKS, on a net::HttpServer.
// Only for development and tests: `wifgate dev-sts` and `wifgate serve --dev` wire it in.
#ifndef WIFGATE_DEV_DEV_STS_H_
#define WIFGATE_DEV_DEV_STS_H_

#include <memory>
#include <string>
#include <vector>

#include "dev/dev_sts_config.h"
#include "dev/dev_sts_credentials.h"
#include "dev/dev_sts_responses.h"
#include "dev/dev_sts_tokens.h"
#include "net/http_server.h"
#include "wifgate/env.h"

namespace wifgate::dev {

inline constexpr std::string_view kWebIdentityAudience = "sts.amazonaws.com";
inline constexpr std::string_view kOwnIssuerTrust = "dev-sts";

class DevSts {
 public:
  // `data_dir` (optional) keeps issued credentials and signing keys across restarts.
  static Result<std::unique_ptr<DevSts>> Create(DevStsConfig config, Env& env,
                                                std::string data_dir = {});

  // The externally visible base URL ("http://127.0.0.1:PORT"); the JWKS URLs of the
  // account issuers derive from it (the issuers themselves do not: dev_sts_tokens.h).
  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }
  const std::string& base_url() const { return base_url_; }

  // Answers one STS API request (any path; STS uses "/").
  net::ServerResponse Handle(const net::ServerRequest& request);

  // Routes POST and GET "/" plus the discovery and JWKS documents of every account issuer.
  void Register(net::HttpServer& server);

  // Issues credentials for `role_arn` as if `caller_arn` had called AssumeRole (trust
  // checked), for `wifgate dev-sts creds` and tests.
  Result<IssuedCredentials> AssumeRole(std::string_view caller_arn, std::string_view role_arn,
                                       std::string_view session_name,
                                       std::chrono::seconds duration);

  const DevStsConfig& config() const { return config_; }
  const DevStsTokenIssuer& issuer() const { return issuer_; }

 private:
  // Who signed a request.
  struct Caller {
    std::string arn;  // user ARN, or assumed-role ARN for issued credentials
    std::string account;
    std::string user_id;
    std::string region;
  };
  using Params = std::vector<std::pair<std::string, std::string>>;
  using ActionResult = Result<std::vector<StsNode>>;

  DevSts(DevStsConfig config, Env& env, std::string data_dir, DevStsTokenIssuer issuer);

  Result<Caller> Authenticate(const net::ServerRequest& request);
  ActionResult GetCallerIdentity(const Caller& caller);
  ActionResult AssumeRoleAction(const Caller& caller, const Params& params);
  ActionResult AssumeRoleWithWebIdentity(const Params& params);
  ActionResult GetWebIdentityToken(const Caller& caller, const Params& params);

  DevStsConfig config_;
  Env& env_;
  IssuedCredentialStore credentials_;
  DevStsTokenIssuer issuer_;
  std::string base_url_ = "http://127.0.0.1";
};

}  // namespace wifgate::dev

#endif  // WIFGATE_DEV_DEV_STS_H_
