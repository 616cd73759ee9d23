// Object names that arrive outside SQL — the role, database, schema and warehouse in the
// login URL, the LOGIN_NAME — follow the same identifier rules as in SQL: unquoted names
// are upper-cased, "quoted" ones kept as written. The connectors send them raw.
#ifndef WIFGATE_SERVER_IDENTIFIERS_H_
#define WIFGATE_SERVER_IDENTIFIERS_H_

#include <string>
#include <string_view>

namespace wifgate::server {

// The name `text` denotes. Text that is not a single identifier (spaces, several parts) is
// returned upper-cased, so that looking it up simply finds nothing.
std::string NormalizeIdentifier(std::string_view text);

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_IDENTIFIERS_H_
