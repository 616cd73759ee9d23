// Status and Result: how every wifgate operation reports failure.
//
// A failure carries three things (after Envoy's jwt_authn status.h):
//   - a stable `reason`, a short snake_case id such as "aws.sts_host_not_allowed", that
//     tests, logs, metrics and LOGIN_HISTORY use and that never changes once released;
//   - a `message` for the operator: what happened and what to do about it;
//   - a `client_message` safe to send to the remote caller. It never names other users or
//     registry contents, and never echoes secrets. When empty, clients see a generic text.
// plus a coarse `Code` for mapping onto HTTP statuses and exit codes.
//
// Result<T> holds either a value or a non-OK Status.
#ifndef WIFGATE_STATUS_H_
#define WIFGATE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace wifgate {

enum class Code {
  kOk = 0,
  kInvalidArgument,     // the input is malformed; retrying it unchanged cannot succeed
  kNotFound,            // a named thing does not exist
  kAlreadyExists,       // a named thing exists already
  kUnauthenticated,     // a credential or attestation did not verify
  kPermissionDenied,    // verified, but not allowed
  kFailedPrecondition,  // the system is not in a state where this can be done
  kResourceExhausted,   // a limit or quota was hit
  kDeadlineExceeded,    // a deadline passed
  kUnavailable,         // a dependency (network, STS, JWKS) could not be reached; may be retried
  kInternal,            // a bug or an invariant broken
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string reason, std::string message, std::string client_message = {})
      : code_(code),
        reason_(std::move(reason)),
        message_(std::move(message)),
        client_message_(std::move(client_message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  // What the remote caller may be told; falls back to a generic text per code.
  std::string client_message() const;

  // "reason: message", for logs and CLI output.
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` ("reading config: ...").
  Status WithContext(std::string_view context) const;

 private:
  Code code_ = Code::kOk;
  std::string reason_;
  std::string message_;
  std::string client_message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The failure; an OK status when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace wifgate

// Propagates a non-OK Status from an expression returning Status.
#define WIFGATE_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::wifgate::Status wifgate_status_ = (expr);        \
    if (!wifgate_status_.ok()) return wifgate_status_; \
  } while (0)

#define WIFGATE_CONCAT_INNER_(a, b) a##b
#define WIFGATE_CONCAT_(a, b) WIFGATE_CONCAT_INNER_(a, b)
// `WIFGATE_ASSIGN_OR_RETURN(auto x, Expr())` declares x from a Result or returns its Status.
#define WIFGATE_ASSIGN_OR_RETURN(lhs, expr) \
  WIFGATE_ASSIGN_OR_RETURN_IMPL_(WIFGATE_CONCAT_(wifgate_result_, __LINE__), lhs, expr)
#define WIFGATE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

#endif  // WIFGATE_STATUS_H_
