#include "sql/lexer.h"

#include "common/strings.h"
#include "sql/errors.h"

namespace wifgate::sql {
namespace {

bool IsWordStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsWordChar(char c) { return IsWordStart(c) || (c >= '0' && c <= '9') || c == '$'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      WIFGATE_RETURN_IF_ERROR(SkipSpaceAndComments());
      Token t;
      t.offset = pos_;
      t.line = line_;
      t.column = static_cast<int>(pos_ - line_start_);
      if (pos_ >= sql_.size()) {
        out.push_back(t);
        return out;
      }
      char c = sql_[pos_];
      if (IsWordStart(c)) {
        size_t start = pos_;
        while (pos_ < sql_.size() && IsWordChar(sql_[pos_])) ++pos_;
        t.kind = TokenKind::kWord;
        t.text = AsciiUpper(sql_.substr(start, pos_ - start));
      } else if (c == '"') {
        t.kind = TokenKind::kQuotedIdentifier;
        WIFGATE_ASSIGN_OR_RETURN(t.text, Quoted('"', t, /*backslash=*/false));
        if (t.text.empty()) return Error(t, "a quoted identifier cannot be empty");
      } else if (c == '\'') {
        t.kind = TokenKind::kString;
        WIFGATE_ASSIGN_OR_RETURN(t.text, Quoted('\'', t, /*backslash=*/true));
      } else if (IsDigit(c) || (c == '.' && pos_ + 1 < sql_.size() && IsDigit(sql_[pos_ + 1]))) {
        size_t start = pos_;
        while (pos_ < sql_.size() && (IsDigit(sql_[pos_]) || sql_[pos_] == '.')) ++pos_;
        t.kind = TokenKind::kNumber;
        t.text = std::string(sql_.substr(start, pos_ - start));
      } else {
        t.kind = TokenKind::kSymbol;
        static constexpr std::string_view kTwo[] = {"<=", ">=", "<>", "!=", "||", "::", "=>"};
        t.text = std::string(1, c);
        for (auto two : kTwo) {
          if (sql_.substr(pos_, 2) == two) t.text = std::string(two);
        }
        pos_ += t.text.size();
      }
      t.length = pos_ - t.offset;
      out.push_back(std::move(t));
    }
  }

 private:
  Status Error(const Token& at, std::string what) {
    return SqlError(kSyntaxError, "syntax error line " + std::to_string(at.line) + " at position " +
                                      std::to_string(at.column) + " " + what + ".");
  }

  Result<std::string> Quoted(char quote, const Token& t, bool backslash) {
    std::string out;
    ++pos_;
    while (pos_ < sql_.size()) {
      char c = sql_[pos_];
      if (c == quote) {
        if (pos_ + 1 < sql_.size() && sql_[pos_ + 1] == quote) {
          out += quote;
          pos_ += 2;
          continue;
        }
        ++pos_;
        return out;
      }
      if (backslash && c == '\\' && pos_ + 1 < sql_.size()) {
        char n = sql_[pos_ + 1];
        out += n == 'n' ? '\n' : n == 't' ? '\t' : n == '0' ? '\0' : n;
        pos_ += 2;
        continue;
      }
      if (c == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      }
      out += c;
      ++pos_;
    }
    return Error(t, quote == '"' ? "unterminated quoted identifier" : "unterminated string");
  }

  Status SkipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      char c = sql_[pos_];
      if (c == '\n') {
        ++pos_;
        ++line_;
        line_start_ = pos_;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        ++pos_;
      } else if (sql_.substr(pos_, 2) == "--" || sql_.substr(pos_, 2) == "//") {
        while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
      } else if (sql_.substr(pos_, 2) == "/*") {
        Token at;
        at.line = line_;
        at.column = static_cast<int>(pos_ - line_start_);
        size_t end = sql_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) return Error(at, "unterminated comment");
        for (size_t i = pos_; i < end; ++i) {
          if (sql_[i] == '\n') {
            ++line_;
            line_start_ = i + 1;
          }
        }
        pos_ = end + 2;
      } else {
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  std::string_view sql_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

Result<std::vector<Token>> Lex(std::string_view sql) { return Lexer(sql).Run(); }

}  // namespace wifgate::sql
