// Snowflake error replies as Statuses: the server's code and message, plus a hint that says
// what to try next.
//
// The reason is "snowflake.<code>" (e.g. "snowflake.390100"), stable because the codes are
// Snowflake's own. The message is "<server message> (code <code>). <hint>". Server messages
// are passed through: neither Snowflake nor wifgate puts secrets in them.
#ifndef WIFGATE_CLIENT_SERVER_ERROR_H_
#define WIFGATE_CLIENT_SERVER_ERROR_H_

#include <string_view>

#include "wifgate/status.h"

namespace wifgate::client {

// Where the error happened, which changes the hint.
enum class Operation { kLogin, kWorkloadIdentityLogin, kKeypairLogin, kQuery, kSession };

// Session-expired: the client renews and replays instead of failing.
inline constexpr std::string_view kSessionExpiredCode = "390112";

Status ServerError(Operation op, std::string_view code, std::string_view message);

// The hint alone ("" when there is none to give), for the doctor.
std::string_view ServerErrorHint(Operation op, std::string_view code);

}  // namespace wifgate::client

#endif  // WIFGATE_CLIENT_SERVER_ERROR_H_
