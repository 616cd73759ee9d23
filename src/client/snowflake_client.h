// SnowflakeClient: the Snowflake REST protocol, one session, over a net::HttpClient.
//
// It knows the endpoints and their envelopes (spec snowflake-rest.md): login
// (/session/v1/login-request), query (/queries/v1/query-request, following
// in-progress replies), heartbeat (/session/heartbeat), renewal (/session/token-request with
// the master token when a call answers 390112, then the call replayed with the same
// requestId) and logout (/session?delete=true). It does not know how credentials are
// obtained; Connection (connection_impl.cc) decides what goes into the login.
//
// Tokens are secrets: they go only into Authorization headers, never into a Status or a log.
#ifndef WIFGATE_CLIENT_SNOWFLAKE_CLIENT_H_
#define WIFGATE_CLIENT_SNOWFLAKE_CLIENT_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "client/endpoint.h"
#include "client/login_request.h"
#include "client/server_error.h"
#include "net/http.h"
#include "wifgate/env.h"
#include "wifgate/result_set.h"
#include "wifgate/status.h"

namespace wifgate::client {

struct LoginInfo {
  int64_t session_id = 0;
  std::string user;  // displayUserName
  std::string server_version;
  std::string role, database, schema, warehouse;  // sessionInfo, when the server sends it
};

class SnowflakeClient {
 public:
  // `http` and `env` must outlive the client.
  SnowflakeClient(Endpoint endpoint, net::HttpClient& http, Env& env);

  SnowflakeClient(const SnowflakeClient&) = delete;
  SnowflakeClient& operator=(const SnowflakeClient&) = delete;

  // `op` only selects the hint of a failure (kLogin, kWorkloadIdentityLogin, kKeypairLogin).
  Result<LoginInfo> Login(const LoginFields& fields, Operation op);
  Result<ResultSet> Query(const std::string& sql, const std::vector<Value>& binds);
  Status Heartbeat();
  // Ends the session; a session the server no longer knows counts as ended.
  Status Logout();

  bool logged_in() const { return !session_token_.empty(); }
  const Endpoint& endpoint() const { return endpoint_; }

 private:
  struct Reply {
    bool success = false;
    std::string code;
    std::string message;
    boost::json::object data;
  };

  // One POST (or GET when `body` is nullopt) carrying `token`, parsed into a Reply.
  Result<Reply> Exchange(std::string_view method, const std::string& path_and_query,
                         const std::string& body, const std::string& token, std::string_view accept,
                         std::chrono::milliseconds timeout);
  // An authenticated call: renews the session and replays once on 390112.
  Result<Reply> Call(std::string_view method, const std::string& path, const std::string& body,
                     std::string_view accept = "application/json",
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));
  Status Renew();
  std::string NewRequestId();

  Endpoint endpoint_;
  net::HttpClient& http_;
  Env& env_;
  std::string session_token_;
  std::string master_token_;
  int64_t sequence_id_ = 0;
};

// The query-request body for `sql` and `binds` (exposed for tests).
std::string QueryBody(const std::string& sql, const std::vector<Value>& binds, int64_t sequence_id,
                      int64_t submission_time_ms);

}  // namespace wifgate::client

#endif  // WIFGATE_CLIENT_SNOWFLAKE_CLIENT_H_
