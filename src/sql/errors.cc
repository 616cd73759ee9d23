#include "sql/errors.h"

namespace wifgate::sql {

Status SqlError(const SqlErrorKind& kind, std::string message) {
  bool compilation = kind.code != kTimeout.code && kind.code != kInternalError.code &&
                     kind.code != kExecutionError.code &&
                     kind.code != kInsufficientPrivileges.code && kind.code != kBindValue.code;
  std::string text = std::string(kind.code) + " (" + std::string(kind.sqlstate) +
                     "): " + (compilation ? "SQL compilation error:\n" : "") + message;
  return Status(kind.status_code, std::string(kind.reason), text, text);
}

std::string SqlErrorCode(const Status& status) {
  const std::string& m = status.message();
  if (m.size() < 16 || m[6] != ' ' || m[7] != '(') return {};
  return m.substr(0, 6);
}

std::string SqlErrorState(const Status& status) {
  const std::string& m = status.message();
  if (SqlErrorCode(status).empty() || m[13] != ')') return {};
  return m.substr(8, 5);
}

}  // namespace wifgate::sql
