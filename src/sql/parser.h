// Parser: Snowflake's admin statements for users, workload identities, roles and
// authentication policies, by recursive descent over the lexer's tokens.
//
// A statement that starts like an admin statement must parse as one, or it fails with a
// Snowflake-style syntax error giving the line, position, the unexpected token and what
// was expected. Anything else is returned as a Query for the engine.
#ifndef WIFGATE_SQL_PARSER_H_
#define WIFGATE_SQL_PARSER_H_

#include <string_view>

#include "sql/ast.h"
#include "wifgate/status.h"

namespace wifgate::sql {

Result<Statement> Parse(std::string_view sql);

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_PARSER_H_
