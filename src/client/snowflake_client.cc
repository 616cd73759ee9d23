#include "client/snowflake_client.h"

#include <array>

#include "client/rowset.h"
#include "common/crypto.h"
#include "common/json.h"
#include "common/strings.h"

namespace wifgate::client {
namespace {

constexpr std::string_view kUserAgent = "wifgate/0.1.0";
constexpr size_t kMaxReplyBytes = size_t{64} << 20;
// Snowflake answers a synchronous query that runs long with "in progress" (333333/333334)
// and a URL to poll; each poll waits server-side, so a bound on polls bounds the wait.
constexpr int kMaxResultPolls = 240;
constexpr std::chrono::minutes kQueryTimeout{10};

bool InProgress(std::string_view code) { return code == "333333" || code == "333334"; }

std::string TimestampBindValue(const Timestamp& t) {
  __int128 nanos = static_cast<__int128>(t.seconds) * 1000000000 + t.nanos;
  bool negative = nanos < 0;
  std::string digits;
  do {
    int d = static_cast<int>(nanos % 10);
    digits.insert(digits.begin(), static_cast<char>('0' + (d < 0 ? -d : d)));
    nanos /= 10;
  } while (nanos != 0);
  std::string out = (negative ? "-" : "") + digits;
  if (t.offset_minutes) out += " " + std::to_string(*t.offset_minutes + 1440);
  return out;
}

// Snowflake's bind encoding: a type name and a string value (spec §4.1).
boost::json::object EncodeBind(const Value& v) {
  auto bind = [](std::string_view type, std::string value) {
    return boost::json::object{{"type", type}, {"value", value}};
  };
  switch (v.kind()) {
    case Value::Kind::kNull:
      return boost::json::object{{"type", "ANY"}, {"value", nullptr}};
    case Value::Kind::kInt64:
    case Value::Kind::kDecimal:
      return bind("FIXED", v.ToString());
    case Value::Kind::kDouble:
      return bind("REAL", v.ToString());
    case Value::Kind::kString:
      return bind("TEXT", v.text());
    case Value::Kind::kBool:
      return bind("BOOLEAN", v.boolean() ? "true" : "false");
    case Value::Kind::kDate:
      return bind("DATE", std::to_string(v.int64() * 86400000));  // epoch milliseconds
    case Value::Kind::kTime:
      return bind("TIME", std::to_string(v.int64()));  // nanoseconds since midnight
    case Value::Kind::kTimestamp:
      return bind(v.timestamp().offset_minutes ? "TIMESTAMP_TZ" : "TIMESTAMP_NTZ",
                  TimestampBindValue(v.timestamp()));
    case Value::Kind::kBinary:
      return bind("BINARY", v.ToString());
    case Value::Kind::kVariant:
      return bind("VARIANT", v.text());
  }
  return bind("TEXT", v.ToString());
}

Status BadReply(std::string_view what, std::string_view why) {
  return Status(Code::kUnavailable, "client.bad_reply",
                "the server's reply to " + std::string(what) + " " + std::string(why) +
                    "; is the URL a Snowflake or wifgate endpoint?");
}

}  // namespace

std::string QueryBody(const std::string& sql, const std::vector<Value>& binds, int64_t sequence_id,
                      int64_t submission_time_ms) {
  boost::json::object body{{"sqlText", sql},
                           {"asyncExec", false},
                           {"sequenceId", sequence_id},
                           {"querySubmissionTime", submission_time_ms},
                           {"queryContextDTO", boost::json::object{}}};
  if (!binds.empty()) {
    boost::json::object bindings;
    for (size_t i = 0; i < binds.size(); ++i)
      bindings[std::to_string(i + 1)] = EncodeBind(binds[i]);
    body["bindings"] = std::move(bindings);
  }
  return ToJson(body);
}

SnowflakeClient::SnowflakeClient(Endpoint endpoint, net::HttpClient& http, Env& env)
    : endpoint_(std::move(endpoint)), http_(http), env_(env) {}

std::string SnowflakeClient::NewRequestId() {
  std::array<uint8_t, 16> b{};
  env_.RandomBytes(b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string hex = HexEncode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

Result<SnowflakeClient::Reply> SnowflakeClient::Exchange(
    std::string_view method, const std::string& path_and_query, const std::string& body,
    const std::string& token, std::string_view accept, std::chrono::milliseconds timeout) {
  net::HttpRequest request;
  request.method = std::string(method);
  request.url = endpoint_.base_url + path_and_query;
  request.headers = {{"Accept", std::string(accept)}, {"User-Agent", std::string(kUserAgent)}};
  if (method == "POST") request.headers.push_back({"Content-Type", "application/json"});
  if (!token.empty()) {
    request.headers.push_back({"Authorization", "Snowflake Token=\"" + token + "\""});
  }
  request.body = body;
  net::HttpOptions options;
  options.timeout = timeout;
  options.max_response_bytes = kMaxReplyBytes;

  std::string path = path_and_query.substr(0, path_and_query.find('?'));
  Result<net::HttpResponse> response = http_.Send(request, options);
  if (!response.ok()) {
    return response.status().WithContext(std::string(method) + " " + endpoint_.base_url + path);
  }

  auto parsed = ParseStrictJson(response->body, JsonLimits{kMaxReplyBytes, 64});
  const boost::json::object* envelope =
      parsed.ok() && parsed->is_object() ? &parsed->get_object() : nullptr;
  Reply reply;
  if (envelope != nullptr) {
    reply.success = GetBool(*envelope, "success").value_or(false);
    reply.code = GetString(*envelope, "code").value_or("");
    if (auto numeric = GetInt(*envelope, "code"); reply.code.empty() && numeric) {
      reply.code = std::to_string(*numeric);
    }
    reply.message = GetString(*envelope, "message").value_or("");
    if (const auto* data = GetObject(*envelope, "data")) reply.data = *data;
  }
  if (response->status != 200) {
    // 401 with a Snowflake code (390104: the token is no longer valid) is a session error.
    if (envelope != nullptr && !reply.code.empty()) return reply;
    return Status(
        response->status >= 500 ? Code::kUnavailable : Code::kFailedPrecondition,
        "client.http_status",
        std::string(method) + " " + endpoint_.base_url + path + " answered HTTP " +
            std::to_string(response->status) +
            (response->status == 404 ? "; is the URL a Snowflake or wifgate endpoint?" : ""));
  }
  if (envelope == nullptr) return BadReply(path, "is not a JSON object");
  if (!envelope->contains("success")) return BadReply(path, "has no \"success\" field");
  return reply;
}

Result<SnowflakeClient::Reply> SnowflakeClient::Call(std::string_view method,
                                                     const std::string& path,
                                                     const std::string& body,
                                                     std::string_view accept,
                                                     std::chrono::milliseconds timeout) {
  if (!logged_in()) {
    return Status(Code::kFailedPrecondition, "client.not_connected",
                  "the connection is closed; open a new one");
  }
  // The same requestId on the replay lets the server recognise a re-sent query.
  std::string target =
      path + (path.find('?') == std::string::npos ? "?" : "&") + "requestId=" + NewRequestId();
  WIFGATE_ASSIGN_OR_RETURN(Reply reply,
                           Exchange(method, target, body, session_token_, accept, timeout));
  if (reply.success || reply.code != kSessionExpiredCode) return reply;
  WIFGATE_RETURN_IF_ERROR(Renew());
  return Exchange(method, target, body, session_token_, accept, timeout);
}

Status SnowflakeClient::Renew() {
  std::string body =
      ToJson(boost::json::object{{"requestType", "RENEW"}, {"oldSessionToken", session_token_}});
  WIFGATE_ASSIGN_OR_RETURN(
      Reply reply, Exchange("POST", "/session/token-request?requestId=" + NewRequestId(), body,
                            master_token_, "application/json", std::chrono::seconds(60)));
  if (!reply.success) {
    return ServerError(Operation::kSession, reply.code, reply.message)
        .WithContext("renewing the session");
  }
  auto token = GetString(reply.data, "sessionToken");
  if (!token) token = GetString(reply.data, "token");
  if (!token || token->empty()) return BadReply("the session renewal", "has no sessionToken");
  session_token_ = *token;
  if (auto master = GetString(reply.data, "masterToken"); master && !master->empty()) {
    master_token_ = *master;
  }
  return Status::Ok();
}

Result<LoginInfo> SnowflakeClient::Login(const LoginFields& fields, Operation op) {
  std::string target = "/session/v1/login-request?requestId=" + NewRequestId();
  if (std::string params = LoginQueryParams(fields); !params.empty()) target += "&" + params;
  WIFGATE_ASSIGN_OR_RETURN(Reply reply, Exchange("POST", target, LoginBody(fields), "",
                                                 "application/json", std::chrono::seconds(60)));
  if (!reply.success) return ServerError(op, reply.code, reply.message);

  auto token = GetString(reply.data, "token");
  if (!token || token->empty()) return BadReply("the login", "has no session token");
  session_token_ = *token;
  master_token_ = GetString(reply.data, "masterToken").value_or("");

  LoginInfo info;
  info.session_id = GetInt(reply.data, "sessionId").value_or(0);
  info.user = GetString(reply.data, "displayUserName").value_or("");
  info.server_version = GetString(reply.data, "serverVersion").value_or("");
  if (const auto* session = GetObject(reply.data, "sessionInfo")) {
    info.role = GetString(*session, "roleName").value_or("");
    info.database = GetString(*session, "databaseName").value_or("");
    info.schema = GetString(*session, "schemaName").value_or("");
    info.warehouse = GetString(*session, "warehouseName").value_or("");
  }
  return info;
}

Result<ResultSet> SnowflakeClient::Query(const std::string& sql, const std::vector<Value>& binds) {
  int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(env_.Now().time_since_epoch()).count();
  std::string body = QueryBody(sql, binds, ++sequence_id_, now_ms);
  WIFGATE_ASSIGN_OR_RETURN(Reply reply, Call("POST", "/queries/v1/query-request", body,
                                             "application/snowflake", kQueryTimeout));
  for (int polls = 0; InProgress(reply.code); ++polls) {
    auto url = GetString(reply.data, "getResultUrl");
    if (!url || !url->starts_with('/'))
      return BadReply("the query", "is in progress with no result URL");
    if (polls == kMaxResultPolls) {
      return Status(Code::kDeadlineExceeded, "client.query_timeout",
                    "the query was still running after " + std::to_string(kMaxResultPolls) +
                        " result polls; its id is " +
                        GetString(reply.data, "queryId").value_or("?"));
    }
    WIFGATE_ASSIGN_OR_RETURN(reply, Call("GET", *url, "", "application/snowflake", kQueryTimeout));
  }
  if (!reply.success) return ServerError(Operation::kQuery, reply.code, reply.message);
  return DecodeQueryResult(reply.data);
}

Status SnowflakeClient::Heartbeat() {
  WIFGATE_ASSIGN_OR_RETURN(Reply reply, Call("POST", "/session/heartbeat", ""));
  if (!reply.success) return ServerError(Operation::kSession, reply.code, reply.message);
  return Status::Ok();
}

Status SnowflakeClient::Logout() {
  if (!logged_in()) return Status::Ok();
  Result<Reply> reply = Call("POST", "/session?delete=true", "");
  session_token_.clear();
  master_token_.clear();
  if (!reply.ok()) return reply.status();
  // A session the server has already dropped is as closed as it gets.
  bool gone = reply->code == "390111" || reply->code == "390104" || reply->code == "390114";
  if (!reply->success && !gone)
    return ServerError(Operation::kSession, reply->code, reply->message);
  return Status::Ok();
}

}  // namespace wifgate::client
