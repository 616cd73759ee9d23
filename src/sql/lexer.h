// Lexer: splits a statement into tokens under Snowflake's rules.
//
// Unquoted identifiers are case-insensitive and stored upper-cased; "quoted" identifiers
// keep their case and may contain anything ("" is a literal quote). String literals are
// single-quoted with '' (and \') escapes. Comments (--, //, /* */) are skipped. Every token
// keeps its byte offset, line and column, for error positions and for rewriting the
// original text when a query is passed to the engine.
#ifndef WIFGATE_SQL_LEXER_H_
#define WIFGATE_SQL_LEXER_H_

#include <string>
#include <string_view>
#include <vector>

#include "wifgate/status.h"

namespace wifgate::sql {

enum class TokenKind { kWord, kQuotedIdentifier, kString, kNumber, kSymbol, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;   // words upper-cased, quoted identifiers and strings unescaped
  size_t offset = 0;  // byte offset of the token's first character
  size_t length = 0;  // bytes in the original text
  int line = 1;
  int column = 0;  // 0-based, as Snowflake reports "position"

  bool IsWord(std::string_view upper) const { return kind == TokenKind::kWord && text == upper; }
  bool IsSymbol(std::string_view s) const { return kind == TokenKind::kSymbol && text == s; }
  bool IsIdentifier() const {
    return kind == TokenKind::kWord || kind == TokenKind::kQuotedIdentifier;
  }
};

// The tokens of `sql`, ending with one kEnd token. Fails (reason "sql.syntax_error") on an
// unterminated string, quoted identifier or comment.
Result<std::vector<Token>> Lex(std::string_view sql);

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_LEXER_H_
