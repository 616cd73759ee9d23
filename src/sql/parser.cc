#include "sql/parser.h"

#include "sql/errors.h"
#include "sql/lexer.h"

namespace wifgate::sql {
namespace {

class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens) : sql_(sql), t_(std::move(tokens)) {}

  Result<Statement> Run() {
    const Token& first = Peek();
    if (first.IsWord("CREATE")) return Create();
    if (first.IsWord("ALTER")) return Alter();
    if (first.IsWord("DROP")) return Drop();
    if (first.IsWord("DESC") || first.IsWord("DESCRIBE")) return Describe();
    if (first.IsWord("SHOW")) return Show();
    if (first.IsWord("GRANT") || first.IsWord("REVOKE")) return Grant();
    return Statement(Query{std::string(sql_)});
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    size_t i = std::min(pos_ + ahead, t_.size() - 1);
    return t_[i];
  }
  const Token& Next() {
    const Token& t = t_[pos_];
    if (pos_ + 1 < t_.size()) ++pos_;
    return t;
  }
  bool Accept(std::string_view word) {
    if (!Peek().IsWord(word)) return false;
    Next();
    return true;
  }
  bool AcceptSymbol(std::string_view s) {
    if (!Peek().IsSymbol(s)) return false;
    Next();
    return true;
  }

  Status Unexpected(std::string_view expected) const {
    const Token& t = Peek();
    std::string got = t.kind == TokenKind::kEnd
                          ? "end of input"
                          : "'" + std::string(sql_.substr(t.offset, t.length)) + "'";
    return SqlError(kSyntaxError, "syntax error line " + std::to_string(t.line) + " at position " +
                                      std::to_string(t.column) + " unexpected " + got +
                                      "; expected " + std::string(expected) + ".");
  }
  Status Expect(std::string_view word) {
    if (Accept(word)) return Status::Ok();
    return Unexpected(word);
  }
  Status ExpectSymbol(std::string_view s) {
    if (AcceptSymbol(s)) return Status::Ok();
    return Unexpected("'" + std::string(s) + "'");
  }
  Result<std::string> Identifier(std::string_view what) {
    if (!Peek().IsIdentifier()) return Unexpected(what);
    return Next().text;
  }
  Status End() {
    AcceptSymbol(";");
    if (Peek().kind != TokenKind::kEnd) return Unexpected("end of statement");
    return Status::Ok();
  }
  // Finishes a statement: checks the end and wraps it.
  template <typename T>
  Result<Statement> Done(T stmt) {
    WIFGATE_RETURN_IF_ERROR(End());
    return Statement(std::move(stmt));
  }

  bool AtProperty() const { return Peek().IsIdentifier() && Peek(1).IsSymbol("="); }

  Result<Value> ParseValue() {
    const Token& t = Peek();
    Value v;
    v.line = t.line;
    v.column = t.column;
    if (t.kind == TokenKind::kString) {
      v.kind = Value::Kind::kString;
      v.text = Next().text;
    } else if (t.kind == TokenKind::kNumber) {
      v.kind = Value::Kind::kNumber;
      v.text = Next().text;
    } else if (t.IsIdentifier()) {
      v.kind = Value::Kind::kWord;
      v.text = Next().text;
    } else if (AcceptSymbol("(")) {
      if (AtProperty()) {
        v.kind = Value::Kind::kProperties;
        WIFGATE_ASSIGN_OR_RETURN(v.props, Properties(/*require_one=*/true));
      } else {
        v.kind = Value::Kind::kList;
        while (!Peek().IsSymbol(")")) {
          WIFGATE_ASSIGN_OR_RETURN(Value item, ParseValue());
          v.items.push_back(std::move(item));
          if (!AcceptSymbol(",")) break;
        }
      }
      WIFGATE_RETURN_IF_ERROR(ExpectSymbol(")"));
    } else {
      return Unexpected("a value (a 'string', a number, a name or a parenthesised list)");
    }
    return v;
  }

  Result<std::vector<Property>> Properties(bool require_one) {
    std::vector<Property> props;
    while (AtProperty()) {
      Property p;
      p.line = Peek().line;
      p.column = Peek().column;
      p.name = Next().text;
      Next();  // '='
      WIFGATE_ASSIGN_OR_RETURN(p.value, ParseValue());
      props.push_back(std::move(p));
      AcceptSymbol(",");
    }
    if (require_one && props.empty()) return Unexpected("a property (NAME = value)");
    return props;
  }

  Result<std::vector<std::string>> NameList() {
    std::vector<std::string> names;
    do {
      WIFGATE_ASSIGN_OR_RETURN(std::string n, Identifier("a property name"));
      names.push_back(std::move(n));
    } while (AcceptSymbol(","));
    return names;
  }

  Status IfNotExists(bool* out) {
    if (!Accept("IF")) return Status::Ok();
    WIFGATE_RETURN_IF_ERROR(Expect("NOT"));
    WIFGATE_RETURN_IF_ERROR(Expect("EXISTS"));
    *out = true;
    return Status::Ok();
  }
  Status IfExists(bool* out) {
    if (!Accept("IF")) return Status::Ok();
    WIFGATE_RETURN_IF_ERROR(Expect("EXISTS"));
    *out = true;
    return Status::Ok();
  }

  Result<Statement> Create() {
    Next();
    bool or_replace = false;
    if (Accept("OR")) {
      WIFGATE_RETURN_IF_ERROR(Expect("REPLACE"));
      or_replace = true;
    }
    if (Peek().IsWord("USER") || Peek().IsWord("ROLE")) {
      bool user = Next().IsWord("USER");
      bool if_not_exists = false;
      WIFGATE_RETURN_IF_ERROR(IfNotExists(&if_not_exists));
      WIFGATE_ASSIGN_OR_RETURN(std::string name, Identifier(user ? "a user name" : "a role name"));
      WIFGATE_ASSIGN_OR_RETURN(auto props, Properties(false));
      if (user) return Done(CreateUser{or_replace, if_not_exists, name, std::move(props)});
      return Done(CreateRole{or_replace, if_not_exists, name, std::move(props)});
    }
    if (Accept("AUTHENTICATION")) {
      WIFGATE_RETURN_IF_ERROR(Expect("POLICY"));
      CreatePolicy p;
      p.or_replace = or_replace;
      WIFGATE_RETURN_IF_ERROR(IfNotExists(&p.if_not_exists));
      WIFGATE_ASSIGN_OR_RETURN(p.name, Identifier("a policy name"));
      WIFGATE_ASSIGN_OR_RETURN(p.props, Properties(false));
      return Done(std::move(p));
    }
    return Statement(Query{std::string(sql_)});
  }

  Result<Statement> Alter() {
    Next();
    if (Accept("USER")) return AlterUserStatement();
    if (Accept("ACCOUNT")) {
      AlterAccount a;
      if (Accept("SET")) {
        WIFGATE_RETURN_IF_ERROR(Expect("AUTHENTICATION"));
        WIFGATE_RETURN_IF_ERROR(Expect("POLICY"));
        WIFGATE_ASSIGN_OR_RETURN(a.policy, Identifier("a policy name"));
        Accept("FORCE");
      } else if (Accept("UNSET")) {
        a.set = false;
        WIFGATE_RETURN_IF_ERROR(Expect("AUTHENTICATION"));
        WIFGATE_RETURN_IF_ERROR(Expect("POLICY"));
      } else {
        return Unexpected("SET AUTHENTICATION POLICY or UNSET AUTHENTICATION POLICY");
      }
      return Done(std::move(a));
    }
    if (Accept("AUTHENTICATION")) {
      WIFGATE_RETURN_IF_ERROR(Expect("POLICY"));
      AlterPolicy a;
      WIFGATE_RETURN_IF_ERROR(IfExists(&a.if_exists));
      WIFGATE_ASSIGN_OR_RETURN(a.name, Identifier("a policy name"));
      if (Accept("SET")) {
        WIFGATE_ASSIGN_OR_RETURN(a.props, Properties(true));
      } else if (Accept("UNSET")) {
        a.action = AlterPolicy::Action::kUnset;
        WIFGATE_ASSIGN_OR_RETURN(a.unset, NameList());
      } else if (Accept("RENAME")) {
        a.action = AlterPolicy::Action::kRename;
        WIFGATE_RETURN_IF_ERROR(Expect("TO"));
        WIFGATE_ASSIGN_OR_RETURN(a.new_name, Identifier("a policy name"));
      } else {
        return Unexpected("SET, UNSET or RENAME TO");
      }
      return Done(std::move(a));
    }
    return Statement(Query{std::string(sql_)});
  }

  Result<Statement> AlterUserStatement() {
    AlterUser a;
    WIFGATE_RETURN_IF_ERROR(IfExists(&a.if_exists));
    bool identity_verb_next =
        (Peek().IsWord("ADD") || Peek().IsWord("MODIFY") || Peek().IsWord("REMOVE")) &&
        Peek(1).IsWord("WORKLOAD");
    if (!identity_verb_next) {
      WIFGATE_ASSIGN_OR_RETURN(std::string name, Identifier("a user name"));
      a.name = std::move(name);
    }
    using A = AlterUser::Action;
    if (Accept("SET")) {
      if (Accept("AUTHENTICATION")) {
        WIFGATE_RETURN_IF_ERROR(Expect("POLICY"));
        a.action = A::kSetPolicy;
        WIFGATE_ASSIGN_OR_RETURN(a.policy, Identifier("a policy name"));
        Accept("FORCE");
      } else {
        WIFGATE_ASSIGN_OR_RETURN(a.props, Properties(true));
      }
    } else if (Accept("UNSET")) {
      if (Accept("AUTHENTICATION")) {
        WIFGATE_RETURN_IF_ERROR(Expect("POLICY"));
        a.action = A::kUnsetPolicy;
      } else {
        a.action = A::kUnset;
        WIFGATE_ASSIGN_OR_RETURN(a.unset, NameList());
      }
    } else if (Accept("RENAME")) {
      WIFGATE_RETURN_IF_ERROR(Expect("TO"));
      a.action = A::kRename;
      WIFGATE_ASSIGN_OR_RETURN(a.new_name, Identifier("a user name"));
    } else if (Peek().IsWord("ADD") || Peek().IsWord("MODIFY") || Peek().IsWord("REMOVE")) {
      std::string verb = Next().text;
      WIFGATE_RETURN_IF_ERROR(Expect("WORKLOAD"));
      WIFGATE_RETURN_IF_ERROR(Expect("IDENTITY"));
      WIFGATE_ASSIGN_OR_RETURN(a.identity, Identifier("a workload identity name"));
      if (verb == "ADD") {
        a.action = A::kAddIdentity;
        WIFGATE_ASSIGN_OR_RETURN(a.props, Properties(true));
      } else if (verb == "REMOVE") {
        a.action = A::kRemoveIdentity;
      } else if (Accept("RENAME")) {
        WIFGATE_RETURN_IF_ERROR(Expect("TO"));
        a.action = A::kRenameIdentity;
        WIFGATE_ASSIGN_OR_RETURN(a.new_name, Identifier("a workload identity name"));
      } else if (Accept("SET")) {
        a.action = A::kSetIdentity;
        WIFGATE_ASSIGN_OR_RETURN(a.props, Properties(true));
      } else if (Accept("UNSET")) {
        a.action = A::kUnsetIdentity;
        WIFGATE_ASSIGN_OR_RETURN(a.unset, NameList());
      } else {
        return Unexpected("RENAME TO, SET or UNSET");
      }
    } else {
      return Unexpected(
          "SET, UNSET, RENAME TO, ADD WORKLOAD IDENTITY, MODIFY WORKLOAD IDENTITY or REMOVE "
          "WORKLOAD IDENTITY");
    }
    return Done(std::move(a));
  }

  // USER, ROLE or AUTHENTICATION POLICY; nullopt (nothing consumed) otherwise.
  std::optional<ObjectKind> Kind() {
    if (Accept("USER")) return ObjectKind::kUser;
    if (Accept("ROLE")) return ObjectKind::kRole;
    if (Peek().IsWord("AUTHENTICATION") && Peek(1).IsWord("POLICY")) {
      Next();
      Next();
      return ObjectKind::kAuthenticationPolicy;
    }
    return std::nullopt;
  }

  Result<Statement> Drop() {
    Next();
    auto kind = Kind();
    if (!kind) return Statement(Query{std::string(sql_)});
    DropObject d;
    d.kind = *kind;
    WIFGATE_RETURN_IF_ERROR(IfExists(&d.if_exists));
    WIFGATE_ASSIGN_OR_RETURN(d.name, Identifier("a name"));
    return Done(std::move(d));
  }

  Result<Statement> Describe() {
    Next();
    auto kind = Kind();
    if (!kind || *kind == ObjectKind::kRole) return Unexpected("USER or AUTHENTICATION POLICY");
    DescribeObject d;
    d.kind = *kind;
    WIFGATE_ASSIGN_OR_RETURN(d.name, Identifier("a name"));
    return Done(std::move(d));
  }

  Result<std::optional<std::string>> Like() {
    if (!Accept("LIKE")) return std::optional<std::string>();
    if (Peek().kind != TokenKind::kString) return Unexpected("a 'pattern'");
    return std::optional<std::string>(Next().text);
  }

  Result<Statement> Show() {
    Next();
    ShowObjects s;
    if (Accept("USERS")) {
      s.kind = ObjectKind::kUser;
    } else if (Accept("ROLES")) {
      s.kind = ObjectKind::kRole;
    } else if (Peek().IsWord("AUTHENTICATION") && Peek(1).IsWord("POLICIES")) {
      Next();
      Next();
      s.kind = ObjectKind::kAuthenticationPolicy;
    } else if (Accept("USER")) {
      for (auto w : {"WORKLOAD", "IDENTITY", "AUTHENTICATION", "METHODS"}) {
        WIFGATE_RETURN_IF_ERROR(Expect(w));
      }
      ShowWorkloadIdentities w;
      if (Accept("FOR")) {
        WIFGATE_RETURN_IF_ERROR(Expect("USER"));
        WIFGATE_ASSIGN_OR_RETURN(std::string user, Identifier("a user name"));
        w.user = std::move(user);
      }
      return Done(std::move(w));
    } else if (Accept("GRANTS")) {
      WIFGATE_RETURN_IF_ERROR(Expect("TO"));
      WIFGATE_RETURN_IF_ERROR(Expect("USER"));
      ShowGrantsToUser g;
      WIFGATE_ASSIGN_OR_RETURN(g.user, Identifier("a user name"));
      return Done(std::move(g));
    } else {
      return Unexpected(
          "USERS, ROLES, AUTHENTICATION POLICIES, USER WORKLOAD IDENTITY AUTHENTICATION METHODS "
          "or GRANTS TO USER");
    }
    WIFGATE_ASSIGN_OR_RETURN(s.like, Like());
    return Done(std::move(s));
  }

  Result<Statement> Grant() {
    GrantRole g;
    g.revoke = Next().IsWord("REVOKE");
    WIFGATE_RETURN_IF_ERROR(Expect("ROLE"));
    WIFGATE_ASSIGN_OR_RETURN(g.role, Identifier("a role name"));
    WIFGATE_RETURN_IF_ERROR(Expect(g.revoke ? "FROM" : "TO"));
    WIFGATE_RETURN_IF_ERROR(Expect("USER"));
    WIFGATE_ASSIGN_OR_RETURN(g.user, Identifier("a user name"));
    return Done(std::move(g));
  }

  std::string_view sql_;
  std::vector<Token> t_;
  size_t pos_ = 0;
};

}  // namespace

Result<Statement> Parse(std::string_view sql) {
  WIFGATE_ASSIGN_OR_RETURN(auto tokens, Lex(sql));
  if (tokens.size() == 1) return SqlError(kSyntaxError, "empty SQL statement.");
  return Parser(sql, std::move(tokens)).Run();
}

}  // namespace wifgate::sql
