#include "client/server_error.h"

#include <string>

namespace wifgate::client {
namespace {

bool IsJwtRejection(std::string_view code) {
  return code == "390144" || (code >= "394300" && code <= "394306" && code.size() == 6);
}

Code CodeFor(Operation op, std::string_view code) {
  if (code.starts_with("3901") || code.starts_with("3943") || code == "390400") {
    return Code::kUnauthenticated;
  }
  if (op == Operation::kQuery) return Code::kInvalidArgument;
  if (op == Operation::kSession) return Code::kFailedPrecondition;
  return Code::kUnauthenticated;
}

}  // namespace

std::string_view ServerErrorHint(Operation op, std::string_view code) {
  if (code == "390104" || code == "390111") {
    return "The session is gone (logged out, revoked or idle too long); open a new connection.";
  }
  if (code == "390114") {
    return "The session's master token expired; open a new connection (WORKLOAD_IDENTITY "
           "connections re-attest when they do).";
  }
  switch (op) {
    case Operation::kWorkloadIdentityLogin:
      return "Run `wifgate doctor` on this workload: it shows which cloud identity the "
             "attestation carries and whether a user has that identity (CREATE USER ... "
             "WORKLOAD_IDENTITY = (...)).";
    case Operation::kKeypairLogin:
      if (IsJwtRejection(code) || code == "390100") {
        return "Check that the user's RSA_PUBLIC_KEY (or RSA_PUBLIC_KEY_2) is the public half "
               "of this private key: compare DESC USER's RSA_PUBLIC_KEY_FP with the key's "
               "fingerprint, and that the account and user names are right.";
      }
      return "";
    case Operation::kLogin:
      if (code == "390100") return "Check the user name and password.";
      return "";
    case Operation::kQuery:
      if (code == "002003") {
        return "Check the object name, and that the session's role, database and schema can "
               "see it.";
      }
      return "";
    case Operation::kSession:
      return "";
  }
  return "";
}

Status ServerError(Operation op, std::string_view code, std::string_view message) {
  std::string text =
      message.empty() ? std::string("the server refused the request") : std::string(message);
  text += " (code " + (code.empty() ? std::string("none") : std::string(code)) + ").";
  std::string_view hint = ServerErrorHint(op, code);
  if (!hint.empty()) text += " " + std::string(hint);
  std::string reason = "snowflake." + (code.empty() ? std::string("error") : std::string(code));
  return Status(CodeFor(op, code), std::move(reason), text, std::string(message));
}

}  // namespace wifgate::client
