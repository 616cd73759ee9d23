// Endpoint: where a connection sends its requests, resolved from Snowflake's URL forms.
//
// Applications name a Snowflake account the way the official connectors accept it: an
// account identifier alone ("myorg-acct" -> https://myorg-acct.snowflakecomputing.com),
// with a region ("xy12345.us-east-2.aws"), in China ("xy12345.cn-north-1" -> the .cn
// domain), through privatelink ("xy12345.us-east-1.privatelink"), or with an explicit base
// URL (a proxy, a custom domain, a local wifgate on http://127.0.0.1:PORT).
#ifndef WIFGATE_CLIENT_ENDPOINT_H_
#define WIFGATE_CLIENT_ENDPOINT_H_

#include <string>
#include <string_view>

#include "net/url.h"
#include "wifgate/status.h"

namespace wifgate::client {

struct Endpoint {
  std::string base_url;      // "scheme://host[:port]", no trailing slash
  net::ParsedUrl url;        // base_url, parsed
  std::string account_name;  // ACCOUNT_NAME: the account identifier before its first dot
};

// Resolves `url` (may be empty) and `account` (required). Fails with client.bad_account
// when the account is not dot-separated labels of letters, digits, '_' and '-', and with
// client.bad_url when the URL is not a bare http(s)://host[:port][/].
Result<Endpoint> ResolveEndpoint(std::string_view url, std::string_view account);

}  // namespace wifgate::client

#endif  // WIFGATE_CLIENT_ENDPOINT_H_
