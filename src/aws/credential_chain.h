// The AWS credentials chain, in the order the AWS SDKs use:
//   1. environment      AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (Lambda)
//   2. web identity     AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME),
//                       through STS AssumeRoleWithWebIdentity (EKS IRSA)
//   3. shared files     AWS_PROFILE in AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE: static
//                       keys, role_arn + source_profile, role_arn + web_identity_token_file
//   4. container        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI (ECS, EKS Pod
//                       Identity)
//   5. instance         EC2 instance metadata, IMDSv2
// A source that is not configured is skipped; a configured source that fails stops the
// chain (as in the SDKs: falling through to another identity would be a surprise). Either
// way the error lists every source tried and why, and says how to fix it.
#ifndef WIFGATE_AWS_CREDENTIAL_CHAIN_H_
#define WIFGATE_AWS_CREDENTIAL_CHAIN_H_

#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/metadata_credentials.h"
#include "net/http.h"
#include "wifgate/env.h"

namespace wifgate::aws {

struct CredentialChainOptions {
  std::string region;                 // signing region for STS calls made by sources 2 and 3
  std::string sts_endpoint_override;  // empty: regional STS (AWS_ENDPOINT_URL_STS when set)
  MetadataEndpoints metadata;
};

struct ResolvedCredentials {
  Credentials credentials;
  std::string source;  // "environment", "web identity (role ARN)", "profile default", ...
};

// Failures: aws.no_credentials (nothing configured), aws.credentials_expired, or the failing
// source's own Status, each with the list of sources tried prefixed to the message.
Result<ResolvedCredentials> ResolveCredentials(const Env& env, net::HttpClient& http,
                                               const CredentialChainOptions& options);

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_CREDENTIAL_CHAIN_H_
