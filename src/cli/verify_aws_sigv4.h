// The AWS SigV4 (GetCallerIdentity envelope) row of `wifgate verify`'s provider table:
// builds an AwsStsVerifier with its own synchronous HTTP client. With `dev_sts_data` (the
// [verify] table's dev_sts_data = "DIR"), the verifier runs in dev mode and every
// commercial-partition STS host is mapped to the dev STS recorded under DIR.
#ifndef WIFGATE_CLI_VERIFY_AWS_SIGV4_H_
#define WIFGATE_CLI_VERIFY_AWS_SIGV4_H_

#include <memory>
#include <string>

#include "verify/verifier.h"
#include "wifgate/env.h"

namespace wifgate::cli {

Result<std::unique_ptr<verify::Verifier>> MakeAwsSigV4Verifier(Env& env,
                                                               const std::string& dev_sts_data);

}  // namespace wifgate::cli

#endif  // WIFGATE_CLI_VERIFY_AWS_SIGV4_H_
