// SQL errors in Snowflake's shape: "<code> (<sqlstate>): <message>", carried in a Status
// whose reason is stable ("sql.syntax_error", "sql.does_not_exist", …). The message is for
// the user who ran the statement, so it is also the client message.
#ifndef WIFGATE_SQL_ERRORS_H_
#define WIFGATE_SQL_ERRORS_H_

#include <string>
#include <string_view>

#include "wifgate/status.h"

namespace wifgate::sql {

struct SqlErrorKind {
  std::string_view reason;
  std::string_view code;      // Snowflake error number
  std::string_view sqlstate;  // SQLSTATE
  Code status_code;
};

inline constexpr SqlErrorKind kSyntaxError{"sql.syntax_error", "001003", "42000",
                                           Code::kInvalidArgument};
inline constexpr SqlErrorKind kInvalidProperty{"sql.invalid_property", "002029", "42601",
                                               Code::kInvalidArgument};
inline constexpr SqlErrorKind kInvalidValue{"sql.invalid_value", "002029", "42601",
                                            Code::kInvalidArgument};
inline constexpr SqlErrorKind kAwsIssuer{"sql.invalid_aws_issuer", "004616", "42601",
                                         Code::kInvalidArgument};
inline constexpr SqlErrorKind kDoesNotExist{"sql.does_not_exist", "002003", "02000",
                                            Code::kNotFound};
inline constexpr SqlErrorKind kAlreadyExists{"sql.already_exists", "002002", "42710",
                                             Code::kAlreadyExists};
inline constexpr SqlErrorKind kDuplicateIdentity{"sql.duplicate_identity", "099706", "42710",
                                                 Code::kAlreadyExists};
inline constexpr SqlErrorKind kLimitExceeded{"sql.limit_exceeded", "090105", "54000",
                                             Code::kResourceExhausted};
inline constexpr SqlErrorKind kInsufficientPrivileges{"sql.insufficient_privileges", "003001",
                                                      "42501", Code::kPermissionDenied};
inline constexpr SqlErrorKind kUnsupported{"sql.unsupported", "000002", "0A000",
                                           Code::kInvalidArgument};
inline constexpr SqlErrorKind kExecutionError{"sql.execution_error", "100090", "42000",
                                              Code::kInvalidArgument};
inline constexpr SqlErrorKind kTimeout{"sql.timeout", "000630", "57014", Code::kDeadlineExceeded};
inline constexpr SqlErrorKind kInternalError{"sql.internal", "000603", "XX000", Code::kInternal};
// A bind marker without a value, a binding without a marker, or binds where none are taken.
inline constexpr SqlErrorKind kBindVariable{"sql.bind_variable", "002049", "42601",
                                            Code::kInvalidArgument};
// A bind value that its type cannot hold (an execution error in Snowflake, as here).
inline constexpr SqlErrorKind kBindValue{"sql.bind_value", "100038", "22018",
                                         Code::kInvalidArgument};

// "<code> (<sqlstate>): SQL compilation error:\n<message>" for compile-time kinds, the
// plain "<code> (<sqlstate>): <message>" otherwise.
Status SqlError(const SqlErrorKind& kind, std::string message);

// The Snowflake error number and SQLSTATE at the front of a SqlError's message; empty when
// `status` is not one.
std::string SqlErrorCode(const Status& status);
std::string SqlErrorState(const Status& status);

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_ERRORS_H_
