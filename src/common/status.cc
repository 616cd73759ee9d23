#include "wifgate/status.h"

namespace wifgate {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case Code::kNotFound:
      return "NOT_FOUND";
    case Code::kAlreadyExists:
      return "ALREADY_EXISTS";
    case Code::kUnauthenticated:
      return "UNAUTHENTICATED";
    case Code::kPermissionDenied:
      return "PERMISSION_DENIED";
    case Code::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case Code::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case Code::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case Code::kUnavailable:
      return "UNAVAILABLE";
    case Code::kInternal:
      return "INTERNAL";
  }
  return "UNKNOWN";
}

std::string Status::client_message() const {
  if (!client_message_.empty()) return client_message_;
  switch (code_) {
    case Code::kOk:
      return "";
    case Code::kInvalidArgument:
      return "The request is malformed.";
    case Code::kUnauthenticated:
      return "Authentication failed.";
    case Code::kPermissionDenied:
      return "Access denied.";
    case Code::kUnavailable:
      return "A dependency is temporarily unavailable; retry later.";
    case Code::kDeadlineExceeded:
      return "The operation timed out; retry later.";
    case Code::kResourceExhausted:
      return "Too many requests; retry later.";
    default:
      return "The request failed.";
  }
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (message_.empty()) return reason_;
  return reason_ + ": " + message_;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  return Status(code_, reason_, std::string(context) + ": " + message_, client_message_);
}

}  // namespace wifgate
