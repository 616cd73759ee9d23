#include "server/identifiers.h"

#include "common/strings.h"
#include "sql/lexer.h"

namespace wifgate::server {

std::string NormalizeIdentifier(std::string_view text) {
  auto tokens = sql::Lex(text);
  if (tokens.ok() && tokens->size() == 2 && (*tokens)[0].IsIdentifier()) return (*tokens)[0].text;
  return AsciiUpper(text);
}

}  // namespace wifgate::server
