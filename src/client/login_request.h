// The body and query string of POST /session/v1/login-request, per authenticator.
//
// Field names and presence follow what the official Node connector sends (recorded in
// testdata/captures; spec snowflake-rest.md §2.1-2.3): AUTHENTICATOR always present,
// LOGIN_NAME omitted when there is no user, WORKLOAD_IDENTITY adds PROVIDER + TOKEN,
// SNOWFLAKE adds PASSWORD, SNOWFLAKE_JWT adds TOKEN.
#ifndef WIFGATE_CLIENT_LOGIN_REQUEST_H_
#define WIFGATE_CLIENT_LOGIN_REQUEST_H_

#include <string>

namespace wifgate::client {

struct LoginFields {
  std::string account_name;
  std::string authenticator;  // "WORKLOAD_IDENTITY", "SNOWFLAKE", "SNOWFLAKE_JWT"
  std::string login_name;     // omitted when empty
  std::string password;       // SNOWFLAKE
  std::string provider;       // WORKLOAD_IDENTITY
  std::string token;          // WORKLOAD_IDENTITY (attestation), SNOWFLAKE_JWT (the JWT)
  size_t impersonation_path_length = 0;

  // Session context for the query string; each sent only when set.
  std::string warehouse;
  std::string database;
  std::string schema;
  std::string role;
};

// {"data": {...}} as compact JSON. The result holds secrets; never log it.
std::string LoginBody(const LoginFields& fields);

// "warehouse=..&databaseName=..&schemaName=..&roleName=.." (only the set ones, encoded),
// to be appended after requestId.
std::string LoginQueryParams(const LoginFields& fields);

// RFC 3986 percent-encoding of a query value (unreserved characters kept).
std::string PercentEncode(std::string_view value);

}  // namespace wifgate::client

#endif  // WIFGATE_CLIENT_LOGIN_REQUEST_H_
