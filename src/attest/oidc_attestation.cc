#include "attest/oidc_attestation.h"

#include "attest/jwt_token_info.h"
#include "common/strings.h"

namespace wifgate::attest {

Result<AttestationResult> OidcAttestationProvider::Attest() {
  AttestationResult result;
  std::string token = options_.token;
  if (!options_.token_file.empty()) {
    WIFGATE_ASSIGN_OR_RETURN(std::string text, env_.ReadFile(options_.token_file, 64 * 1024));
    token = std::string(TrimWhitespace(text));
    result.explain.push_back({"token source", "file " + options_.token_file + " (read now)"});
  } else if (!token.empty()) {
    result.explain.push_back({"token source", "given directly"});
  } else {
    return Status(Code::kInvalidArgument, "attest.oidc_token_missing",
                  "OIDC needs a token: set the token or token_file option");
  }
  WIFGATE_RETURN_IF_ERROR(CheckJwtShape(token, "the OIDC token"));
  for (ExplainItem& item : ExplainJwt(token)) result.explain.push_back(std::move(item));
  result.attestation = {"OIDC", std::move(token)};
  return result;
}

}  // namespace wifgate::attest
