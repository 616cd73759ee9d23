#include "server/snowflake_protocol.h"

#include <boost/json/serialize.hpp>

#include "common/json.h"
#include "common/strings.h"

namespace wifgate::server {
namespace {

namespace json = boost::json;

Status Malformed(std::string_view what) {
  return Status(Code::kInvalidArgument, "login.malformed",
                "login request rejected: " + std::string(what),
                "Malformed login request: " + std::string(what));
}

// Reads an optional string field; a present non-string value is an error.
Status OptionalString(const json::object& obj, std::string_view key, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return Status();
  if (!it->value().is_string()) return Malformed("field " + std::string(key) + " must be a string");
  *out = std::string(it->value().get_string());
  return Status();
}

// Names, not payloads: a Snowflake identifier is at most 255 characters (1,020 bytes of
// UTF-8). Longer values are refused here, before they can be echoed in messages, logged or
// kept in LOGIN_HISTORY (security.md INJ-03).
constexpr size_t kMaxNameBytes = 1024;

Status OptionalName(const json::object& obj, std::string_view key, std::string* out) {
  WIFGATE_RETURN_IF_ERROR(OptionalString(obj, key, out));
  if (out->size() > kMaxNameBytes) {
    return Malformed("field " + std::string(key) + " is longer than " +
                     std::to_string(kMaxNameBytes) + " bytes");
  }
  return Status();
}

std::string QueryParam(const std::map<std::string, std::string>& query, const char* key) {
  auto it = query.find(key);
  return it == query.end() ? std::string() : it->second;
}

json::object Envelope(json::value data, json::value code, json::value message, bool success) {
  json::object reply;
  reply["data"] = std::move(data);
  reply["code"] = std::move(code);
  reply["message"] = std::move(message);
  reply["success"] = success;
  reply["headers"] = nullptr;
  return reply;
}

// The bind limits (sql/binds.h), on the parsed body: a request of millions of nulls is a
// few megabytes on the wire but far more once copied into values, so it is refused first.
Status CheckBindSizes(const json::object& binds) {
  auto too_large = [](std::string what) {
    return Status(Code::kResourceExhausted, "query.binds_too_large",
                  "query request rejected: " + what,
                  "Query request rejected: " + what + ". Split the rows into several statements.");
  };
  if (binds.size() > sql::kMaxBindVariables) {
    return too_large(std::to_string(binds.size()) + " bindings; the limit is " +
                     std::to_string(sql::kMaxBindVariables));
  }
  size_t cells = 0;
  for (const auto& kv : binds) {
    const json::object* b = kv.value().if_object();
    const json::value* v = b == nullptr ? nullptr : b->if_contains("value");
    size_t rows = v != nullptr && v->is_array() ? v->get_array().size() : 1;
    if (rows > sql::kMaxBindRows) {
      return too_large("an array binding of " + std::to_string(rows) + " rows; the limit is " +
                       std::to_string(sql::kMaxBindRows));
    }
    cells += rows;
  }
  if (cells > sql::kMaxBindCells) {
    return too_large(std::to_string(cells) + " bind values; the limit is " +
                     std::to_string(sql::kMaxBindCells));
  }
  return Status();
}

}  // namespace

Result<LoginRequest> ParseLoginRequest(std::string_view body,
                                       const std::map<std::string, std::string>& query) {
  auto doc = ParseStrictJson(body, {.max_bytes = 256 * 1024});
  if (!doc.ok()) return Malformed("the body is not valid JSON (" + doc.status().message() + ")");
  if (!doc->is_object()) return Malformed("the body must be a JSON object");
  const json::object* data = GetObject(doc->as_object(), "data");
  if (data == nullptr) return Malformed("the body has no \"data\" object");

  LoginRequest req;
  WIFGATE_RETURN_IF_ERROR(OptionalName(*data, "ACCOUNT_NAME", &req.account));
  WIFGATE_RETURN_IF_ERROR(OptionalName(*data, "LOGIN_NAME", &req.login_name));
  WIFGATE_RETURN_IF_ERROR(OptionalName(*data, "AUTHENTICATOR", &req.authenticator));
  WIFGATE_RETURN_IF_ERROR(OptionalName(*data, "PROVIDER", &req.provider));
  WIFGATE_RETURN_IF_ERROR(OptionalString(*data, "TOKEN", &req.token));
  WIFGATE_RETURN_IF_ERROR(OptionalString(*data, "PASSWORD", &req.password));
  WIFGATE_RETURN_IF_ERROR(OptionalName(*data, "CLIENT_APP_ID", &req.client_app_id));
  WIFGATE_RETURN_IF_ERROR(OptionalName(*data, "CLIENT_APP_VERSION", &req.client_app_version));
  req.authenticator = req.authenticator.empty() ? "SNOWFLAKE" : AsciiUpper(req.authenticator);
  if (req.account.empty()) return Malformed("ACCOUNT_NAME is missing");
  if (const json::object* params = GetObject(*data, "SESSION_PARAMETERS")) {
    for (const auto& kv : *params) {
      req.session_parameters[AsciiUpper(std::string_view(kv.key().data(), kv.key().size()))] =
          kv.value();
    }
  }
  req.role = QueryParam(query, "roleName");
  req.database = QueryParam(query, "databaseName");
  req.schema = QueryParam(query, "schemaName");
  req.warehouse = QueryParam(query, "warehouse");
  return req;
}

Result<QueryRequest> ParseQueryRequest(std::string_view body) {
  auto bad = [](std::string_view what) {
    return Status(Code::kInvalidArgument, "query.malformed",
                  "query request rejected: " + std::string(what),
                  "Malformed query request: " + std::string(what));
  };
  auto doc = ParseStrictJson(body, {.max_bytes = 4 << 20});
  if (!doc.ok()) return bad("the body is not valid JSON (" + doc.status().message() + ")");
  if (!doc->is_object()) return bad("the body must be a JSON object");
  const json::object& obj = doc->as_object();
  QueryRequest req;
  auto sql = GetString(obj, "sqlText");
  if (!sql) return bad("sqlText is missing or not a string");
  req.sql_text = *sql;
  req.describe_only = GetBool(obj, "describeOnly").value_or(false);
  if (const json::object* binds = GetObject(obj, "bindings")) {
    WIFGATE_RETURN_IF_ERROR(CheckBindSizes(*binds));
    for (const auto& kv : *binds) {
      sql::BindColumn bind;
      bind.name = std::string(kv.key().data(), kv.key().size());
      if (!kv.value().is_object()) return bad("binding " + bind.name + " must be an object");
      const json::object& b = kv.value().as_object();
      auto type = GetString(b, "type");
      if (!type) return bad("binding " + bind.name + " has no type");
      bind.type = *type;
      auto v = b.find("value");
      if (v == b.end() || v->value().is_null()) {
        bind.values.emplace_back();
      } else if (v->value().is_string()) {
        bind.values.emplace_back(std::string(v->value().get_string()));
      } else if (v->value().is_array()) {
        bind.array = true;
        const json::array& rows = v->value().get_array();
        bind.values.reserve(rows.size());
        for (const json::value& row : rows) {
          if (row.is_string()) {
            bind.values.emplace_back(std::string(row.get_string()));
          } else if (row.is_null()) {
            bind.values.emplace_back();
          } else {
            return bad("array binding " + bind.name + " must hold only strings and nulls");
          }
        }
      } else {
        return bad("binding " + bind.name + " must have a string, null or array value");
      }
      req.bindings.push_back(std::move(bind));
    }
  }
  return req;
}

Result<std::string> ParseRenewRequest(std::string_view body) {
  auto doc = ParseStrictJson(body, {.max_bytes = 64 * 1024});
  if (!doc.ok() || !doc->is_object()) {
    return Status(Code::kInvalidArgument, "renew.malformed",
                  "token-request body is not a JSON object");
  }
  auto old_token = GetString(doc->as_object(), "oldSessionToken");
  if (!old_token) {
    return Status(Code::kInvalidArgument, "renew.malformed",
                  "token-request body has no oldSessionToken");
  }
  return *old_token;
}

std::optional<std::string> ParseSnowflakeAuthorization(std::string_view header) {
  constexpr std::string_view kPrefix = "Snowflake Token=\"";
  header = TrimWhitespace(header);
  if (!header.starts_with(kPrefix) || !header.ends_with('"')) return std::nullopt;
  std::string_view token = header.substr(kPrefix.size(), header.size() - kPrefix.size() - 1);
  if (token.empty() || token.find('"') != std::string_view::npos) return std::nullopt;
  return std::string(token);
}

std::string SuccessReply(json::value data) {
  return json::serialize(Envelope(std::move(data), nullptr, nullptr, true));
}

std::string ErrorReply(std::string_view code, std::string_view message, json::value data) {
  return json::serialize(
      Envelope(std::move(data), json::string(code), json::string(message), false));
}

json::array SessionParameters(const Session& session) {
  auto param = [](std::string_view name, json::value value) {
    json::object p;
    p["name"] = name;
    p["value"] = std::move(value);
    return p;
  };
  return json::array{
      param("AUTOCOMMIT", true),
      param("TIMEZONE", "UTC"),
      param("TIMESTAMP_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM"),
      param("TIMESTAMP_NTZ_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3"),
      param("TIMESTAMP_LTZ_OUTPUT_FORMAT", ""),
      param("TIMESTAMP_TZ_OUTPUT_FORMAT", ""),
      param("DATE_OUTPUT_FORMAT", "YYYY-MM-DD"),
      param("TIME_OUTPUT_FORMAT", "HH24:MI:SS"),
      param("BINARY_OUTPUT_FORMAT", "HEX"),
      param("CLIENT_SESSION_KEEP_ALIVE", false),
      param("CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", 3600),
      // Large, so both connectors keep array binds inline (spec §2.4 traps).
      param("CLIENT_STAGE_ARRAY_BINDING_THRESHOLD", 2147483647),
      param("QUERY_CONTEXT_CACHE_SIZE", 5),
      param("JS_TREAT_INTEGER_AS_BIGINT", session.treat_integer_as_bigint),
  };
}

std::string LoginSuccessReply(const IssuedTokens& tokens, const Session& session,
                              std::string_view server_version) {
  json::object info;
  info["databaseName"] =
      session.database.empty() ? json::value(nullptr) : json::value(session.database);
  info["schemaName"] = session.schema.empty() ? json::value(nullptr) : json::value(session.schema);
  info["warehouseName"] =
      session.warehouse.empty() ? json::value(nullptr) : json::value(session.warehouse);
  info["roleName"] = session.role;

  json::object data;
  data["token"] = tokens.session_token;
  data["validityInSeconds"] = tokens.session_validity.count();
  data["masterToken"] = tokens.master_token;
  data["masterValidityInSeconds"] = tokens.master_validity.count();
  data["sessionId"] = tokens.session_id;
  data["displayUserName"] = session.user;
  data["serverVersion"] = server_version;
  data["firstLogin"] = false;
  data["remMeToken"] = nullptr;
  data["remMeValidityInSeconds"] = 0;
  data["healthCheckInterval"] = 45;
  data["newClientForUpgrade"] = nullptr;
  data["idToken"] = nullptr;
  data["idTokenValidityInSeconds"] = 0;
  data["mfaToken"] = nullptr;
  data["mfaTokenValidityInSeconds"] = 0;
  data["responseData"] = nullptr;
  data["sessionInfo"] = std::move(info);
  data["parameters"] = SessionParameters(session);
  return SuccessReply(std::move(data));
}

std::string RenewReply(const IssuedTokens& tokens) {
  json::object data;
  data["sessionToken"] = tokens.session_token;
  data["validityInSecondsST"] = tokens.session_validity.count();
  data["masterToken"] = tokens.master_token;
  data["validityInSecondsMT"] = tokens.master_validity.count();
  data["sessionId"] = tokens.session_id;
  return SuccessReply(std::move(data));
}

}  // namespace wifgate::server
