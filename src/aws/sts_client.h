// Sends STS calls: builds them (aws/sts_protocol.h), signs them (aws/sigv4.h) with the
// caller's credentials and the clock of `env`, sends them through `http` and parses the
// answers. Used by the credentials chain (web identity, role_arn profiles) and by the AWS
// attestation (impersonation path, outbound web identity tokens).
#ifndef WIFGATE_AWS_STS_CLIENT_H_
#define WIFGATE_AWS_STS_CLIENT_H_

#include <chrono>
#include <string_view>

#include "aws/credentials.h"
#include "aws/sts_protocol.h"
#include "net/http.h"
#include "wifgate/env.h"

namespace wifgate::aws {

class StsClient {
 public:
  StsClient(net::HttpClient& http, const Env& env, StsEndpoint endpoint)
      : http_(http), env_(env), endpoint_(std::move(endpoint)) {}

  const StsEndpoint& endpoint() const { return endpoint_; }

  Result<AssumedRole> AssumeRole(const Credentials& caller, std::string_view role_arn,
                                 std::string_view session_name,
                                 std::chrono::seconds duration = std::chrono::seconds{3600});
  Result<AssumedRole> AssumeRoleWithWebIdentity(std::string_view role_arn,
                                                std::string_view session_name,
                                                std::string_view web_identity_token);
  Result<WebIdentityToken> GetWebIdentityToken(const Credentials& caller, std::string_view audience,
                                               std::string_view signing_algorithm);

 private:
  Result<net::HttpResponse> Send(std::string_view action, const net::HttpRequest& request);
  Result<net::HttpResponse> SendSigned(std::string_view action, const SignableRequest& request,
                                       const Credentials& caller);

  net::HttpClient& http_;
  const Env& env_;
  StsEndpoint endpoint_;
};

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_STS_CLIENT_H_
