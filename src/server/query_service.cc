#include "server/query_service.h"

#include <array>

#include "common/crypto.h"
#include "common/time_format.h"
#include "server/rowset_encoding.h"
#include "sql/binds.h"
#include "sql/errors.h"
#include "sql/lexer.h"

namespace wifgate::server {
namespace {

namespace json = boost::json;

Status UseError(std::string message) {
  return sql::SqlError(sql::kDoesNotExist, std::move(message));
}

// The message without the "<code> (<sqlstate>): " the connectors add themselves.
std::string WireMessage(const Status& s) {
  const std::string& m = s.message();
  size_t p = m.find("): ");
  return (!sql::SqlErrorCode(s).empty() && p != std::string::npos) ? m.substr(p + 3) : m;
}

bool IsTransactionControl(const std::vector<sql::Token>& tokens) {
  if (tokens.empty() || tokens[0].kind != sql::TokenKind::kWord) return false;
  const std::string& w = tokens[0].text;
  return w == "BEGIN" || w == "COMMIT" || w == "ROLLBACK" ||
         (w == "START" && tokens.size() > 1 && tokens[1].IsWord("TRANSACTION"));
}

// USE … or transaction control: statements this service answers itself.
bool IsSessionStatement(std::string_view sql) {
  auto tokens = sql::Lex(sql);
  return tokens.ok() && !tokens->empty() &&
         ((*tokens)[0].IsWord("USE") || IsTransactionControl(*tokens));
}

}  // namespace

std::string QueryService::NewQueryId() {
  std::array<uint8_t, 16> b{};
  env_.RandomBytes(b);
  std::string hex = HexEncode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::optional<Result<sql::ResultSet>> QueryService::TryUse(Session& session,
                                                           std::string_view text) {
  auto lexed = sql::Lex(text);
  if (!lexed.ok()) return std::nullopt;  // the executor reports the syntax error
  std::vector<sql::Token> tokens = std::move(*lexed);
  while (tokens.size() > 1 && tokens[tokens.size() - 2].IsSymbol(";")) {
    tokens.erase(tokens.end() - 2);
  }
  if (IsTransactionControl(tokens)) {
    return sql::ResultSet::Status("Statement executed successfully.");
  }
  if (tokens.empty() || !tokens[0].IsWord("USE")) return std::nullopt;

  size_t i = 1;
  std::string kind = "DATABASE";
  if (i < tokens.size() && (tokens[i].IsWord("ROLE") || tokens[i].IsWord("DATABASE") ||
                            tokens[i].IsWord("SCHEMA") || tokens[i].IsWord("WAREHOUSE"))) {
    kind = tokens[i++].text;
  }
  // name [. name] then end
  std::vector<std::string> parts;
  while (i < tokens.size() && tokens[i].IsIdentifier()) {
    parts.push_back(tokens[i++].text);
    if (i < tokens.size() && tokens[i].IsSymbol(".")) {
      ++i;
    } else {
      break;
    }
  }
  if (parts.empty() || i >= tokens.size() || tokens[i].kind != sql::TokenKind::kEnd ||
      parts.size() > (kind == "SCHEMA" ? 2u : 1u)) {
    return Result<sql::ResultSet>(
        sql::SqlError(sql::kSyntaxError,
                      "USE expects USE ROLE name, USE [DATABASE] name, USE SCHEMA "
                      "[database.]name or USE WAREHOUSE name"));
  }

  std::lock_guard lock(session.mu);
  if (kind == "ROLE") {
    auto snapshot = registry_.Current();
    if (!snapshot.ok()) return Result<sql::ResultSet>(snapshot.status());
    const registry::User* user = (*snapshot)->state().FindUser(session.user);
    bool granted = parts[0] == "PUBLIC";
    if (user != nullptr) {
      for (const auto& g : user->grants) granted = granted || g.role == parts[0];
    }
    if (!granted) {
      return Result<sql::ResultSet>(
          UseError("Role '" + parts[0] +
                   "' does not exist or not authorized. Ask an administrator for "
                   "GRANT ROLE " +
                   parts[0] + " TO USER " + session.user + "."));
    }
    session.role = parts[0];
  } else if (kind == "WAREHOUSE") {
    session.warehouse = parts[0];
  } else if (kind == "SCHEMA") {
    if (parts.size() == 2) session.database = parts[0];
    session.schema = parts.back();
  } else {
    session.database = parts[0];
    session.schema = "PUBLIC";
  }
  return sql::ResultSet::Status("Statement executed successfully.");
}

sql::SessionContext QueryService::ContextOf(Session& session) const {
  sql::SessionContext ctx;
  {
    std::lock_guard lock(session.mu);
    ctx.user = session.user;
    ctx.role = session.role;
    ctx.database = session.database;
    ctx.schema = session.schema;
    ctx.warehouse = session.warehouse;
    ctx.session = std::to_string(session.id);
    ctx.client = session.client;
  }
  ctx.account = options_.account;
  ctx.statement_timeout = options_.statement_timeout;
  return ctx;
}

Result<sql::ResultSet> QueryService::Describe(Session& session, std::string_view sql) {
  if (IsSessionStatement(sql)) return sql::StatusColumns();
  return executor_.Describe(ContextOf(session), sql);
}

std::string QueryService::Execute(Session& session, const QueryRequest& query) {
  std::string query_id = NewQueryId();
  auto fail = [&](const Status& s) {
    std::string code = sql::SqlErrorCode(s);
    if (code.empty()) code = "000603";
    json::object data;
    data["errorCode"] = code;
    data["sqlState"] = sql::SqlErrorState(s).empty() ? "XX000" : sql::SqlErrorState(s);
    data["queryId"] = query_id;
    data["internalError"] = false;
    data["age"] = 0;
    return ErrorReply(code, WireMessage(s), std::move(data));
  };
  Result<sql::Binds> binds = sql::MakeBinds(query.bindings);
  if (!binds.ok()) return fail(binds.status());
  if (!binds->empty() && IsSessionStatement(query.sql_text)) {
    return fail(sql::SqlError(sql::kBindVariable,
                              "USE, BEGIN, COMMIT and ROLLBACK take no bind variables; remove "
                              "the bindings or write the name into the statement."));
  }

  Result<sql::ResultSet> result = sql::ResultSet{};
  if (query.describe_only) {
    result = Describe(session, query.sql_text);
  } else if (auto handled = TryUse(session, query.sql_text)) {
    result = std::move(*handled);
  } else {
    result = executor_.Execute(ContextOf(session), query.sql_text, *binds);
  }
  if (!result.ok()) return fail(result.status());

  QueryReplyInfo info;
  info.query_id = query_id;
  info.statement_type_id = StatementTypeId(query.sql_text);
  info.number_of_binds = query.bindings.size();
  info.send_result_time_ms = ToUnixSeconds(env_.Now()) * 1000;
  std::lock_guard lock(session.mu);
  info.role = session.role;
  info.database = session.database;
  info.schema = session.schema;
  info.warehouse = session.warehouse;
  return SuccessReply(EncodeQueryData(*result, info, SessionParameters(session)));
}

}  // namespace wifgate::server
