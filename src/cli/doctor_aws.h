// The doctor's check of an AWS attestation: it sends the attestation's own signed
// sts:GetCallerIdentity request, so STS itself says which identity the credentials are (or
// why they are refused) — exactly what the server will learn when it replays it.
#ifndef WIFGATE_CLI_DOCTOR_AWS_H_
#define WIFGATE_CLI_DOCTOR_AWS_H_

#include <vector>

#include "attest/attestation.h"
#include "net/http.h"
#include "wifgate/env.h"

namespace wifgate::cli {

// Decodes the base64 JSON envelope and sends its request (to AWS_ENDPOINT_URL_STS when set,
// with the signed Host header kept). Reports the ARN, account and user id STS answers with,
// or STS's error code and message and what it means. Never reports a signature or token.
std::vector<attest::ExplainItem> AwsCallerIdentity(const Env& env, net::HttpClient& http,
                                                   const Attestation& attestation);

}  // namespace wifgate::cli

#endif  // WIFGATE_CLI_DOCTOR_AWS_H_
