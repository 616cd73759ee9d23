// The Snowflake REST wire format, as the official connectors speak it
// (../shared/specs/snowflake-rest.md): parsing the requests the server accepts and building
// the JSON replies they expect. No I/O and no policy here: snowflake_api.cc routes, login.cc
// decides, this file only translates.
//
// Every reply is the envelope {"data", "code", "message", "success"} with `code` a JSON
// string, and every application error is HTTP 200 with success:false — anything else sends
// the connectors into retry loops (spec §3.3).
#ifndef WIFGATE_SERVER_SNOWFLAKE_PROTOCOL_H_
#define WIFGATE_SERVER_SNOWFLAKE_PROTOCOL_H_

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/session_store.h"
#include "sql/binds.h"
#include "wifgate/status.h"

namespace wifgate::server {

// The fields of POST /session/v1/login-request that the server acts on.
struct LoginRequest {
  std::string account;        // ACCOUNT_NAME
  std::string login_name;     // LOGIN_NAME; empty for WORKLOAD_IDENTITY
  std::string authenticator;  // upper-cased; "SNOWFLAKE" when absent (Python password login)
  std::string provider;       // PROVIDER, upper-cased (WORKLOAD_IDENTITY)
  std::string token;          // TOKEN: attestation or key-pair JWT. Secret: never log.
  std::string password;       // PASSWORD. Secret: never log.
  std::string client_app_id;
  std::string client_app_version;
  // From the URL: roleName, databaseName, schemaName, warehouse (raw, not yet normalised).
  std::string role, database, schema, warehouse;
  std::map<std::string, boost::json::value> session_parameters;
};

// Parses a login body (already inflated) and the URL's query parameters. Fails with
// login.malformed naming the field at fault.
Result<LoginRequest> ParseLoginRequest(std::string_view body,
                                       const std::map<std::string, std::string>& query);

// POST /queries/v1/query-request.
struct QueryRequest {
  std::string sql_text;
  // Positional or named binds, sent as {"1": {"type": "FIXED", "value": "1"}, …}; values
  // are strings or null, or for array (multi-row) binds arrays of them (spec §4.1). In the
  // body's order; a single value is one row. The types and values are checked by
  // sql/binds.h.
  std::vector<sql::BindColumn> bindings;
  bool describe_only = false;
};
// Fails with query.malformed naming the field at fault, or query.binds_too_large when the
// bindings exceed sql::kMaxBindVariables, kMaxBindRows or kMaxBindCells — checked before
// any value is copied out of the parsed body.
Result<QueryRequest> ParseQueryRequest(std::string_view body);

// POST /session/token-request body: {"requestType":"RENEW","oldSessionToken":"…"}.
Result<std::string> ParseRenewRequest(std::string_view body);

// The token in `Authorization: Snowflake Token="<t>"`; nullopt when the header is absent or
// not of that form.
std::optional<std::string> ParseSnowflakeAuthorization(std::string_view header);

// Replies.
std::string SuccessReply(boost::json::value data = nullptr);
std::string ErrorReply(std::string_view code, std::string_view message,
                       boost::json::value data = nullptr);
// The format parameters every login and query reply carries (spec §2.4, §4.3).
boost::json::array SessionParameters(const Session& session);
std::string LoginSuccessReply(const IssuedTokens& tokens, const Session& session,
                              std::string_view server_version);
std::string RenewReply(const IssuedTokens& tokens);

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_SNOWFLAKE_PROTOCOL_H_
